package dev.storyboard.inference.session;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Scene sessions on the tiny silhouette model (training/fixtures/tiny-sil): a shot's kind and facing are named from its
 * caption where its boxes are planned (a new shot, an extension, a finished shot given as context), and every forward —
 * a shot's chunks, its extension, the cached or recomputed context, both CFG rows — reads, in the actor's box input, the
 * silhouette of its shot's named kind, facing the named way, drawn into each frame's box.
 */
class SilhouetteSessionTest {
    private static final int STEPS = 3;
    private static final double TOL = 1e-4;
    private static final ShotLabel PAN_RIGHT_MEDIUM = new ShotLabel(3, 2);
    private static final ShotLabel ZOOM_IN_WIDE = new ShotLabel(4, 1);

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
        s.setGlobalCaption(SceneSessionTest.caption(99, 6));
        return s;
    }

    private static float[] rows(float[][] caption) {
        int dim = SIL.model().config().dit().textDim();
        float[] rows = new float[SIL.model().config().dit().lTxt() * dim];
        for (int i = 0; i < caption.length; i++) {
            System.arraycopy(caption[i], 0, rows, i * dim, dim);
        }
        return rows;
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

    @Test
    void shotsAreNamedFromTheirCaptionWhereTheirBoxesArePlanned() {
        int other = captionOfAnotherKindAndWay();
        try (SceneSession s = session(SIL.model(), SIL.root(), SceneSession.Options.defaults())) {
            s.generateShot(0, shot(0, 4, 1, PAN_RIGHT_MEDIUM), ChunkListener.NONE, CancellationToken.none());
            assertThat(s.kind(0)).isEqualTo(named(SceneSessionTest.caption(0, 5)));
            float[] drawn = s.boxes(0);
            s.extendShot(0, SceneSessionTest.extension(4, 7, 3.0, STEPS), ChunkListener.NONE, CancellationToken.none());
            assertThat(s.kind(0)).as("an extension's frames: the same caption, the same kind").isEqualTo(
                    named(SceneSessionTest.caption(0, 5)));
            assertThat(s.boxes(0)).hasSize(8 * BoxPlanner.BOX);
            assertThat(Arrays.copyOf(s.boxes(0), 4 * BoxPlanner.BOX)).containsExactly(drawn);

            s.generateShot(1, shot(other, 2, 2, ZOOM_IN_WIDE), ChunkListener.NONE, CancellationToken.none());
            assertThat(s.kind(1)).isEqualTo(named(SceneSessionTest.caption(other, 5))).isNotEqualTo(s.kind(0));
            // a finished shot given as context is named from its caption too
            s.putShot(2, new SceneSession.ShotContent(SceneSessionTest.caption(other, 3), s.latents(0), 8, 9, "take",
                    ZOOM_IN_WIDE));
            assertThat(s.kind(2)).isEqualTo(named(SceneSessionTest.caption(other, 3)));
        }
        try (SceneSession box = session(BOX.model(), BOX.root(), SceneSession.Options.defaults())) {
            box.generateShot(0, shot(0, 2, 1, PAN_RIGHT_MEDIUM), ChunkListener.NONE, CancellationToken.none());
            assertThat(box.kind(0)).as("a box model names no kind").isNull();
            assertThat(box.boxes(0)).hasSize(2 * BoxPlanner.BOX);
        }
    }

    @Test
    void aForwardReadsTheSilhouettesOfItsShotsKindsInEveryRow() {
        ActorBoxes boxes = ActorBoxes.of(SIL.model());
        BoxPlanner planner = SIL.model().boxPlanner().orElseThrow();
        int h = SIL.model().config().dit().latentH();
        int w = SIL.model().config().dit().latentW();
        float[] text0 = rows(SceneSessionTest.caption(0, 5));
        float[] text1 = rows(SceneSessionTest.caption(captionOfAnotherKindAndWay(), 5));
        SessionShot shot0 = new SessionShot(text0, ZOOM_IN_WIDE, new float[0],
                boxes.plan(SIL.root(), text0, ZOOM_IN_WIDE, 0, 4, 4), boxes.name(SIL.root(), text0), 4, 1, "a");
        SessionShot shot1 = new SessionShot(text1, PAN_RIGHT_MEDIUM, new float[0],
                boxes.plan(SIL.root(), text1, PAN_RIGHT_MEDIUM, 0, 6, 6), boxes.name(SIL.root(), text1), 6, 2, "b");
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
