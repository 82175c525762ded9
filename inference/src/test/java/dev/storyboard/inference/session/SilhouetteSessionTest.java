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
import dev.storyboard.inference.layout.BoxMasks;
import dev.storyboard.inference.layout.BoxPlanner;
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
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Scene sessions on the tiny silhouette model (training/fixtures/tiny-sil): every shot is drawn with the scene's one
 * kind, named from all the scene's words (the global caption and every shot's caption of the storyboard, or without
 * them the shots held and the target), and faces the way its own caption names where its boxes are planned (a new shot,
 * an extension, a finished shot given as context); a change of the scene's kind redraws every shot and invalidates the
 * caches. Every forward — a shot's chunks, its extension, the cached or recomputed context, both CFG rows — reads, in
 * the actor's box input, the silhouette of its shot's kind, facing its way, drawn into each frame's box.
 */
class SilhouetteSessionTest {
    private static final int STEPS = 3;
    private static final double TOL = 1e-4;
    private static final ShotLabel PAN_RIGHT_MEDIUM = new ShotLabel(3, 2);
    private static final ShotLabel ZOOM_IN_WIDE = new ShotLabel(4, 1);
    private static final float[][] GLOBAL = SceneSessionTest.caption(99, 6);     // every session's global caption

    @RegisterExtension
    static final TinyModelExtension SIL = new TinyModelExtension(Fixtures.TINY_SIL);
    @RegisterExtension
    static final TinyModelExtension BOX = new TinyModelExtension(Fixtures.TINY_BOX);

    @TempDir
    Path dir;

    private static SceneSession.ShotRequest shot(int captionSeed, int frames, long seed, ShotLabel label) {
        return new SceneSession.ShotRequest(SceneSessionTest.caption(captionSeed, 5), frames, seed, 3.0, STEPS, label);
    }

    private static SceneSession session(StoryboardModel model, NDManager root, SceneSession.Options options) {
        SceneSession s = new SceneSession(model, root, options.withDecode(false).withLongContext(LongContextPolicy.exact()));
        s.setGlobalCaption(GLOBAL);
        return s;
    }

    private static float[] rows(float[][] caption) {
        return SceneSessionTest.rows(caption, SIL.model());
    }

    /** The kind and facing the planner names for a caption, computed here. */
    private static BoxPlanner.NamedKind named(float[][] caption) {
        try (NDManager scope = SIL.root().newSubManager()) {
            return SIL.model().boxPlanner().orElseThrow().name(scope,
                    CaptionCondition.pool(rows(caption), SIL.model().config().dit().textDim()));
        }
    }

    /** Caption seeds 0, 1, … : the first whose named kind and facing both differ from seed 0's. */
    private static int captionOfAnotherKindAndWay() {
        BoxPlanner.NamedKind first = named(SceneSessionTest.caption(0, 5));
        for (int seed = 1; seed < 200; seed++) {
            BoxPlanner.NamedKind k = named(SceneSessionTest.caption(seed, 5));
            if (k.kind() != first.kind() && k.facing() != first.facing()) {
                return seed;
            }
        }
        throw new AssertionError("no caption names another kind facing the other way");
    }

    private static BoxPlanner planner() {
        return SIL.model().boxPlanner().orElseThrow();
    }

    /** The scene's kind of these captions, computed here ({@link BoxPlanner#sceneKind} of their pooled captions). */
    private static int sceneKind(float[][]... captions) {
        List<float[]> pooled = new ArrayList<>();
        for (float[][] c : captions) {
            pooled.add(CaptionCondition.pool(rows(c), SIL.model().config().dit().textDim()));
        }
        try (NDManager scope = SIL.root().newSubManager()) {
            return planner().sceneKind(scope, pooled);
        }
    }

    /** The kind and facing a shot of caption {@code caption} is drawn with in a scene of kind {@code kind}. */
    private static BoxPlanner.NamedKind drawn(int kind, float[][] caption) {
        return new BoxPlanner.NamedKind(kind, named(caption).facing());
    }

    private static float[][] caption(int seed) {
        return SceneSessionTest.caption(seed, 5);
    }

