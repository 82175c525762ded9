package dev.storyboard.inference.session;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storyboard.inference.config.LayoutGuidance;
import dev.storyboard.inference.dit.Segment;
import dev.storyboard.inference.dit.ShotLabel;
import dev.storyboard.inference.engine.TorchRuntime;
import dev.storyboard.inference.layout.BoxPlanner;
import dev.storyboard.inference.model.StoryboardModel;
import dev.storyboard.inference.testing.Fixtures;
import dev.storyboard.inference.testing.ModelFolder;
import dev.storyboard.inference.testing.TinyModelExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Layout guidance (session 35, {@link LayoutGuidance}) on the tiny painted model: the unconditional row of a guided
 * target reads no layout for the target's frames and keeps the context's; {@code guided_chunks} changes the chunks CFG
 * runs on (a shot's first), {@code every_chunk} the later ones as well, {@code still_shot_chunks} those of a shot whose
 * camera holds still; and the cached context still equals the recomputed one under every setting.
 */
class LayoutGuidanceSessionTest {
    private static final int STEPS = 3;
    private static final double TOL = 1e-4;
    private static final ShotLabel PAN_RIGHT_MEDIUM = new ShotLabel(3, 2);
    private static final ShotLabel ZOOM_IN_WIDE = new ShotLabel(4, 1);
    private static final ShotLabel STATIC_MEDIUM = new ShotLabel(1, 2);

    @RegisterExtension
    static final TinyModelExtension PAINT = new TinyModelExtension(Fixtures.TINY_PAINT);

    @TempDir
    static Path dir;

    /** The painted fixture's model folder with each layout guidance written into its config.json. */
    private static final Map<LayoutGuidance, Path> FOLDERS = new EnumMap<>(LayoutGuidance.class);

    @BeforeAll
    static void folders() throws Exception {
        for (LayoutGuidance g : LayoutGuidance.values()) {
            Path to = Files.createDirectories(dir.resolve(g.key()));
            ModelFolder.copy(Fixtures.TINY_PAINT, to);
            ModelFolder.rewriteConfig(to, c -> ((ObjectNode) c.path("sampler"))
                    .put("layout_guidance", g.key()));
            FOLDERS.put(g, to);
        }
    }

    /** Shot 1's latents (as {@link #scene(LayoutGuidance)}) under every_chunk with the model's layout scale {@code scale}. */
    private static float[] everyChunkAt(double scale) throws Exception {
        return everyChunkWith("layout_guidance_scale", scale);
    }

    /** Shot 1's latents under every_chunk, its later chunks guided only at the steps with t ≥ {@code tMin}. */
    private static float[] everyChunkFrom(double tMin) throws Exception {
        return everyChunkWith("layout_guidance_t_min", tMin);
    }

    /** Shot 1's latents under every_chunk with the sampler's {@code key} set to {@code value}. */
    private static float[] everyChunkWith(String key, double value) throws Exception {
        Path to = Files.createDirectories(dir.resolve("every_chunk-" + key + "-" + value));
        ModelFolder.copy(Fixtures.TINY_PAINT, to);
        ModelFolder.rewriteConfig(to, c -> ((ObjectNode) c.path("sampler"))
                .put("layout_guidance", "every_chunk").put(key, value));
        return scene(to, LayoutGuidance.EVERY_CHUNK);
    }

    private static SceneSession session(StoryboardModel model, NDManager root, SceneSession.Options options) {
        SceneSession s = new SceneSession(model, root, options.withDecode(false).withLongContext(LongContextPolicy.exact()));
        s.setGlobalCaption(SceneSessionTest.caption(99, 6));
        return s;
    }

    private static SceneSession.ShotRequest shot(int seed, int frames, long noiseSeed, ShotLabel label) {
        return new SceneSession.ShotRequest(SceneSessionTest.caption(seed, 5), frames, noiseSeed, 3.0, STEPS, label);
    }

    /** Shot 0 (2 frames, one chunk), then shot 1 (6 frames, three chunks, panning): shot 1's latents under {@code guidance}. */
    private static float[] scene(LayoutGuidance guidance) throws Exception {
        return scene(FOLDERS.get(guidance), guidance, PAN_RIGHT_MEDIUM);
    }

    /** As {@link #scene(LayoutGuidance)} for the model folder {@code folder}, whose layout guidance is {@code guidance}. */
    private static float[] scene(Path folder, LayoutGuidance guidance) throws Exception {
        return scene(folder, guidance, PAN_RIGHT_MEDIUM);
    }

    /** As {@link #scene(LayoutGuidance)} with shot 1's camera and framing {@code label}. */
    private static float[] scene(Path folder, LayoutGuidance guidance, ShotLabel label) throws Exception {
        TorchRuntime.configure();
        try (NDManager root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager();
             StoryboardModel m = StoryboardModel.load(folder, root);
             SceneSession s = session(m, root, SceneSession.Options.defaults())) {
            assertThat(m.config().sampler().layoutGuidance()).isEqualTo(guidance);
            s.generateShot(0, shot(0, 2, 1, ZOOM_IN_WIDE), ChunkListener.NONE, CancellationToken.none());
            return s.generateShot(1, shot(7, 6, 2, label), ChunkListener.NONE, CancellationToken.none())
                    .latents();
        }
    }

    @Test
    void guidedChunksChangeTheFirstChunkAndEveryChunkTheLaterOnesToo() throws Exception {
        float[] none = scene(LayoutGuidance.NONE);
        float[] guided = scene(LayoutGuidance.GUIDED_CHUNKS);
        float[] every = scene(LayoutGuidance.EVERY_CHUNK);
        int chunk = none.length / 3;                                           // 2 of the shot's 6 frames
        float[] noneFirst = Arrays.copyOf(none, chunk);
        float[] guidedFirst = Arrays.copyOf(guided, chunk);
        assertThat(Fixtures.maxAbsDiff(noneFirst, guidedFirst)).as("the first chunk's layout is guided").isGreaterThan(1e-3);
        assertThat(Arrays.copyOf(every, chunk)).as("every_chunk guides the first chunk as guided_chunks does")
                .containsExactly(guidedFirst);
        float[] guidedLater = Arrays.copyOfRange(guided, chunk, guided.length);
        float[] everyLater = Arrays.copyOfRange(every, chunk, every.length);
        assertThat(Fixtures.maxAbsDiff(guidedLater, everyLater)).as("every_chunk guides the later chunks")
                .isGreaterThan(1e-3);
    }

    @Test
    void stillShotChunksGuideAStillShotAsEveryChunkAndAMovingShotAsGuidedChunks() throws Exception {
        Path still = FOLDERS.get(LayoutGuidance.STILL_SHOT_CHUNKS);
        float[] moving = scene(still, LayoutGuidance.STILL_SHOT_CHUNKS, PAN_RIGHT_MEDIUM);
        assertThat(moving).as("a panning shot's later chunks: one row, as guided_chunks")
                .containsExactly(scene(LayoutGuidance.GUIDED_CHUNKS));
        float[] held = scene(still, LayoutGuidance.STILL_SHOT_CHUNKS, STATIC_MEDIUM);
        assertThat(held).as("a static shot's later chunks: guided on their layout, as every_chunk")
                .containsExactly(scene(FOLDERS.get(LayoutGuidance.EVERY_CHUNK), LayoutGuidance.EVERY_CHUNK, STATIC_MEDIUM));
        float[] heldGuidedChunks = scene(FOLDERS.get(LayoutGuidance.GUIDED_CHUNKS), LayoutGuidance.GUIDED_CHUNKS, STATIC_MEDIUM);
        int chunk = held.length / 3;
        assertThat(Fixtures.maxAbsDiff(Arrays.copyOfRange(held, chunk, held.length),
                Arrays.copyOfRange(heldGuidedChunks, chunk, heldGuidedChunks.length)))
                .as("which guided_chunks leaves unguided").isGreaterThan(1e-3);
    }

    @Test
    void aLowestTGuidesTheLaterChunksOnlyAtTheNoisierSteps() throws Exception {
        float[] guided = scene(LayoutGuidance.GUIDED_CHUNKS);
        float[] every = scene(LayoutGuidance.EVERY_CHUNK);
        int chunk = guided.length / 3;
        // the fixture's 3 steps (shift 2) run at t = 1, 0.8, 0.5: t_min 0.99 guides the first only, 0.3 every one
        float[] first = everyChunkFrom(0.99);
        assertThat(Arrays.copyOf(first, chunk)).as("a shot's first chunk is guided as before")
                .containsExactly(Arrays.copyOf(every, chunk));
        float[] firstLater = Arrays.copyOfRange(first, chunk, first.length);
        assertThat(Fixtures.maxAbsDiff(firstLater, Arrays.copyOfRange(every, chunk, every.length)))
                .as("fewer guided steps than every_chunk").isGreaterThan(1e-3);
        assertThat(Fixtures.maxAbsDiff(firstLater, Arrays.copyOfRange(guided, chunk, guided.length)))
                .as("but some").isGreaterThan(1e-3);
        assertThat(Fixtures.maxAbsDiff(everyChunkFrom(0.3), every)).as("every step at or above 0.3: every_chunk")
                .isLessThan(TOL);
    }

    @Test
    void theModelsLayoutScaleGuidesTheLaterChunksAloneAndScaleOneGuidesNothing() throws Exception {
        float[] guided = scene(LayoutGuidance.GUIDED_CHUNKS);
        float[] every = scene(LayoutGuidance.EVERY_CHUNK);
        float[] one = everyChunkAt(1.0);
        float[] half = everyChunkAt(1.5);
        int chunk = guided.length / 3;
        assertThat(Arrays.copyOf(half, chunk)).as("the first chunk keeps the shot's scale").containsExactly(Arrays.copyOf(every, chunk));
        // v = v_u + 1 · (v_c − v_u) = v_c: the later chunks as guided_chunks draws them (one row, reading the layout)
        assertThat(Fixtures.maxAbsDiff(one, guided)).as("layout scale 1 guides nothing").isLessThan(TOL);
        float[] halfLater = Arrays.copyOfRange(half, chunk, half.length);
        assertThat(Fixtures.maxAbsDiff(halfLater, Arrays.copyOfRange(every, chunk, every.length)))
                .as("1.5 is not the shot's 3").isGreaterThan(1e-3);
        assertThat(Fixtures.maxAbsDiff(halfLater, Arrays.copyOfRange(guided, chunk, guided.length)))
                .as("1.5 still guides").isGreaterThan(1e-3);
    }

    @Test
    void theUnconditionalRowReadsNoLayoutForTheTargetAndKeepsTheContexts() {
        ActorBoxes boxes = ActorBoxes.of(PAINT.model());
        float[] text0 = rows(SceneSessionTest.caption(0, 5));
        float[] text1 = rows(SceneSessionTest.caption(7, 5));
        SessionShot shot0 = new SessionShot(text0, ZOOM_IN_WIDE, new float[0],
                boxes.plan(PAINT.root(), text0, ZOOM_IN_WIDE, 0, 4, 4), new BoxPlanner.NamedKind(0, 1), 1, 4, 1, "a");
        SessionShot shot1 = new SessionShot(text1, PAN_RIGHT_MEDIUM, new float[0],
                boxes.plan(PAINT.root(), text1, PAN_RIGHT_MEDIUM, 0, 6, 6), new BoxPlanner.NamedKind(2, -1), 3, 6, 2, "b");
        List<Segment> segs = List.of(Segment.globalCaption(), Segment.wholeShot(0, 4), Segment.frames(1, 2, 3));
        try (NDManager scope = PAINT.root().newSubManager()) {
            float[] same = boxes.masks(scope, segs, j -> j == 0 ? shot0 : shot1, 2).toFloatArray();
            NDArray guidedRows = boxes.masks(scope, segs, j -> j == 0 ? shot0 : shot1, 2, true);
            float[] guided = guidedRows.toFloatArray();
            int row = same.length / 2;
            int context = row * 4 / 7;                                           // shot 0's 4 of the row's 7 frames
            assertThat(Arrays.copyOf(guided, row)).as("the conditional row").containsExactly(Arrays.copyOf(same, row));
            assertThat(Arrays.copyOfRange(guided, row, row + context)).as("the context keeps its layout")
                    .containsExactly(Arrays.copyOfRange(same, row, row + context));
            double target = 0;
            for (int i = row + context; i < same.length; i++) {
                target = Math.max(target, same[i]);
            }
            assertThat(target).as("the target has a layout to drop").isGreaterThan(0.1);
            for (int i = row + context; i < guided.length; i++) {
                assertThat(guided[i]).as("the target's layout in the unconditional row").isZero();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(LayoutGuidance.class)
    void cachedGenerationAndExtensionEqualFullRecomputeUnderEveryLayoutGuidance(LayoutGuidance guidance) throws Exception {
        TorchRuntime.configure();
        for (ChunkGuidance chunks : ChunkGuidance.values()) {
            SceneSession.Options base = SceneSession.Options.defaults().withChunkGuidance(chunks);
            try (NDManager root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager();
                 StoryboardModel m = StoryboardModel.load(FOLDERS.get(guidance), root);
                 SceneSession cached = session(m, root, base);
                 SceneSession full = session(m, root, base.withRecompute(true))) {
                double err = 0;
                float[][] r = new float[2][];
                int i = 0;
                for (SceneSession s : List.of(cached, full)) {
                    s.generateShot(0, shot(0, 2, 1, ZOOM_IN_WIDE), ChunkListener.NONE, CancellationToken.none());
                    r[i++] = s.generateShot(1, shot(7, 4, 2, PAN_RIGHT_MEDIUM), ChunkListener.NONE,
                            CancellationToken.none()).latents();
                }
                err = Math.max(err, Fixtures.maxAbsDiff(r[0], r[1]));
                float[] a = cached.extendShot(1, SceneSessionTest.extension(2, 7, 3.0, STEPS), ChunkListener.NONE,
                        CancellationToken.none()).latents();
                float[] b = full.extendShot(1, SceneSessionTest.extension(2, 7, 3.0, STEPS), ChunkListener.NONE,
                        CancellationToken.none()).latents();
                err = Math.max(err, Fixtures.maxAbsDiff(a, b));
                Fixtures.report("layout guidance " + guidance.key() + ", " + chunks + ", cache vs recompute", err);
                assertThat(err).isLessThanOrEqualTo(TOL);
            }
        }
    }

    private static float[] rows(float[][] caption) {
        return SceneSessionTest.rows(caption, PAINT.model());
    }
}
