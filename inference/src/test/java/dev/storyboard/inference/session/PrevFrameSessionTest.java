package dev.storyboard.inference.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.storyboard.inference.config.StoryDiTConfig;
import dev.storyboard.inference.dit.AttentionMask;
import dev.storyboard.inference.engine.TorchRuntime;
import dev.storyboard.inference.model.ModelConfig;
import dev.storyboard.inference.model.StoryboardModel;
import dev.storyboard.inference.testing.Fixtures;
import dev.storyboard.inference.testing.ModelFolder;
import dev.storyboard.inference.testing.TinyModelExtension;
import dev.storyboard.inference.weights.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scene sessions on the tiny previous-frame model (training/fixtures/tiny-prev): every denoising forward of a target
 * that does not begin its shot reads the shot's final frame before the target for each target frame, whether the
 * continuation start is on or not, in both CFG rows; a shot's first chunk and every context frame read none. "Blind"
 * is the same model folder with the prev_frame conv zeroed: it has no bias, so a blind model computes what the model
 * computes without the input.
 */
class PrevFrameSessionTest {
    private static final int STEPS = 3;
    private static final double TOL = 1e-4;
    private static final String PREV_CONV = "conv_encoder.prev_frame.weight";
    private static final String BOX_CONV = "conv_encoder.actor_box.weight";

    @RegisterExtension
    static final TinyModelExtension PREV = new TinyModelExtension(Fixtures.TINY_PREV);

    @TempDir
    Path dir;

    private static SceneSession session(StoryboardModel model, NDManager root, SceneSession.Options options) {
        SceneSession s = new SceneSession(model, root, options.withDecode(false).withLongContext(LongContextPolicy.exact()));
        s.setGlobalCaption(SceneSessionTest.caption(99, 6));
        return s;
    }

    /** The tiny-prev folder copied under {@code dir/name} with the given bias-free convs zeroed, loaded in root. */
    private StoryboardModel zeroed(NDManager root, String name, String... convs) throws Exception {
        Path copy = ModelFolder.copy(Fixtures.TINY_PREV, Files.createDirectory(dir.resolve(name)));
        ModelFolder.rewriteTensors(copy, StoryboardModel.DIT_FILE, tensors -> {
            for (String conv : convs) {
                SafeTensors.FloatTensor w = tensors.get(conv);
                tensors.put(conv, new SafeTensors.FloatTensor(w.shape(), new float[w.data().length]));
            }
        });
        return StoryboardModel.load(copy, root);
    }