    /** Caption seeds from {@code from}: the first whose caption, added to {@code scene}, gives a kind that {@code ok}. */
    private static int seedWhere(int from, IntPredicate ok, float[][]... scene) {
        for (int seed = from; seed < from + 300; seed++) {
            float[][][] with = Arrays.copyOf(scene, scene.length + 1);
            with[scene.length] = caption(seed);
            if (ok.test(sceneKind(with))) {
                return seed;
            }
        }
        throw new AssertionError("no caption gives such a scene kind");
    }

    @Test
    void withoutTheScenesWordsEveryShotIsDrawnWithTheKindOfTheWordsItHoldsFacingItsOwnWay() {
        float[][] c0 = caption(0);
        int k0 = sceneKind(GLOBAL, c0);
        // a second shot whose words turn the scene's kind, and that faces the other way
        int seed = 1;
        while (sceneKind(GLOBAL, c0, caption(seed)) == k0 || named(caption(seed)).facing() == named(c0).facing()) {
            assertThat(++seed).as("a caption that turns the kind and faces the other way").isLessThan(300);
        }
        int other = seed;
        float[][] c1 = caption(other);
        int k1 = sceneKind(GLOBAL, c0, c1);
        try (SceneSession s = session(SIL.model(), SIL.root(), SceneSession.Options.defaults())) {
            assertThat(s.drawsSceneKind()).isTrue();
            s.generateShot(0, shot(0, 4, 1, PAN_RIGHT_MEDIUM), ChunkListener.NONE, CancellationToken.none());
            assertThat(s.kind(0)).isEqualTo(drawn(k0, c0));
            assertThat(s.sceneKind()).hasValue(k0);
            float[] drawnBoxes = s.boxes(0);
            s.extendShot(0, SceneSessionTest.extension(4, 7, 3.0, STEPS), ChunkListener.NONE, CancellationToken.none());
            assertThat(s.kind(0)).as("an extension's frames: the same words, the same kind").isEqualTo(drawn(k0, c0));
            assertThat(s.boxes(0)).hasSize(8 * BoxPlanner.BOX);
            assertThat(Arrays.copyOf(s.boxes(0), 4 * BoxPlanner.BOX)).containsExactly(drawnBoxes);

            s.generateShot(1, shot(other, 2, 2, ZOOM_IN_WIDE), ChunkListener.NONE, CancellationToken.none());
            assertThat(s.kind(1)).isEqualTo(drawn(k1, c1));
            assertThat(s.kind(0)).as("the shot held follows the scene's kind and keeps its way").isEqualTo(drawn(k1, c0));
            assertThat(s.kind(0).facing()).isNotEqualTo(s.kind(1).facing());
            // a finished shot given as context brings its words too
            float[][] c2 = SceneSessionTest.caption(other, 3);
            s.putShot(2, new SceneSession.ShotContent(c2, s.latents(0), 8, 9, "take", ZOOM_IN_WIDE));
            int k2 = sceneKind(GLOBAL, c0, c1, c2);
            assertThat(List.of(s.kind(0), s.kind(1), s.kind(2))).containsExactly(drawn(k2, c0), drawn(k2, c1),
                    drawn(k2, c2));
            // the shots left name it again
            s.truncate(1);
            assertThat(s.kind(0)).isEqualTo(drawn(k0, c0));
            assertThat(s.sceneKind()).hasValue(k0);

            // a cancelled operation whose target would turn the kind leaves the shots' kinds as they were
            CancellationToken cancelled = new CancellationToken();
            cancelled.cancel();
            assertThatThrownBy(() -> s.generateShot(1, shot(other, 2, 2, ZOOM_IN_WIDE), ChunkListener.NONE, cancelled))
                    .isInstanceOf(CancelledException.class);
            assertThat(s.shotCount()).isEqualTo(1);
            assertThat(s.kind(0)).isEqualTo(drawn(k0, c0));
        }
        try (SceneSession box = session(BOX.model(), BOX.root(), SceneSession.Options.defaults())) {
            box.generateShot(0, shot(0, 2, 1, PAN_RIGHT_MEDIUM), ChunkListener.NONE, CancellationToken.none());
            assertThat(box.kind(0)).as("a box model names no kind").isNull();
            assertThat(box.boxes(0)).hasSize(2 * BoxPlanner.BOX);
            assertThat(box.drawsSceneKind()).isFalse();
            assertThat(box.sceneKind()).isEmpty();
            box.setSceneWords(List.of(c0, c1));
            assertThat(box.isCached(0)).as("a box model's words change nothing").isTrue();
            assertThat(box.sceneKind()).isEmpty();
        }
    }

