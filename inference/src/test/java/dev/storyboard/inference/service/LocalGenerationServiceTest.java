package dev.storyboard.inference.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import dev.storyboard.domain.generation.EngineStatus;
import dev.storyboard.domain.generation.FrameChunk;
import dev.storyboard.domain.generation.GenerationJob;
import dev.storyboard.domain.generation.GenerationListener;
import dev.storyboard.domain.generation.GenerationRequest;
import dev.storyboard.domain.generation.JobOutcome;
import dev.storyboard.domain.generation.JobProgress;
import dev.storyboard.inference.session.SeamBlending;
import dev.storyboard.inference.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service end to end on the tiny fixture model (l_txt 8, so long prompts are truncated here). */
class LocalGenerationServiceTest {
    private static final int STEPS = 2;
    @TempDir
    static Path cache;
    private static LocalGenerationService service;

    @BeforeAll
    static void start() throws Exception {
        service = new LocalGenerationService(() -> Optional.of(Fixtures.modelDir()),
                ServiceSettings.defaults().withCacheDir(cache).withTruncateLongPrompts(true).withMaxSecondsPerTake(4));
        awaitReady(service);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    static EngineStatus awaitReady(LocalGenerationService s) throws InterruptedException {
        for (int i = 0; i < 600 && !s.status().ready(); i++) {
            if (s.status().message().contains("damaged") || s.status().message().contains("cannot")
                    || s.status().message().contains("No trained model") || s.status().message().contains("do not fit")) {
                break;
            }
            Thread.sleep(50);
        }
        return s.status();
    }

    static Storyboard board(String scene, Shot... shots) {
        return new Storyboard("test", scene, 8, 32, 32, List.of(shots));
    }

    static Shot shot(String id, String prompt, int frames, long seed) {
        return Shot.planned(id, prompt, frames, CameraMove.STATIC, ShotSize.WIDE, seed);
    }

    static Shot withActive(Shot s, Take take) {
        return new Shot(s.id(), s.prompt(), s.durationFrames(), s.camera(), s.shotSize(), s.seed(), s.guidance(),
                List.of(take), take.id());
    }

    /** Collects a job's events. */
    static class Recorder implements GenerationListener {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final List<FrameChunk> chunks = Collections.synchronizedList(new ArrayList<>());
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch done = new CountDownLatch(1);
        volatile JobOutcome outcome;
        volatile Runnable onFirstProgress;

        @Override
        public void progress(JobProgress p) {
            events.add("p" + p.chunk() + ":" + p.step());
            threads.add(Thread.currentThread().getName());
            Runnable r = onFirstProgress;
            if (r != null) {
                onFirstProgress = null;
                r.run();
            }
        }

        @Override
        public void chunk(FrameChunk c) {
            events.add("c" + c.firstFrame());
            chunks.add(c);
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void finished(JobOutcome o) {
            events.add("f" + o.status());
            outcome = o;
            done.countDown();
        }

        JobOutcome await() throws InterruptedException {
            assertThat(done.await(120, TimeUnit.SECONDS)).as("job finished").isTrue();
            return outcome;
        }
    }

    static GenerationRequest generate(Storyboard sb, String shotId, int frames, long seed) {
        return new GenerationRequest(GenerationRequest.Operation.GENERATE_TAKE, sb, shotId, null, frames, seed, 3.0, STEPS);
    }

    @Test
    void becomesReadyWithTheVerifiedModel() {
        assertThat(service.status().ready()).isTrue();
        assertThat(service.status().model()).contains("storydit-tiny-fixture");
        assertThat(service.status().message()).contains("ready");
    }

    @Test
    void generatesStreamsChunksUsesTakesAsContextAndExtends() throws Exception {
        Shot s1 = shot("s1", "a red ball rolls", 4, 11);
        Shot s2 = shot("s2", "the ball stops", 4, 12);
        Storyboard sb = board("a beach", s1, s2);
        Recorder r1 = new Recorder();
        service.submit(generate(sb, "s1", 3, 11), r1);
        JobOutcome o1 = r1.await();
        assertThat(o1.status()).isEqualTo(JobOutcome.Status.COMPLETED);
        assertThat(o1.take().generatedFrames()).isEqualTo(4);                   // 3 frames → 2 chunks of 2
        assertThat(r1.events).containsExactly("p0:1", "p0:2", "c0", "p1:1", "p1:2", "c2", "fCOMPLETED");
        assertThat(r1.threads).allMatch(LocalGenerationService.THREAD_NAME::equals);
        FrameChunk first = r1.chunks.get(0);
        assertThat(first.takeId()).isEqualTo(o1.take().id());
        assertThat(first.frames()).hasSize(2);
        assertThat(first.frames().get(0).width()).isEqualTo(32);
        assertThat(o1.staleShotIds()).isEmpty();

        // shot 2 with shot 1's take as context
        Storyboard sb2 = board("a beach", withActive(s1, o1.take()), s2);
        Recorder r2 = new Recorder();
        service.submit(generate(sb2, "s2", 2, 12), r2);
        JobOutcome o2 = r2.await();
        assertThat(o2.status()).isEqualTo(JobOutcome.Status.COMPLETED);
        assertThat(o2.message()).doesNotContain("left out");

        // extending shot 1 (a later shot has an active take: it becomes stale)
        Storyboard sb3 = board("a beach", withActive(s1, o1.take()), withActive(s2, o2.take()));
        Recorder r3 = new Recorder();
        service.submit(GenerationRequest.extend(sb3, "s1", o1.take().id(), 2, 5), r3);
        JobOutcome o3 = r3.await();
        assertThat(o3.status()).isEqualTo(JobOutcome.Status.COMPLETED);
        assertThat(o3.take().id()).isEqualTo(o1.take().id());
        assertThat(o3.take().generatedFrames()).isEqualTo(6);
        assertThat(r3.chunks).extracting(FrameChunk::firstFrame).containsExactly(4);
        assertThat(o3.staleShotIds()).containsExactly("s2");
    }

    @Test
    void anExtensionAfterAnUndoneOneContinuesAfterTheTakesOwnFrames() throws Exception {
        // issue 19, bug 2: the editor undid an extension (its take is back to 4 frames) and extends again
        Shot s1 = shot("u1", "a blue kite rises", 4, 21);
        Recorder r1 = new Recorder();
        service.submit(generate(board("a hill", s1), "u1", 4, 21), r1);
        Take four = r1.await().take();
        Storyboard withFour = board("a hill", withActive(s1, four));
        Recorder r2 = new Recorder();
        service.submit(GenerationRequest.extend(withFour, "u1", four.id(), 2, 9), r2);
        assertThat(r2.await().take().generatedFrames()).isEqualTo(6);

        // undo: the storyboard's take has 4 frames again, the engine still holds 6
        Recorder r3 = new Recorder();
        service.submit(GenerationRequest.extend(withFour, "u1", four.id(), 2, 9), r3);
        JobOutcome o3 = r3.await();
        assertThat(o3.status()).as(o3.message()).isEqualTo(JobOutcome.Status.COMPLETED);
        assertThat(r3.chunks).extracting(FrameChunk::firstFrame).containsExactly(4);
        assertThat(o3.take().generatedFrames()).as("exactly the frames it reported, not 8").isEqualTo(6);
        assertThat(r3.chunks.get(0).frames().get(0).argb()).as("the same seed continues the same take the same way")
                .isEqualTo(r2.chunks.get(0).frames().get(0).argb());
    }

    @Test
    void anIdenticalRequestIsAnsweredFromTheGenerationCache() throws Exception {
        Storyboard sb = board("", shot("a", "a green cube", 2, 3));
        Recorder r1 = new Recorder();
        service.submit(generate(sb, "a", 2, 77), r1);
        JobOutcome o1 = r1.await();
        Recorder r2 = new Recorder();
        service.submit(generate(sb, "a", 2, 77), r2);
        JobOutcome o2 = r2.await();
        assertThat(o2.status()).isEqualTo(JobOutcome.Status.COMPLETED);
        assertThat(o2.message()).contains("generation cache");
        assertThat(o2.take().id()).isNotEqualTo(o1.take().id());
        assertThat(r2.chunks.get(0).frames().get(0).argb()).isEqualTo(r1.chunks.get(0).frames().get(0).argb());
        assertThat(Files.list(cache).findAny()).isPresent();
    }

    @Test
    void cancelStopsTheRunningJobAndQueuedOnes() throws Exception {
        Storyboard sb = board("", shot("a", "a spinning top", 4, 1));
        Recorder running = new Recorder();
        running.onFirstProgress = service::cancelAll;              // cancels the running job and the queued one
        GenerationJob job = service.submit(new GenerationRequest(GenerationRequest.Operation.GENERATE_TAKE, sb, "a", null, 4, 99,
                3.0, 50), running);
        Recorder queued = new Recorder();
        GenerationJob second = service.submit(generate(sb, "a", 4, 98), queued);
        second.cancel();
        assertThat(running.await().status()).isEqualTo(JobOutcome.Status.CANCELLED);
        long steps = running.events.stream().filter(e -> e.startsWith("p")).count();
        assertThat(steps).isLessThanOrEqualTo(2);                            // stopped within one step
        assertThat(queued.await().status()).isEqualTo(JobOutcome.Status.CANCELLED);
        assertThat(queued.events).containsExactly("fCANCELLED");
        assertThat(job.outcome().toCompletableFuture().get().status()).isEqualTo(JobOutcome.Status.CANCELLED);
        // the service is still usable
        Recorder after = new Recorder();
        service.submit(generate(sb, "a", 2, 5), after);
        assertThat(after.await().status()).isEqualTo(JobOutcome.Status.COMPLETED);
    }

    @Test
    void aQueuedExtensionOvertakesQueuedNewTakes() throws Exception {
        Shot a = shot("a", "a kite", 2, 1);
        Recorder r0 = new Recorder();
        service.submit(generate(board("", a), "a", 2, 1), r0);
        Take take = r0.await().take();
        Storyboard sb = board("", withActive(a, take));
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch release = new CountDownLatch(1);
        Recorder blocker = new Recorder();
        blocker.onFirstProgress = () -> {
            try {
                release.await(30, TimeUnit.SECONDS);                 // hold the worker until both are queued
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        service.submit(generate(sb, "a", 2, 2), blocker);
        Recorder newTake = new Recorder() {
            @Override
            public void finished(JobOutcome o) {
                order.add("generate");
                super.finished(o);
            }
        };
        Recorder extension = new Recorder() {
            @Override
            public void finished(JobOutcome o) {
                order.add("extend");
                super.finished(o);
            }
        };
        service.submit(generate(sb, "a", 2, 3), newTake);
        service.submit(GenerationRequest.extend(sb, "a", take.id(), 2, 4), extension);
        release.countDown();
        assertThat(newTake.await().status()).isEqualTo(JobOutcome.Status.COMPLETED);
        assertThat(extension.await().status()).isEqualTo(JobOutcome.Status.COMPLETED);
        assertThat(order).containsExactly("extend", "generate");
    }

    @Test
    void badRequestsAreClearValidationErrors() {
        Storyboard sb = board("", shot("a", "  ", 4, 1), shot("b", "fine", 4, 1));
        assertThatThrownBy(() -> service.submit(generate(sb, "a", 4, 1), new Recorder()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty prompt");
        assertThatThrownBy(() -> service.submit(generate(sb, "b", 33, 1), new Recorder()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 32 frames");
        assertThatThrownBy(() -> service.submit(GenerationRequest.extend(sb, "b", "no-such-take", 2, 1), new Recorder()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no take no-such-take");
        assertThatThrownBy(() -> generate(sb, "b", 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("frames must be > 0");
    }

    @Test
    void overLongPromptsAreRejectedWhenNotTruncating() throws Exception {
        try (LocalGenerationService strict = new LocalGenerationService(() -> Optional.of(Fixtures.modelDir()),
                ServiceSettings.defaults().withCacheDir(null))) {
            awaitReady(strict);
            Storyboard sb = board("", shot("a", "a red ball bounces across the sunny beach", 4, 1));
            assertThatThrownBy(() -> strict.submit(generate(sb, "a", 4, 1), new Recorder()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too long")
                    .hasMessageContaining("at most 8");
        }
    }

    @Test
    void damagedModelIsReportedAndRefused(@TempDir Path dir) throws Exception {
        for (String f : new String[] {"config.json", "manifest.json", "storydit.safetensors", "vae_decoder.safetensors",
                "vae_encoder.safetensors"}) {
            Files.copy(Fixtures.modelDir().resolve(f), dir.resolve(f));
        }
        byte[] bytes = Files.readAllBytes(dir.resolve("storydit.safetensors"));
        bytes[bytes.length - 5] ^= 1;
        Files.write(dir.resolve("storydit.safetensors"), bytes);
        try (LocalGenerationService broken = new LocalGenerationService(() -> Optional.of(dir),
                ServiceSettings.defaults().withCacheDir(null))) {
            EngineStatus st = awaitReady(broken);
            assertThat(st.ready()).isFalse();
            assertThat(st.message()).contains("storydit.safetensors").contains("corrupt")
                    .contains(Fixtures.manifestSha256("storydit.safetensors"));
            assertThatThrownBy(() -> broken.submit(generate(board("", shot("a", "x", 4, 1)), "a", 2, 1), new Recorder()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("no model is ready");
        }
    }

    @Test
    void missingModelIsReported() throws Exception {
        try (LocalGenerationService none = new LocalGenerationService(Optional::empty, ServiceSettings.defaults().withCacheDir(null))) {
            EngineStatus st = awaitReady(none);
            assertThat(st.ready()).isFalse();
            assertThat(st.message()).contains("No trained model");
        }
    }

    @Test
    void aBlendOverlapTheModelsChunksCannotHoldIsReportedByNameWithoutLoadingASession() throws Exception {
        int tooLong = 2;                                                     // the tiny model's chunk_frames
        ServiceSettings settings = ServiceSettings.defaults().withCacheDir(null)
                .withSeamBlending(new SeamBlending(tooLong, SeamBlending.Split.FULL));
        try (LocalGenerationService s = new LocalGenerationService(() -> Optional.of(Fixtures.modelDir()), settings)) {
            EngineStatus st = awaitReady(s);
            assertThat(st.ready()).isFalse();
            assertThat(st.message()).isEqualTo("The settings do not fit the model: blendOverlap must be below the model's "
                    + "chunk_frames (2), was 2");
        }
    }
}