    private static SceneSession.Options options(String how) {
        SceneSession.Options base = SceneSession.Options.defaults();
        return switch (how) {
            case "continuation start off" -> base.withContinuationStart(ContinuationStart.OFF);
            case "continuation start 0.9" -> base.withContinuationStart(new ContinuationStart(0.9));
            case "seam blending" -> base.withSeamBlending(new SeamBlending(1, SeamBlending.Split.FULL));
            default -> throw new IllegalArgumentException(how);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"continuation start off", "continuation start 0.9", "seam blending"})
    void aShotsFirstChunkReadsNoPreviousFrameAndItsLaterChunksDo(String how) throws Exception {
        StoryDiTConfig cfg = PREV.model().config().dit();
        int chunk = cfg.chunkFrames() * cfg.latentFrameSize();
        TorchRuntime.configure();
        try (NDManager root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager();
             StoryboardModel blindModel = zeroed(root, "blind", PREV_CONV);
             SceneSession reading = session(PREV.model(), PREV.root(), options(how));
             SceneSession blind = session(blindModel, root, options(how))) {
            float[] a = reading.generateShot(0, SceneSessionTest.shot(0, 3 * cfg.chunkFrames(), 7), ChunkListener.NONE,
                    CancellationToken.none()).latents();
            float[] b = blind.generateShot(0, SceneSessionTest.shot(0, 3 * cfg.chunkFrames(), 7), ChunkListener.NONE,
                    CancellationToken.none()).latents();
            assertThat(Arrays.copyOf(a, chunk)).as("the first chunk continues nothing, bit for bit")
                    .containsExactly(Arrays.copyOf(b, chunk));
            for (int c = 1; c < 3; c++) {
                double changed = Fixtures.maxAbsDiff(Arrays.copyOfRange(a, c * chunk, (c + 1) * chunk),
                        Arrays.copyOfRange(b, c * chunk, (c + 1) * chunk));
                Fixtures.report("prev session, " + how + ", chunk " + c + " reading vs blind", changed);
                assertThat(changed).as("chunk %d reads the frame before it", c).isGreaterThan(1e-3);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ChunkGuidance.class)
    void cachedStreamingAndExtensionEqualFullRecomputeWithThePreviousFrame(ChunkGuidance guidance) {
        SceneSession.Options base = SceneSession.Options.defaults().withChunkGuidance(guidance);
        try (SceneSession cached = session(PREV.model(), PREV.root(), base);
             SceneSession full = session(PREV.model(), PREV.root(), base.withRecompute(true))) {
            double err = 0;
            float[][] r = new float[2][];
            int i = 0;
            for (SceneSession s : List.of(cached, full)) {
                s.generateShot(0, SceneSessionTest.shot(0, 4, 1), ChunkListener.NONE, CancellationToken.none());
                r[i++] = s.generateShot(1, SceneSessionTest.shot(1, 4, 2), ChunkListener.NONE, CancellationToken.none())
                        .latents();
            }
            err = Math.max(err, Fixtures.maxAbsDiff(r[0], r[1]));
            float[] a = cached.extendShot(1, SceneSessionTest.extension(2, 7, 3.0, STEPS), ChunkListener.NONE,
                    CancellationToken.none()).latents();
            float[] b = full.extendShot(1, SceneSessionTest.extension(2, 7, 3.0, STEPS), ChunkListener.NONE,
                    CancellationToken.none()).latents();
            err = Math.max(err, Fixtures.maxAbsDiff(a, b));
            Fixtures.report("prev session, cache vs recompute, " + guidance, err);
            assertThat(err).isLessThanOrEqualTo(TOL);
        }
    }

    @Test
    void anExtensionsFirstChunkReadsTheTakesLastFrameAsAStreamedChunkReadsTheFrameBeforeIt() throws Exception {
        // the box conv zeroed: a take's frames are planned at their phase in the take, so boxes would differ from the
        // stream's; without the box, a take of the stream's first chunk extended with the shot's seed is the stream
        int frame = PREV.model().config().dit().latentFrameSize();
        int cf = PREV.model().config().dit().chunkFrames();
        TorchRuntime.configure();
        try (NDManager root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager();
             StoryboardModel reading = zeroed(root, "reading", BOX_CONV);
             StoryboardModel blind = zeroed(root, "blind", BOX_CONV, PREV_CONV)) {
            float[][] extended = new float[2][];
            float[] streamed = null;
            int i = 0;
            for (StoryboardModel model : List.of(reading, blind)) {
                try (SceneSession stream = session(model, root, SceneSession.Options.defaults());
                     SceneSession take = session(model, root, SceneSession.Options.defaults())) {
                    float[] shot = stream.generateShot(0, SceneSessionTest.shot(0, 2 * cf, 7), ChunkListener.NONE,
                            CancellationToken.none()).latents();
                    take.putShot(0, new SceneSession.ShotContent(SceneSessionTest.caption(0, 5),
                            Arrays.copyOf(shot, cf * frame), cf, 7, "take"));
                    extended[i] = take.extendShot(0, SceneSessionTest.extension(cf, 7, 3.0, STEPS), ChunkListener.NONE,
                            CancellationToken.none()).latents();
                    if (i++ == 0) {
                        streamed = shot;
                    }
                }
            }
            double err = Fixtures.maxAbsDiff(extended[0], streamed);
            Fixtures.report("prev session, a take's extension vs the streamed shot", err);
            assertThat(err).isLessThanOrEqualTo(TOL);
            assertThat(Fixtures.maxAbsDiff(Arrays.copyOfRange(extended[0], cf * frame, 2 * cf * frame),
                    Arrays.copyOfRange(extended[1], cf * frame, 2 * cf * frame))).as("it reads a frame").isGreaterThan(1e-3);
        }
    }

    @Test
    void aForwardReadsTheFrameBeforeItsTargetForEveryTargetFrameInEveryRow() throws Exception {
        StoryDiTConfig cfg = PREV.model().config().dit();
        int frame = cfg.latentFrameSize();
        float[] shot = new float[5 * frame];
        for (int k = 0; k < shot.length; k++) {
            shot[k] = k / (float) frame + 1;                                  // frame f holds values in [f + 1, f + 2)
        }
        float[] before = Arrays.copyOfRange(shot, 2 * frame, 3 * frame);
        assertThat(PreviousFrame.before(shot, 3, frame)).containsExactly(before);
        assertThat(PreviousFrame.before(shot, 0, frame)).as("a target that begins its shot").isNull();
        assertThatThrownBy(() -> PreviousFrame.before(shot, 6, frame)).hasMessageContaining("no frame before frame 6");
        PreviousFrame prev = PreviousFrame.of(cfg);
        try (NDManager scope = PREV.root().newSubManager()) {
            // 4 inline context frames, then target frames 3-4 of the shot, two CFG rows
            NDArray input = prev.input(scope, shot, new FrameSpan(3, 2, AttentionMask.CHUNK_CAUSAL), 4, 2);
            assertThat(input.getShape().getShape()).containsExactly(2, 6, cfg.latentChannels(), cfg.latentH(), cfg.latentW());
            float[] all = input.toFloatArray();
            for (int r = 0; r < 2; r++) {
                for (int f = 0; f < 6; f++) {
                    float[] got = Arrays.copyOfRange(all, (r * 6 + f) * frame, (r * 6 + f + 1) * frame);
                    assertThat(got).as("row %d frame %d", r, f).containsExactly(f < 4 ? new float[frame] : before);
                }
            }
            assertThat(prev.input(scope, shot, new FrameSpan(0, 2, AttentionMask.CHUNK_CAUSAL), 4, 2)).isNull();
            assertThat(PreviousFrame.NONE.input(scope, shot, new FrameSpan(3, 2, AttentionMask.CHUNK_CAUSAL), 0, 2)).isNull();
        }
        assertThat(PreviousFrame.of(ModelConfig.read(Fixtures.TINY_BOX.modelDir()).dit())).as("a model without the input")
                .isSameAs(PreviousFrame.NONE);
    }
}