    @Test
    void aScenesShotsAreAllDrawnWithTheKindOfAllItsWordsLaterShotsIncluded() {
        float[][] c0 = caption(0);
        float[][] c1 = caption(captionOfAnotherKindAndWay());
        assertThat(named(c0).kind()).as("the shots' own words name different kinds").isNotEqualTo(named(c1).kind());
        int held = sceneKind(GLOBAL, c0, c1);
        // a third shot of the storyboard, not yet in the session, whose words turn the scene's kind
        float[][] later = caption(seedWhere(200, k -> k != held, GLOBAL, c0, c1));
        int scene = sceneKind(GLOBAL, c0, c1, later);
        try (SceneSession s = session(SIL.model(), SIL.root(), SceneSession.Options.defaults())) {
            s.setSceneWords(List.of(c0, c1, later));
            assertThat(s.sceneKind()).hasValue(scene);
            s.generateShot(0, shot(0, 2, 1, PAN_RIGHT_MEDIUM), ChunkListener.NONE, CancellationToken.none());
            s.generateShot(1, new SceneSession.ShotRequest(c1, 2, 2, 3.0, STEPS, ZOOM_IN_WIDE), ChunkListener.NONE,
                    CancellationToken.none());
            assertThat(List.of(s.kind(0), s.kind(1))).as("the surest of every shot's words, each shot its own way")
                    .containsExactly(drawn(scene, c0), drawn(scene, c1));
            // the global caption is part of the scene's words: a new one that turns the kind redraws every shot
            int g = 300;
            while (sceneKind(SceneSessionTest.caption(g, 6), c0, c1, later) == scene) {
                assertThat(++g).as("a global caption that turns the kind").isLessThan(600);
            }
            int turned = sceneKind(SceneSessionTest.caption(g, 6), c0, c1, later);
            s.setGlobalCaption(SceneSessionTest.caption(g, 6));
            assertThat(s.sceneKind()).hasValue(turned);
            assertThat(List.of(s.kind(0), s.kind(1))).containsExactly(drawn(turned, c0), drawn(turned, c1));
            // without the scene's words again: the shots held (and the global caption) name it
            s.setSceneWords(null);
            assertThat(s.sceneKind()).hasValue(sceneKind(SceneSessionTest.caption(g, 6), c0, c1));
        }
    }

