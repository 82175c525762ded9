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
import dev.storyboard.inference.model.StoryboardModel;
import dev.storyboard.inference.testing.Fixtures;
import dev.storyboard.inference.testing.ModelFolder;
import dev.storyboard.inference.testing.TinyModelExtension;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Scene sessions on the tiny actor-box model (training/fixtures/tiny-box): the layout planner plans every frame's box
 * when the frame is made (frame k of F at k / F; an extension's new frames at the shot's new length), and every forward
 * — a shot's chunks, its extension, the cached or recomputed context — reads the boxes of exactly its frames.
 */
class ActorBoxSessionTest {
    private static final int STEPS = 3;
    private static final double TOL = 1e-4;
    private static final ShotLabel PAN_RIGHT_MEDIUM = new ShotLabel(3, 2);
    private static final ShotLabel ZOOM_IN_WIDE = new ShotLabel(4, 1);

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

    /** The planner's boxes of frames [from, to) of a shot of {@code shotFrames} frames, computed here. */
    private static float[] planned(float[][] caption, ShotLabel label, int from, int to, int shotFrames) {
        int dim = BOX.model().config().dit().textDim();
        float[] rows = new float[BOX.model().config().dit().lTxt() * dim];
        for (int i = 0; i < caption.length; i++) {
            System.arraycopy(caption[i], 0, rows, i * dim, dim);
        }
        float[] phases = new float[to - from];
        for (int k = from; k < to; k++) {
            phases[k - from] = (float) k / shotFrames;
        }
        try (NDManager scope = BOX.root().newSubManager()) {
            return BOX.model().boxPlanner().orElseThrow().plan(scope, CaptionCondition.pool(rows, dim), label.camera(),
                    label.shotSize(), phases);
        }
    }

    @ParameterizedTest
    @EnumSource(ChunkGuidance.class)
    void cachedGenerationAndExtensionEqualFullRecomputeWithBoxes(ChunkGuidance guidance) {
        SceneSession.Options base = SceneSession.Options.defaults().withChunkGuidance(guidance);
        try (SceneSession cached = session(BOX.model(), BOX.root(), base);
             SceneSession full = session(BOX.model(), BOX.root(), base.withRecompute(true))) {
            double err = 0;
            SceneSession.Result[] r = new SceneSession.Result[2];
            int i = 0;
            for (SceneSession s : List.of(cached, full)) {
                s.generateShot(0, shot(0, 2, 1, ZOOM_IN_WIDE), ChunkListener.NONE, CancellationToken.none());
                r[i++] = s.generateShot(1, shot(1, 4, 2, PAN_RIGHT_MEDIUM), ChunkListener.NONE, CancellationToken.none());
            }
            err = Math.max(err, Fixtures.maxAbsDiff(r[0].latents(), r[1].latents()));
            SceneSession.Result a = cached.extendShot(1, SceneSessionTest.extension(2, 7, 3.0, STEPS), ChunkListener.NONE,
                    CancellationToken.none());
            SceneSession.Result b = full.extendShot(1, SceneSessionTest.extension(2, 7, 3.0, STEPS), ChunkListener.NONE,
                    CancellationToken.none());
            err = Math.max(err, Fixtures.maxAbsDiff(a.latents(), b.latents()));
            // shot 0 regenerated: shot 1's cache is stale and re-encoded with the boxes its frames were drawn with
            for (SceneSession s : List.of(cached, full)) {
                s.generateShot(0, shot(3, 2, 5, PAN_RIGHT_MEDIUM), ChunkListener.NONE, CancellationToken.none());
            }
            SceneSession.Result c = cached.generateShot(2, shot(2, 2, 3, ZOOM_IN_WIDE), ChunkListener.NONE,
                    CancellationToken.none());
            SceneSession.Result d = full.generateShot(2, shot(2, 2, 3, ZOOM_IN_WIDE), ChunkListener.NONE,
                    CancellationToken.none());
            err = Math.max(err, Fixtures.maxAbsDiff(c.latents(), d.latents()));
            Fixtures.report("box session, cache vs recompute, " + guidance, err);
            assertThat(a.frames()).isEqualTo(6);
            assertThat(err).isLessThanOrEqualTo(TOL);
        }
    }

    @Test
    void contextCausalShotsAndTheirExtensionReadTheirBoxes() {
        SceneSession.Options base = SceneSession.Options.defaults().withMode(ContextMode.CONTEXT_CAUSAL);
        try (SceneSession cached = session(BOX.model(), BOX.root(), base);
             SceneSession full = session(BOX.model(), BOX.root(), base.withRecompute(true))) {
            double err = 0;
            for (SceneSession s : List.of(cached, full)) {
                s.generateShot(0, shot(0, 4, 1, ZOOM_IN_WIDE), ChunkListener.NONE, CancellationToken.none());
                s.extendShot(0, SceneSessionTest.extension(2, 4, 3.0, STEPS), ChunkListener.NONE, CancellationToken.none());
            }
            err = Math.max(err, Fixtures.maxAbsDiff(cached.latents(0), full.latents(0)));
            float[] a = cached.generateShot(1, shot(1, 2, 2, PAN_RIGHT_MEDIUM), ChunkListener.NONE, CancellationToken.none()).latents();
            float[] b = full.generateShot(1, shot(1, 2, 2, PAN_RIGHT_MEDIUM), ChunkListener.NONE, CancellationToken.none()).latents();
            err = Math.max(err, Fixtures.maxAbsDiff(a, b));
            Fixtures.report("box session, context_causal, cache vs recompute", err);
            assertThat(err).isLessThanOrEqualTo(TOL);
        }
    }

