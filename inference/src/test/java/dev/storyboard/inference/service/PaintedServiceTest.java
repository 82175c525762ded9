package dev.storyboard.inference.service;

import static dev.storyboard.inference.service.LocalGenerationServiceTest.awaitReady;
import static dev.storyboard.inference.service.LocalGenerationServiceTest.board;
import static dev.storyboard.inference.service.LocalGenerationServiceTest.generate;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.generation.FrameChunk;
import dev.storyboard.domain.generation.JobOutcome;
import dev.storyboard.inference.dit.CaptionCondition;
import dev.storyboard.inference.layout.BoxPlanner;
import dev.storyboard.inference.service.LocalGenerationServiceTest.Recorder;
import dev.storyboard.inference.testing.Fixtures;
import dev.storyboard.inference.testing.TinyModelExtension;
import dev.storyboard.inference.text.MiniLmTextEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service on the tiny painted model (training/fixtures/tiny-paint): the session names one kind and one colour per
 * scene from the scene prompt and every shot's prompt of the storyboard, later shots included, so the generation-cache
 * key of a take holds that colour as it holds the kind: editing a later shot's words so that the colour alone turns
 * gives a new take, editing them so that kind and colour stay keeps the cache hit.
 */
class PaintedServiceTest {
    private static final String SCENE = "a quiet beach";
    private static final List<String> WORDS = List.of("a red ball rolls", "an orb floats", "a bird flies left", "a fish swims", "a wedge slides",
            "a pentagram spins", "the ball stops", "a blue sphere bounces", "a sparrow hops", "a goldfish turns",
            "a kite soars", "a small cube tumbles", "a star glows", "the orb drifts right", "a gull glides",
            "a trout leaps", "a green ball waits");

    @RegisterExtension
    static final TinyModelExtension PAINT = new TinyModelExtension(Fixtures.TINY_PAINT);
    @TempDir
    static Path cache;
    private static LocalGenerationService service;
    private static MiniLmTextEncoder encoder;

    @BeforeAll
    static void start() throws Exception {
        service = new LocalGenerationService(() -> Optional.of(Fixtures.TINY_PAINT.modelDir()),
                ServiceSettings.defaults().withCacheDir(cache).withTruncateLongPrompts(true).withMaxSecondsPerTake(4));
        assertThat(awaitReady(service).ready()).as(service.status().message()).isTrue();
        encoder = MiniLmTextEncoder.load(PAINT.model().config().dit().lTxt());
    }

    @AfterAll
    static void stop() {
        service.close();
        encoder.close();
    }

    /** The scene's kind and colour of these prompts as the service's session names them, computed here from the same
     *  encoder: {kind, colour}. */
    private static List<Integer> sceneActor(String... prompts) {
        int dim = PAINT.model().config().dit().textDim();
        List<float[]> pooled = new ArrayList<>();
        for (String p : prompts) {
            float[][] tokens = encoder.encodeTokens(p);
            float[] rows = new float[tokens.length * dim];
            for (int i = 0; i < tokens.length; i++) {
                System.arraycopy(tokens[i], 0, rows, i * dim, dim);
            }
            pooled.add(CaptionCondition.pool(rows, dim));
        }
        BoxPlanner planner = PAINT.model().boxPlanner().orElseThrow();
        try (NDManager scope = PAINT.root().newSubManager()) {
            return List.of(planner.sceneKind(scope, pooled), planner.sceneColour(scope, pooled));
        }
    }

    private static Storyboard storyboard(String target, String later) {
        return board(SCENE, Shot.planned("s1", target, 2, CameraMove.STATIC, ShotSize.WIDE, 5),
                Shot.planned("s2", later, 2, CameraMove.PAN_LEFT, ShotSize.MEDIUM, 6));
    }

    private static JobOutcome run(Storyboard sb, Recorder r) throws Exception {
        service.submit(generate(sb, "s1", 2, 5), r);
        JobOutcome o = r.await();
        assertThat(o.status()).as(o.message()).isEqualTo(JobOutcome.Status.COMPLETED);
        return o;
    }

    private static int[] pixels(Recorder r) {
        return r.chunks.stream().map(FrameChunk::frames).flatMap(List::stream).flatMapToInt(f -> Arrays.stream(f.argb()))
                .toArray();
    }

    @Test
    void aLaterShotsWordsThatTurnTheScenesColourGiveANewTakeWordsThatKeepItKeepTheCacheHit() throws Exception {
        // the target's words t; later wordings a and c keep the scene's kind and colour, b keeps the kind and turns
        // the colour
        String[] found = null;
        for (int i = 0; i < WORDS.size() && found == null; i++) {
            String t = WORDS.get(i);
            List<String> later = WORDS.stream().filter(p -> !p.equals(t)).toList();
            List<List<Integer>> actors = later.stream().map(p -> sceneActor(SCENE, t, p)).toList();
            for (int x = 0; x < later.size() && found == null; x++) {
                for (int y = 0; y < later.size() && found == null; y++) {
                    for (int z = 0; z < later.size() && found == null; z++) {
                        List<Integer> ax = actors.get(x);
                        List<Integer> ay = actors.get(y);
                        if (x != z && ax.equals(actors.get(z)) && ay.get(0).equals(ax.get(0))
                                && !ay.get(1).equals(ax.get(1))) {
                            found = new String[] {t, later.get(x), later.get(y), later.get(z)};
                        }
                    }
                }
            }
        }
        assertThat(found).as("wordings that keep and turn the scene's colour, keeping its kind").isNotNull();
        String t = found[0];
        String a = found[1];
        String b = found[2];
        String c = found[3];

        Recorder first = new Recorder();
        assertThat(run(storyboard(t, a), first).message()).doesNotContain("generation cache");
        Recorder kept = new Recorder();
        assertThat(run(storyboard(t, c), kept).message()).as("other words, the same kind and colour: the same take")
                .contains("generation cache");
        assertThat(pixels(kept)).containsExactly(pixels(first));
        Recorder turned = new Recorder();
        assertThat(run(storyboard(t, b), turned).message()).as("a take painted another colour is another take")
                .doesNotContain("generation cache");
        assertThat(pixels(turned)).as("the later shot's words turned the target's colour").isNotEqualTo(pixels(first));
        Recorder back = new Recorder();
        assertThat(run(storyboard(t, a), back).message()).contains("generation cache");
        assertThat(pixels(back)).containsExactly(pixels(first));
    }
}
