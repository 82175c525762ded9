package dev.storyboard.inference.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.storyboard.inference.dit.CaptionCondition;
import dev.storyboard.inference.dit.Segment;
import dev.storyboard.inference.dit.ShotLabel;
import dev.storyboard.inference.engine.TorchRuntime;
import dev.storyboard.inference.layout.BoxPlanner;
import dev.storyboard.inference.layout.PaintedMasks;
import dev.storyboard.inference.layout.SilhouetteMasks;
import dev.storyboard.inference.model.StoryboardModel;
import dev.storyboard.inference.testing.Fixtures;
import dev.storyboard.inference.testing.ModelFolder;
import dev.storyboard.inference.testing.TinyModelExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Scene sessions on the tiny painted model (training/fixtures/tiny-paint): every shot's silhouette is painted the
 * scene's one colour, named from all the scene's words by the rule and from the words that name its kind (the global
 * caption and every shot's caption of the storyboard, or without them the shots held and the target); a change of the
 * scene's colour alone redraws every shot and invalidates the caches, as a change of its kind does. Every forward —
 * a shot's chunks, its extension, the cached or recomputed context, both CFG rows — reads, in the actor's box input, 4
 * planes: its shot's silhouette and it times the scene's colour.
 */
class PaintedSessionTest {
    private static final int STEPS = 3;
    private static final double TOL = 1e-4;
    private static final ShotLabel PAN_RIGHT_MEDIUM = new ShotLabel(3, 2);
    private static final ShotLabel ZOOM_IN_WIDE = new ShotLabel(4, 1);
    private static final float[][] GLOBAL = SceneSessionTest.caption(99, 6);     // every session's global caption

    @RegisterExtension
    static final TinyModelExtension PAINT = new TinyModelExtension(Fixtures.TINY_PAINT);
    @RegisterExtension
    static final TinyModelExtension SIL = new TinyModelExtension(Fixtures.TINY_SIL);

    @TempDir
    Path dir;

    private static SceneSession session(StoryboardModel model, NDManager root, SceneSession.Options options) {
        SceneSession s = new SceneSession(model, root, options.withDecode(false).withLongContext(LongContextPolicy.exact()));
        s.setGlobalCaption(GLOBAL);
        return s;
    }

    private static float[][] caption(int seed) {
        return SceneSessionTest.caption(seed, 5);
    }

    private static SceneSession.ShotRequest shot(float[][] caption, int frames, long seed, ShotLabel label) {
        return new SceneSession.ShotRequest(caption, frames, seed, 3.0, STEPS, label);
    }

    private static BoxPlanner planner() {
        return PAINT.model().boxPlanner().orElseThrow();
    }

    private static float[] pooled(float[][] caption) {
        return CaptionCondition.pool(rows(caption), PAINT.model().config().dit().textDim());
    }

    /** The scene's kind and colour of these captions, computed here ({@link BoxPlanner#sceneKind}, {@link
     *  BoxPlanner#sceneColour} of their pooled captions). */
    private static SceneActor actor(float[][]... captions) {
        List<float[]> pooled = new ArrayList<>();
        for (float[][] c : captions) {
            pooled.add(pooled(c));
        }
        try (NDManager scope = PAINT.root().newSubManager()) {
            return new SceneActor(planner().sceneKind(scope, pooled), planner().sceneColour(scope, pooled));
        }
    }

    /** The colour the planner names for one caption alone. */
    private static int ownColour(float[][] caption) {
        try (NDManager scope = PAINT.root().newSubManager()) {
            return planner().nameColour(scope, pooled(caption));
        }
    }

    /** The kind and facing a shot of caption {@code caption} is drawn with in a scene of kind {@code kind}. */
    private static BoxPlanner.NamedKind drawn(int kind, float[][] caption) {
        try (NDManager scope = PAINT.root().newSubManager()) {
            return new BoxPlanner.NamedKind(kind, planner().name(scope, pooled(caption)).facing());
        }
    }

    /** Caption seeds from {@code from}: the first whose caption, added to {@code scene}, gives an actor that {@code ok}. */
    private static int seedWhere(int from, Predicate<SceneActor> ok, float[][]... scene) {
        for (int seed = from; seed < from + 300; seed++) {
            float[][][] with = Arrays.copyOf(scene, scene.length + 1);
            with[scene.length] = caption(seed);
            if (ok.test(actor(with))) {
                return seed;
            }
        }
        throw new AssertionError("no caption gives such a scene actor");
    }

    @Test
    void everyShotIsPaintedTheColourOfAllTheScenesWordsLaterShotsIncluded() {
        float[][] c0 = caption(0);
        float[][] c1 = caption(anotherOwnColour(ownColour(c0)));
        SceneActor held = actor(GLOBAL, c0, c1);
        // a third shot of the storyboard, not yet in the session, whose words turn the scene's colour
        float[][] later = caption(seedWhere(200, a -> a.colour() != held.colour(), GLOBAL, c0, c1));
        SceneActor scene = actor(GLOBAL, c0, c1, later);
        try (SceneSession s = session(PAINT.model(), PAINT.root(), SceneSession.Options.defaults())) {
            assertThat(s.drawsSceneKind()).isTrue();
            s.setSceneWords(List.of(c0, c1, later));
            assertThat(s.sceneColour()).hasValue(scene.colour());
            assertThat(s.sceneKind()).hasValue(scene.kind());
            s.generateShot(0, shot(c0, 2, 1, PAN_RIGHT_MEDIUM), ChunkListener.NONE, CancellationToken.none());
            s.generateShot(1, shot(c1, 2, 2, ZOOM_IN_WIDE), ChunkListener.NONE, CancellationToken.none());
            assertThat(List.of(s.colour(0), s.colour(1))).as("the surest of every shot's words, not each shot's own")
                    .containsExactly(scene.colour(), scene.colour());
            assertThat(List.of(s.kind(0), s.kind(1))).containsExactly(drawn(scene.kind(), c0), drawn(scene.kind(), c1));
            // the global caption is part of the scene's words: a new one that turns the colour repaints every shot
            int g = 300;
            while (actor(SceneSessionTest.caption(g, 6), c0, c1, later).colour() == scene.colour()) {
                assertThat(++g).as("a global caption that turns the colour").isLessThan(600);
            }
            SceneActor turned = actor(SceneSessionTest.caption(g, 6), c0, c1, later);
            s.setGlobalCaption(SceneSessionTest.caption(g, 6));
            assertThat(s.sceneColour()).hasValue(turned.colour());
            assertThat(List.of(s.colour(0), s.colour(1))).containsExactly(turned.colour(), turned.colour());
            // without the scene's words again: the shots held (and the global caption) name it
            s.setSceneWords(null);
            int fallback = actor(SceneSessionTest.caption(g, 6), c0, c1).colour();
            assertThat(s.sceneColour()).hasValue(fallback);
            assertThat(s.colour(0)).isEqualTo(fallback);
        }
    }

    /** Caption seeds 1, 2, … : the first whose own named colour is not {@code colour}. */
    private static int anotherOwnColour(int colour) {
        for (int seed = 1; seed < 200; seed++) {
            if (ownColour(caption(seed)) != colour) {
                return seed;
            }
        }
        throw new AssertionError("no caption names another colour");
    }

    @Test
    void withoutTheScenesWordsTheTargetsWordsCountAndAFailedOperationPutsTheColourBack() {
        float[][] c0 = caption(0);
        SceneActor alone = actor(GLOBAL, c0);
        int other = seedWhere(1, a -> a.colour() != alone.colour(), GLOBAL, c0);
        SceneActor both = actor(GLOBAL, c0, caption(other));
        try (SceneSession s = session(PAINT.model(), PAINT.root(), SceneSession.Options.defaults())) {
            s.generateShot(0, shot(c0, 2, 1, PAN_RIGHT_MEDIUM), ChunkListener.NONE, CancellationToken.none());
            assertThat(s.colour(0)).isEqualTo(alone.colour());
            assertThat(s.sceneColour()).hasValue(alone.colour());
            // a cancelled operation whose target would turn the colour leaves the shots' colour as it was
            CancellationToken cancelled = new CancellationToken();
            cancelled.cancel();
            assertThatThrownBy(() -> s.generateShot(1, shot(caption(other), 2, 2, ZOOM_IN_WIDE), ChunkListener.NONE,
                    cancelled)).isInstanceOf(CancelledException.class);
            assertThat(s.colour(0)).isEqualTo(alone.colour());
            s.generateShot(1, shot(caption(other), 2, 2, ZOOM_IN_WIDE), ChunkListener.NONE, CancellationToken.none());
            assertThat(List.of(s.colour(0), s.colour(1))).as("the shot held follows the scene's colour")
                    .containsExactly(both.colour(), both.colour());
            s.truncate(1);
            assertThat(s.colour(0)).as("the shots left name it again").isEqualTo(alone.colour());
        }
        try (SceneSession sil = session(SIL.model(), SIL.root(), SceneSession.Options.defaults())) {
            sil.generateShot(0, shot(c0, 2, 1, PAN_RIGHT_MEDIUM), ChunkListener.NONE, CancellationToken.none());
            assertThat(sil.colour(0)).as("a silhouette model paints nothing").isEqualTo(-1);
            assertThat(sil.sceneColour()).isEmpty();
            assertThat(sil.sceneKind()).isPresent();
        }
    }

    @Test
    void wordsThatTurnTheColourAloneInvalidateTheCachesAndRedrawTheContextWordsThatKeepItKeepThem() {
        float[][] c0 = caption(0);
        float[][] c1 = caption(anotherOwnColour(ownColour(c0)));
        // the storyboard's third shot, the one generated next, worded three ways: all name one kind; x and z one
        // colour, y another
        int x = 400;
        SceneActor ax = actor(GLOBAL, c0, c1, caption(x));
        int y = seedWhere(x + 1, a -> a.kind() == ax.kind() && a.colour() != ax.colour(), GLOBAL, c0, c1);
        int z = seedWhere(y + 1, a -> a.equals(ax), GLOBAL, c0, c1);
        SceneActor ay = actor(GLOBAL, c0, c1, caption(y));
        SceneSession.Options base = SceneSession.Options.defaults();
        try (SceneSession cached = session(PAINT.model(), PAINT.root(), base);
             SceneSession full = session(PAINT.model(), PAINT.root(), base.withRecompute(true));
             SceneSession kept = session(PAINT.model(), PAINT.root(), base)) {
            for (SceneSession s : List.of(cached, full, kept)) {
                s.setSceneWords(List.of(c0, c1, caption(x)));
                s.generateShot(0, shot(c0, 2, 1, ZOOM_IN_WIDE), ChunkListener.NONE, CancellationToken.none());
                s.generateShot(1, shot(c1, 4, 2, PAN_RIGHT_MEDIUM), ChunkListener.NONE, CancellationToken.none());
            }
            assertThat(cached.isCached(0)).isTrue();
            assertThat(cached.isCached(1)).isTrue();
            long bytes = cached.cachedBytes();

            cached.setSceneWords(List.of(c0, c1, caption(z)));
            assertThat(cached.isCached(0)).as("other words, the same kind and colour: the caches stay").isTrue();
            assertThat(cached.isCached(1)).isTrue();
            assertThat(cached.cachedBytes()).isEqualTo(bytes);
            assertThat(List.of(cached.colour(0), cached.colour(1))).containsExactly(ax.colour(), ax.colour());

            for (SceneSession s : List.of(cached, full)) {
                s.setSceneWords(List.of(c0, c1, caption(y)));
            }
            assertThat(List.of(cached.colour(0), cached.colour(1))).as("every shot follows the scene's colour")
                    .containsExactly(ay.colour(), ay.colour());
            assertThat(List.of(cached.kind(0), cached.kind(1))).as("the kind and facings stay")
                    .containsExactly(drawn(ax.kind(), c0), drawn(ax.kind(), c1));
            assertThat(cached.isCached(0)).as("the context K/V read the old colour").isFalse();
            assertThat(cached.isCached(1)).isFalse();

            SceneSession.ShotRequest third = shot(caption(y), 2, 3, ZOOM_IN_WIDE);
            float[] a = cached.generateShot(2, third, ChunkListener.NONE, CancellationToken.none()).latents();
            float[] b = full.generateShot(2, third, ChunkListener.NONE, CancellationToken.none()).latents();
            float[] c = kept.generateShot(2, third, ChunkListener.NONE, CancellationToken.none()).latents();
            double err = Fixtures.maxAbsDiff(a, b);
            Fixtures.report("painted session, the scene's colour turned: cache vs recompute", err);
            assertThat(err).as("the next forward reads the new colour in its context").isLessThanOrEqualTo(TOL);
            try (SceneSession fresh = session(PAINT.model(), PAINT.root(), base)) {
                // the same shots given to a session that only ever knew the new words: its context is computed afresh
                fresh.setSceneWords(List.of(c0, c1, caption(y)));
                fresh.putShot(0, new SceneSession.ShotContent(c0, cached.latents(0), 2, 1, "a", ZOOM_IN_WIDE));
                fresh.putShot(1, new SceneSession.ShotContent(c1, cached.latents(1), 4, 2, "b", PAN_RIGHT_MEDIUM));
                float[] afresh = fresh.generateShot(2, third, ChunkListener.NONE, CancellationToken.none()).latents();
                assertThat(Fixtures.maxAbsDiff(afresh, a)).as("no K/V of the old colour is left in the context").isZero();
            }
            assertThat(Fixtures.maxAbsDiff(a, c)).as("the scene's colour steers the shot").isGreaterThan(1e-3);
            assertThat(kept.colour(2)).isEqualTo(ax.colour());
            assertThat(cached.colour(2)).isEqualTo(ay.colour());
        }
    }

    @Test
    void aForwardReadsThePaintedSilhouettesOfItsShotsInEveryRow() {
        ActorBoxes boxes = ActorBoxes.of(PAINT.model());
        BoxPlanner planner = planner();
        int h = PAINT.model().config().dit().latentH();
        int w = PAINT.model().config().dit().latentW();
        float[] text0 = rows(caption(0));
        float[] text1 = rows(caption(7));
        BoxPlanner.NamedKind ball = new BoxPlanner.NamedKind(0, 1);
        BoxPlanner.NamedKind fishLeft = new BoxPlanner.NamedKind(2, -1);
        SessionShot shot0 = new SessionShot(text0, ZOOM_IN_WIDE, new float[0],
                boxes.plan(PAINT.root(), text0, ZOOM_IN_WIDE, 0, 4, 4), ball, 1, 4, 1, "a");
        SessionShot shot1 = new SessionShot(text1, PAN_RIGHT_MEDIUM, new float[0],
                boxes.plan(PAINT.root(), text1, PAN_RIGHT_MEDIUM, 0, 6, 6), fishLeft, 3, 6, 2, "b");
        List<Segment> segs = List.of(Segment.globalCaption(), Segment.wholeShot(0, 4), Segment.frames(1, 2, 3));
        float[] templates = planner.templates();
        int s = planner.config().templateSize();
        float[] boxes0 = shot0.boxes;
        float[] boxes1 = Arrays.copyOfRange(shot1.boxes, 2 * 4, 5 * 4);
        float[] sil0 = SilhouetteMasks.masks(boxes0, templates, s, 0, 1, h, w);
        float[] sil1 = SilhouetteMasks.masks(boxes1, templates, s, 2, -1, h, w);
        float[] expected = concat(PaintedMasks.masks(sil0, planner.rgb(1), h, w),
                PaintedMasks.masks(sil1, planner.rgb(3), h, w));
        float[] swapped = concat(PaintedMasks.masks(sil0, planner.rgb(3), h, w),
                PaintedMasks.masks(sil1, planner.rgb(1), h, w));
        try (NDManager scope = PAINT.root().newSubManager()) {
            NDArray masks = boxes.masks(scope, segs, j -> j == 0 ? shot0 : shot1, 2);
            assertThat(masks.getShape().getShape()).containsExactly(2, 7, 4, h, w);
            float[] all = masks.toFloatArray();
            assertThat(Arrays.copyOf(all, expected.length)).containsExactly(expected);
            assertThat(Arrays.copyOfRange(all, expected.length, all.length)).as("the CFG row").containsExactly(expected);
        }
        assertThat(Fixtures.maxAbsDiff(expected, swapped)).as("each shot its own colour").isGreaterThan(0.05);
        // the first plane of every frame is the silhouette itself
        int plane = h * w;
        for (int f = 0; f < 4; f++) {
            assertThat(Arrays.copyOfRange(expected, f * 4 * plane, f * 4 * plane + plane))
                    .containsExactly(Arrays.copyOfRange(sil0, f * plane, (f + 1) * plane));
        }
    }

    @ParameterizedTest
    @EnumSource(ChunkGuidance.class)
    void cachedGenerationAndExtensionEqualFullRecomputeWithPaintedSilhouettes(ChunkGuidance guidance) {
        float[][] c0 = caption(0);
        float[][] c1 = caption(anotherOwnColour(ownColour(c0)));
        SceneSession.Options base = SceneSession.Options.defaults().withChunkGuidance(guidance);
        try (SceneSession cached = session(PAINT.model(), PAINT.root(), base);
             SceneSession full = session(PAINT.model(), PAINT.root(), base.withRecompute(true))) {
            double err = 0;
            SceneSession.Result[] r = new SceneSession.Result[2];
            int i = 0;
            for (SceneSession s : List.of(cached, full)) {
                s.generateShot(0, shot(c0, 2, 1, ZOOM_IN_WIDE), ChunkListener.NONE, CancellationToken.none());
                r[i++] = s.generateShot(1, shot(c1, 4, 2, PAN_RIGHT_MEDIUM), ChunkListener.NONE,
                        CancellationToken.none());
            }
            err = Math.max(err, Fixtures.maxAbsDiff(r[0].latents(), r[1].latents()));
            SceneSession.Result a = cached.extendShot(1, SceneSessionTest.extension(2, 7, 3.0, STEPS), ChunkListener.NONE,
                    CancellationToken.none());
            SceneSession.Result b = full.extendShot(1, SceneSessionTest.extension(2, 7, 3.0, STEPS), ChunkListener.NONE,
                    CancellationToken.none());
            err = Math.max(err, Fixtures.maxAbsDiff(a.latents(), b.latents()));
            SceneSession.Result c = cached.generateShot(2, shot(caption(2), 2, 3, ZOOM_IN_WIDE), ChunkListener.NONE,
                    CancellationToken.none());
            SceneSession.Result d = full.generateShot(2, shot(caption(2), 2, 3, ZOOM_IN_WIDE), ChunkListener.NONE,
                    CancellationToken.none());
            err = Math.max(err, Fixtures.maxAbsDiff(c.latents(), d.latents()));
            Fixtures.report("painted session, cache vs recompute, " + guidance, err);
            assertThat(err).isLessThanOrEqualTo(TOL);
        }
    }

    @Test
    void theNamedColourSteersTheShotThroughItsPaletteRow() throws Exception {
        // three copies of the model folder whose planners name a forced colour; the same DiT, captions, labels, seeds,
        // boxes and kinds. Colour 1 painted with colour 3's fill is colour 3.
        Path red = forced(dir.resolve("colour-1"), 1, false);
        Path black = forced(dir.resolve("colour-3"), 3, false);
        Path redAsBlack = forced(dir.resolve("colour-1-filled-3"), 1, true);
        TorchRuntime.configure();
        float[][] latents = new float[3][];
        int[] colours = new int[3];
        int i = 0;
        try (NDManager root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager()) {
            for (Path folder : List.of(red, black, redAsBlack)) {
                try (StoryboardModel m = StoryboardModel.load(folder, root);
                     SceneSession s = session(m, root, SceneSession.Options.defaults())) {
                    latents[i] = s.generateShot(0, shot(caption(0), 4, 1, PAN_RIGHT_MEDIUM), ChunkListener.NONE,
                            CancellationToken.none()).latents();
                    colours[i++] = s.colour(0);
                }
            }
        }
        assertThat(colours).containsExactly(1, 3, 1);
        assertThat(Fixtures.maxAbsDiff(latents[0], latents[1])).as("the colour steers the shot").isGreaterThan(1e-3);
        double same = Fixtures.maxAbsDiff(latents[1], latents[2]);
        Fixtures.report("painted session, colour 3 vs colour 1 filled as 3", same);
        assertThat(same).as("a colour is its palette row").isLessThanOrEqualTo(1e-6);
    }

    /** The painted fixture's model folder in {@code to}, its planner forced to name {@code colour}; palette row 1 given
     *  row 3's fill if {@code fillAsBlack}. */
    private static Path forced(Path to, int colour, boolean fillAsBlack) throws Exception {
        Files.createDirectories(to);
        ModelFolder.copy(Fixtures.TINY_PAINT, to);
        ModelFolder.rewriteTensors(to, BoxPlanner.FILE, tensors -> {
            tensors.get("colour.2.bias").data()[colour] += 50f;
            if (fillAsBlack) {
                float[] palette = tensors.get("palette").data();
                System.arraycopy(palette, 9, palette, 3, 3);
            }
        });
        return to;
    }

    private static float[] rows(float[][] caption) {
        return SceneSessionTest.rows(caption, PAINT.model());
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