    @Test
    void framesArePlannedAtTheShotsLengthWhenTheyAreMadeAndKeepTheirBoxes() {
        try (SceneSession s = session(BOX.model(), BOX.root(), SceneSession.Options.defaults())) {
            s.generateShot(0, shot(0, 4, 1, PAN_RIGHT_MEDIUM), ChunkListener.NONE, CancellationToken.none());
            float[] drawn = s.boxes(0);
            assertThat(drawn).containsExactly(planned(SceneSessionTest.caption(0, 5), PAN_RIGHT_MEDIUM, 0, 4, 4));

            s.extendShot(0, SceneSessionTest.extension(4, 7, 3.0, STEPS), ChunkListener.NONE, CancellationToken.none());
            float[] grown = s.boxes(0);
            assertThat(grown).hasSize(8 * BoxPlanner.BOX);
            assertThat(Arrays.copyOf(grown, 4 * BoxPlanner.BOX)).as("the drawn frames keep their boxes").containsExactly(drawn);
            assertThat(Arrays.copyOfRange(grown, 4 * BoxPlanner.BOX, 8 * BoxPlanner.BOX)).as("new frames k / 8")
                    .containsExactly(planned(SceneSessionTest.caption(0, 5), PAN_RIGHT_MEDIUM, 4, 8, 8));

            // a finished shot given as context is planned as one shot of its frames
            s.putShot(1, new SceneSession.ShotContent(SceneSessionTest.caption(4, 3), s.latents(0), 8, 9, "take",
                    ZOOM_IN_WIDE));
            assertThat(s.boxes(1)).containsExactly(planned(SceneSessionTest.caption(4, 3), ZOOM_IN_WIDE, 0, 8, 8));
        }
        try (SceneSession plain = new SceneSession(BOX.model(), BOX.root(), SceneSession.Options.defaults().withDecode(false))) {
            assertThat(plain.config().actorBoxCond()).isTrue();
        }
    }

    @Test
    void aForwardReadsTheMasksOfExactlyItsFramesInEveryRow() {
        ActorBoxes boxes = ActorBoxes.of(BOX.model());
        int h = BOX.model().config().dit().latentH();
        int w = BOX.model().config().dit().latentW();
        float[] text = new float[BOX.model().config().dit().lTxt() * 384];
        text[0] = 1f;
        SessionShot shot0 = new SessionShot(text, ZOOM_IN_WIDE, new float[0],
                boxes.plan(BOX.root(), text, ZOOM_IN_WIDE, 0, 4, 4), 4, 1, "a");
        SessionShot shot1 = new SessionShot(text, PAN_RIGHT_MEDIUM, new float[0],
                boxes.plan(BOX.root(), text, PAN_RIGHT_MEDIUM, 0, 6, 6), 6, 2, "b");
        List<Segment> segs = List.of(Segment.globalCaption(), Segment.wholeShot(0, 4), Segment.frames(1, 2, 3));
        try (NDManager scope = BOX.root().newSubManager()) {
            NDArray masks = boxes.masks(scope, segs, j -> j == 0 ? shot0 : shot1, 2);
            assertThat(masks.getShape().getShape()).containsExactly(2, 7, 1, h, w);
            float[] expected = BoxMasks.masks(concat(shot0.boxes, Arrays.copyOfRange(shot1.boxes, 2 * 4, 5 * 4)), h, w);
            float[] all = masks.toFloatArray();
            assertThat(Arrays.copyOf(all, expected.length)).containsExactly(expected);
            assertThat(Arrays.copyOfRange(all, expected.length, all.length)).as("the CFG row").containsExactly(expected);
        }
        assertThat(ActorBoxes.NONE.plan(BOX.root(), text, ZOOM_IN_WIDE, 0, 4, 4)).isNull();
        try (NDManager scope = BOX.root().newSubManager()) {
            assertThat(ActorBoxes.NONE.masks(scope, segs, j -> shot0, 2)).isNull();
        }
    }

    @Test
    void thePlannersBoxesSteerTheShot() throws Exception {
        // the same model folder with a planner whose boxes sit elsewhere: same DiT, captions, labels and seeds
        ModelFolder.copy(Fixtures.TINY_BOX, dir);
        ModelFolder.rewriteTensors(dir, BoxPlanner.FILE, tensors -> {
            float[] v = tensors.get("mlp.4.bias").data();
            v[0] += 3f;              // centre x far right
            v[2] -= 3f;              // narrow
        });
        TorchRuntime.configure();
        try (NDManager root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager();
             StoryboardModel moved = StoryboardModel.load(dir, root);
             SceneSession a = session(BOX.model(), BOX.root(), SceneSession.Options.defaults());
             SceneSession b = session(moved, root, SceneSession.Options.defaults())) {
            float[] here = a.generateShot(0, shot(0, 4, 1, PAN_RIGHT_MEDIUM), ChunkListener.NONE, CancellationToken.none()).latents();
            float[] there = b.generateShot(0, shot(0, 4, 1, PAN_RIGHT_MEDIUM), ChunkListener.NONE, CancellationToken.none()).latents();
            assertThat(Fixtures.maxAbsDiff(a.boxes(0), b.boxes(0))).isGreaterThan(0.1);
            assertThat(Fixtures.maxAbsDiff(here, there)).isGreaterThan(1e-3);
        }
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