    @Test
    void wordsThatTurnTheKindInvalidateTheCachesAndRedrawTheContextWordsThatKeepItKeepThem() {
        float[][] c0 = caption(0);
        float[][] c1 = caption(captionOfAnotherKindAndWay());
        // the storyboard's third shot, the one generated next, worded three ways: x and z name one kind, y another
        int x = 400;
        int kx = sceneKind(GLOBAL, c0, c1, caption(x));
        int y = seedWhere(x + 1, k -> k != kx, GLOBAL, c0, c1);
        int z = seedWhere(y + 1, k -> k == kx, GLOBAL, c0, c1);
        int ky = sceneKind(GLOBAL, c0, c1, caption(y));
        SceneSession.Options base = SceneSession.Options.defaults();
        try (SceneSession cached = session(SIL.model(), SIL.root(), base);
             SceneSession full = session(SIL.model(), SIL.root(), base.withRecompute(true));
             SceneSession kept = session(SIL.model(), SIL.root(), base)) {
            for (SceneSession s : List.of(cached, full, kept)) {
                s.setSceneWords(List.of(c0, c1, caption(x)));
                s.generateShot(0, new SceneSession.ShotRequest(c0, 2, 1, 3.0, STEPS, ZOOM_IN_WIDE), ChunkListener.NONE,
                        CancellationToken.none());
                s.generateShot(1, new SceneSession.ShotRequest(c1, 4, 2, 3.0, STEPS, PAN_RIGHT_MEDIUM),
                        ChunkListener.NONE, CancellationToken.none());
            }
            assertThat(cached.isCached(0)).isTrue();
            assertThat(cached.isCached(1)).isTrue();
            long bytes = cached.cachedBytes();

            cached.setSceneWords(List.of(c0, c1, caption(z)));
            assertThat(cached.isCached(0)).as("other words, the same kind: the caches stay").isTrue();
            assertThat(cached.isCached(1)).isTrue();
            assertThat(cached.cachedBytes()).isEqualTo(bytes);
            assertThat(List.of(cached.kind(0), cached.kind(1))).containsExactly(drawn(kx, c0), drawn(kx, c1));

            for (SceneSession s : List.of(cached, full)) {
                s.setSceneWords(List.of(c0, c1, caption(y)));
            }
            assertThat(List.of(cached.kind(0), cached.kind(1))).as("every shot follows the scene's kind, facing its way")
                    .containsExactly(drawn(ky, c0), drawn(ky, c1));
            assertThat(cached.isCached(0)).as("the context K/V read the old silhouettes").isFalse();
            assertThat(cached.isCached(1)).isFalse();

            SceneSession.ShotRequest third = new SceneSession.ShotRequest(caption(y), 2, 3, 3.0, STEPS, ZOOM_IN_WIDE);
            float[] a = cached.generateShot(2, third, ChunkListener.NONE, CancellationToken.none()).latents();
            float[] b = full.generateShot(2, third, ChunkListener.NONE, CancellationToken.none()).latents();
            float[] c = kept.generateShot(2, third, ChunkListener.NONE, CancellationToken.none()).latents();
            double err = Fixtures.maxAbsDiff(a, b);
            Fixtures.report("silhouette session, the scene's kind turned: cache vs recompute", err);
            assertThat(err).as("the next forward reads the new kind's silhouettes in its context").isLessThanOrEqualTo(TOL);
            try (SceneSession fresh = session(SIL.model(), SIL.root(), base)) {
                // the same shots given to a session that only ever knew the new words: its context is computed afresh
                fresh.setSceneWords(List.of(c0, c1, caption(y)));
                fresh.putShot(0, new SceneSession.ShotContent(c0, cached.latents(0), 2, 1, "a", ZOOM_IN_WIDE));
                fresh.putShot(1, new SceneSession.ShotContent(c1, cached.latents(1), 4, 2, "b", PAN_RIGHT_MEDIUM));
                float[] afresh = fresh.generateShot(2, third, ChunkListener.NONE, CancellationToken.none()).latents();
                assertThat(Fixtures.maxAbsDiff(afresh, a)).as("no K/V of the old silhouettes is left in the context "
                        + "(the old K/V move the shot by ~1e-5, under the recompute tolerance)").isZero();
            }
            assertThat(Fixtures.maxAbsDiff(a, c)).as("the scene's kind steers the shot").isGreaterThan(1e-3);
            assertThat(kept.kind(2)).isEqualTo(drawn(kx, caption(y)));
            assertThat(cached.kind(2)).isEqualTo(drawn(ky, caption(y)));
        }
    }

