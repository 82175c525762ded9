package dev.storyboard.inference.service;

import static dev.storyboard.inference.service.LocalGenerationServiceTest.awaitReady;
import static dev.storyboard.inference.service.LocalGenerationServiceTest.board;
import static dev.storyboard.inference.service.LocalGenerationServiceTest.generate;
import static dev.storyboard.inference.service.LocalGenerationServiceTest.withActive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.generation.FrameChunk;
import dev.storyboard.domain.generation.JobOutcome;
import dev.storyboard.inference.service.LocalGenerationServiceTest.Recorder;
import dev.storyboard.inference.testing.Fixtures;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service on the tiny pixel model (pixel codec, x-prediction, shot_cond; l_txt 8, prompts NOT truncated): the
 * text encoder reads the creator's words only, camera and framing arrive as labels, and they are part of the
 * generation-cache keys, so changing a shot's camera (or a context shot's) gives a new take.
 */
class PixelModelServiceTest {
    private static final String PROMPT = "a red ball rolls";          // 6 tokens; with the phrases more than l_txt = 8
    @TempDir
    static Path cache;
    private static LocalGenerationService service;

    @BeforeAll
    static void start() throws Exception {
        service = new LocalGenerationService(() -> Optional.of(Fixtures.TINY_PIXEL.modelDir()),
                ServiceSettings.defaults().withCacheDir(cache).withTruncateLongPrompts(false).withMaxSecondsPerTake(4));
        assertThat(awaitReady(service).ready()).as(service.status().message()).isTrue();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static Shot shot(String id, CameraMove camera, ShotSize size) {
        return Shot.planned(id, PROMPT, 2, camera, size, 5);
    }

    private static JobOutcome run(Storyboard sb, String shotId, Recorder r) throws Exception {
        service.submit(generate(sb, shotId, 2, 5), r);
        JobOutcome o = r.await();
        assertThat(o.status()).as(o.message()).isEqualTo(JobOutcome.Status.COMPLETED);
        return o;
    }

    private static int[] pixels(Recorder r) {
        return r.chunks.stream().map(FrameChunk::frames).flatMap(List::stream).flatMapToInt(f -> Arrays.stream(f.argb()))
                .toArray();
    }

    @Test
    void theTextEncoderGetsThePromptWithoutCameraPhrases() throws Exception {
        Shot s = shot("s", CameraMove.PAN_LEFT, ShotSize.CLOSE_UP);
        assertThat(s.modelPrompt()).contains(CameraMove.PAN_LEFT.promptPhrase());
        // the old model reads the phrases: the same shot is too long for its 8 tokens
        try (LocalGenerationService old = new LocalGenerationService(() -> Optional.of(Fixtures.modelDir()),
                ServiceSettings.defaults().withCacheDir(null))) {
            awaitReady(old);
            assertThatThrownBy(() -> old.submit(generate(board("", s), "s", 2, 5), new Recorder()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too long")
                    .hasMessageContaining("camera and framing phrases count too");
        }
        // the shot_cond model reads only "a red ball rolls": it fits, and its 32×32 frames come from the pixel codec
        Recorder r = new Recorder();
        run(board("", s), "s", r);
        assertThat(r.chunks).hasSize(1);
        assertThat(r.chunks.get(0).frames()).hasSize(2);
        assertThat(r.chunks.get(0).frames().get(0).width()).isEqualTo(32);
    }

    @Test
    void changingTheCameraChangesTheTakeAndTheCacheKey() throws Exception {
        Recorder a = new Recorder();
        run(board("a beach", shot("c", CameraMove.STATIC, ShotSize.WIDE)), "c", a);
        Recorder same = new Recorder();
        assertThat(run(board("a beach", shot("c", CameraMove.STATIC, ShotSize.WIDE)), "c", same).message())
                .contains("generation cache");
        assertThat(pixels(same)).containsExactly(pixels(a));

        Recorder panned = new Recorder();
        assertThat(run(board("a beach", shot("c", CameraMove.PAN_LEFT, ShotSize.WIDE)), "c", panned).message())
                .doesNotContain("generation cache");
        assertThat(pixels(panned)).isNotEqualTo(pixels(a));
        Recorder closer = new Recorder();
        assertThat(run(board("a beach", shot("c", CameraMove.STATIC, ShotSize.CLOSE_UP)), "c", closer).message())
                .doesNotContain("generation cache");
        assertThat(pixels(closer)).isNotEqualTo(pixels(a));
    }

    @Test
    void aContextShotsCameraIsPartOfTheNextShotsKey() throws Exception {
        Shot first = shot("k1", CameraMove.ZOOM_IN, ShotSize.MEDIUM);
        Recorder r1 = new Recorder();
        JobOutcome o1 = run(board("a park", first), "k1", r1);
        Shot next = shot("k2", CameraMove.STATIC, ShotSize.WIDE);

        Recorder afterZoom = new Recorder();
        run(board("a park", withActive(first, o1.take()), next), "k2", afterZoom);
        // the same take, but the creator has since changed that shot's camera: the context differs
        Shot firstPanned = new Shot(first.id(), first.prompt(), first.durationFrames(), CameraMove.PAN_RIGHT,
                first.shotSize(), first.seed(), first.guidance(), List.of(o1.take()), o1.take().id());
        Recorder afterPan = new Recorder();
        assertThat(run(board("a park", firstPanned, next), "k2", afterPan).message()).doesNotContain("generation cache")
                .doesNotContain("left out");
        assertThat(pixels(afterPan)).isNotEqualTo(pixels(afterZoom));
    }
}