    @Test
    void aForwardReadsTheSilhouettesOfItsShotsKindsInEveryRow() {
        ActorBoxes boxes = ActorBoxes.of(SIL.model());
        BoxPlanner planner = SIL.model().boxPlanner().orElseThrow();
        int h = SIL.model().config().dit().latentH();
        int w = SIL.model().config().dit().latentW();
        float[] text0 = rows(SceneSessionTest.caption(0, 5));
        int other = captionOfAnotherKindAndWay();
        float[] text1 = rows(SceneSessionTest.caption(other, 5));
        SessionShot shot0 = new SessionShot(text0, ZOOM_IN_WIDE, new float[0],
                boxes.plan(SIL.root(), text0, ZOOM_IN_WIDE, 0, 4, 4), named(SceneSessionTest.caption(0, 5)), 4, 1, "a");
        SessionShot shot1 = new SessionShot(text1, PAN_RIGHT_MEDIUM, new float[0],
                boxes.plan(SIL.root(), text1, PAN_RIGHT_MEDIUM, 0, 6, 6), named(SceneSessionTest.caption(other, 5)), 6, 2,
                "b");
        assertThat(shot0.kind.kind()).isNotEqualTo(shot1.kind.kind());
        assertThat(shot0.kind.facing()).isNotEqualTo(shot1.kind.facing());
        List<Segment> segs = List.of(Segment.globalCaption(), Segment.wholeShot(0, 4), Segment.frames(1, 2, 3));
        float[] templates = planner.templates();
        int s = planner.config().templateSize();
        float[] boxes0 = shot0.boxes;
        float[] boxes1 = Arrays.copyOfRange(shot1.boxes, 2 * 4, 5 * 4);
        float[] expected = concat(
                SilhouetteMasks.masks(boxes0, templates, s, shot0.kind.kind(), shot0.kind.facing(), h, w),
                SilhouetteMasks.masks(boxes1, templates, s, shot1.kind.kind(), shot1.kind.facing(), h, w));
        float[] swapped = concat(
                SilhouetteMasks.masks(boxes0, templates, s, shot1.kind.kind(), shot1.kind.facing(), h, w),
                SilhouetteMasks.masks(boxes1, templates, s, shot0.kind.kind(), shot0.kind.facing(), h, w));
        float[] mirrored = concat(
                SilhouetteMasks.masks(boxes0, templates, s, shot0.kind.kind(), -shot0.kind.facing(), h, w),
                SilhouetteMasks.masks(boxes1, templates, s, shot1.kind.kind(), -shot1.kind.facing(), h, w));
        try (NDManager scope = SIL.root().newSubManager()) {
            NDArray masks = boxes.masks(scope, segs, j -> j == 0 ? shot0 : shot1, 2);
            assertThat(masks.getShape().getShape()).containsExactly(2, 7, 1, h, w);
            float[] all = masks.toFloatArray();
            assertThat(Arrays.copyOf(all, expected.length)).containsExactly(expected);
            assertThat(Arrays.copyOfRange(all, expected.length, all.length)).as("the CFG row").containsExactly(expected);
        }
        assertThat(Fixtures.maxAbsDiff(expected, swapped)).as("each shot its own kind").isGreaterThan(0.05);
        assertThat(Fixtures.maxAbsDiff(expected, mirrored)).as("each shot its own way").isGreaterThan(0.05);
        assertThat(Fixtures.maxAbsDiff(expected, BoxMasks.masks(concat(boxes0, boxes1), h, w)))
                .as("silhouettes, not 0/1 boxes").isGreaterThan(0.05);
    }

    @ParameterizedTest
    @EnumSource(ChunkGuidance.class)
    void cachedGenerationAndExtensionEqualFullRecomputeWithSilhouettes(ChunkGuidance guidance) {
        int other = captionOfAnotherKindAndWay();
        SceneSession.Options base = SceneSession.Options.defaults().withChunkGuidance(guidance);
        try (SceneSession cached = session(SIL.model(), SIL.root(), base);
             SceneSession full = session(SIL.model(), SIL.root(), base.withRecompute(true))) {
            double err = 0;
            SceneSession.Result[] r = new SceneSession.Result[2];
            int i = 0;
            for (SceneSession s : List.of(cached, full)) {
                s.generateShot(0, shot(0, 2, 1, ZOOM_IN_WIDE), ChunkListener.NONE, CancellationToken.none());
                r[i++] = s.generateShot(1, shot(other, 4, 2, PAN_RIGHT_MEDIUM), ChunkListener.NONE,
                        CancellationToken.none());
            }
            err = Math.max(err, Fixtures.maxAbsDiff(r[0].latents(), r[1].latents()));
            SceneSession.Result a = cached.extendShot(1, SceneSessionTest.extension(2, 7, 3.0, STEPS), ChunkListener.NONE,
                    CancellationToken.none());
            SceneSession.Result b = full.extendShot(1, SceneSessionTest.extension(2, 7, 3.0, STEPS), ChunkListener.NONE,
                    CancellationToken.none());
            err = Math.max(err, Fixtures.maxAbsDiff(a.latents(), b.latents()));
            SceneSession.Result c = cached.generateShot(2, shot(2, 2, 3, ZOOM_IN_WIDE), ChunkListener.NONE,
                    CancellationToken.none());
            SceneSession.Result d = full.generateShot(2, shot(2, 2, 3, ZOOM_IN_WIDE), ChunkListener.NONE,
                    CancellationToken.none());
            err = Math.max(err, Fixtures.maxAbsDiff(c.latents(), d.latents()));
            Fixtures.report("silhouette session, cache vs recompute, " + guidance, err);
            assertThat(err).isLessThanOrEqualTo(TOL);
        }
    }

    @Test
    void theNamedKindAndFacingSteerTheShotThroughTheirTemplate() throws Exception {
        // four copies of the model folder whose planners name a forced kind and way; the same DiT, captions, labels,
        // seeds and boxes (the box MLP is untouched)
        Path rightK0 = forced(dir.resolve("right-k0"), 0, 50f, false);
        Path leftK0Flipped = forced(dir.resolve("left-k0-flipped"), 0, -50f, true);
        Path leftK0 = forced(dir.resolve("left-k0"), 0, -50f, false);
        Path rightK1 = forced(dir.resolve("right-k1"), 1, 50f, false);
        TorchRuntime.configure();
        float[][] latents = new float[4][];
        BoxPlanner.NamedKind[] kinds = new BoxPlanner.NamedKind[4];
        int i = 0;
        try (NDManager root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager()) {
            for (Path folder : List.of(rightK0, leftK0Flipped, leftK0, rightK1)) {
                try (StoryboardModel m = StoryboardModel.load(folder, root);
                     SceneSession s = session(m, root, SceneSession.Options.defaults())) {
                    latents[i] = s.generateShot(0, shot(0, 4, 1, PAN_RIGHT_MEDIUM), ChunkListener.NONE,
                            CancellationToken.none()).latents();
                    kinds[i++] = s.kind(0);
                }
            }
        }
        assertThat(kinds).containsExactly(new BoxPlanner.NamedKind(0, 1), new BoxPlanner.NamedKind(0, -1),
                new BoxPlanner.NamedKind(0, -1), new BoxPlanner.NamedKind(1, 1));
        double same = Fixtures.maxAbsDiff(latents[0], latents[1]);
        Fixtures.report("silhouette session, right vs left of mirrored", same);
        assertThat(same).as("facing left mirrors the template: a mirrored template facing left is the template facing "
                + "right").isLessThanOrEqualTo(1e-6);
        assertThat(Fixtures.maxAbsDiff(latents[0], latents[2])).as("the way it faces steers the shot").isGreaterThan(1e-3);
        assertThat(Fixtures.maxAbsDiff(latents[0], latents[3])).as("the kind steers the shot").isGreaterThan(1e-3);
    }

    /** The silhouette fixture's model folder in {@code to}, its planner forced to name {@code kind} facing by {@code
     *  faceBias}'s sign, its templates mirrored left to right if {@code flip}. */
    private static Path forced(Path to, int kind, float faceBias, boolean flip) throws Exception {
        Files.createDirectories(to);
        ModelFolder.copy(Fixtures.TINY_SIL, to);
        int s = SIL.model().boxPlanner().orElseThrow().config().templateSize();
        ModelFolder.rewriteTensors(to, BoxPlanner.FILE, tensors -> {
            float[] bias = tensors.get("kind.2.bias").data();
            bias[kind] += 50f;
            bias[bias.length - 1] = faceBias;
            if (flip) {
                float[] t = tensors.get("templates").data();
                float[] copy = t.clone();
                for (int k = 0; k < t.length / (s * s); k++) {
                    for (int y = 0; y < s; y++) {
                        for (int x = 0; x < s; x++) {
                            t[(k * s + y) * s + x] = copy[(k * s + y) * s + s - 1 - x];
                        }
                    }
                }
            }
        });
        return to;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
