package dev.storyboard.inference.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.inference.model.StoryboardModel;
import dev.storyboard.inference.testing.Fixtures;
import dev.storyboard.inference.testing.TinyModelExtension;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Scene sessions on the tiny fixture model: KV-cache equivalence with full recompute, determinism,
 * cancellation, invalidation. (tiny: chunk_frames 2, l_txt 8, 32×32 frames.)
 */
class SceneSessionTest {
    private static final int STEPS = 3;
    private static final double TOL = 1e-4;
    @RegisterExtension
    static final TinyModelExtension TINY = new TinyModelExtension();

    static float[][] caption(int seed, int tokens) {
        Random r = new Random(seed);
        float[][] rows = new float[tokens][384];
        for (float[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) r.nextGaussian();
            }
        }
        return rows;
    }

    /** A caption as the session stores it: the model's l_txt rows of text_dim, the caption's rows first, zeros after. */
    static float[] rows(float[][] caption, StoryboardModel model) {
        int dim = model.config().dit().textDim();
        float[] rows = new float[model.config().dit().lTxt() * dim];
        for (int i = 0; i < caption.length; i++) {
            System.arraycopy(caption[i], 0, rows, i * dim, dim);
        }
        return rows;
    }

    static SceneSession.ShotRequest shot(int captionSeed, int frames, long seed) {
        return new SceneSession.ShotRequest(caption(captionSeed, 5), frames, seed, 3.0, STEPS);
    }

    static SceneSession.ExtendRequest extension(int frames, long seed, double guidance, int steps) {
        return new SceneSession.ExtendRequest(frames, seed, guidance, steps);
    }

    private SceneSession session(SceneSession.Options options) {
        SceneSession s = new SceneSession(TINY.model(), TINY.root(), options.withDecode(false));
        s.setGlobalCaption(caption(99, 6));
        return s;
    }

    private static double maxDiff(float[] a, float[] b) {
        return Fixtures.maxAbsDiff(a, b);
    }

    @Test
    void aSharedNoisePriorMakesTheFramesOfAShotAgreeAndIndependentIsTheDefault() {
        SceneSession.Options base = SceneSession.Options.defaults();
        try (SceneSession plain = session(base); SceneSession independent = session(base.withNoisePrior(ShotNoisePrior.INDEPENDENT));
             SceneSession shared = session(base.withNoisePrior(new ShotNoisePrior(0.95)))) {
            float[] a = plain.generateShot(0, shot(1, 4, 7), ChunkListener.NONE, CancellationToken.none()).latents();
            float[] b = independent.generateShot(0, shot(1, 4, 7), ChunkListener.NONE, CancellationToken.none()).latents();
            float[] c = shared.generateShot(0, shot(1, 4, 7), ChunkListener.NONE, CancellationToken.none()).latents();
            assertThat(b).containsExactly(a);
            assertThat(frameChange(c)).isLessThan(0.5 * frameChange(a));
            assertThat(plain.noisePrior()).isEqualTo(ShotNoisePrior.INDEPENDENT);       // the tiny model's config has none
            assertThat(shared.noisePrior().correlation()).isEqualTo(0.95);
        }
    }

    @Test
    void aContinuationStartBeginsLaterChunksAtTheFrameBeforeThemAndOffIsTheDefault() {
        SceneSession.Options base = SceneSession.Options.defaults();
        try (SceneSession plain = session(base); SceneSession off = session(base.withContinuationStart(ContinuationStart.OFF));
             SceneSession anchored = session(base.withContinuationStart(new ContinuationStart(0.02)))) {
            float[] a = plain.generateShot(0, shot(1, 4, 7), ChunkListener.NONE, CancellationToken.none()).latents();
            float[] b = off.generateShot(0, shot(1, 4, 7), ChunkListener.NONE, CancellationToken.none()).latents();
            float[] c = anchored.generateShot(0, shot(1, 4, 7), ChunkListener.NONE, CancellationToken.none()).latents();
            int frame = a.length / 4;
            assertThat(b).containsExactly(a);
            // the first chunk (frames 0-1) starts from noise either way; the second starts at t0 from frame 1
            assertThat(Arrays.copyOfRange(c, 0, 2 * frame)).containsExactly(Arrays.copyOfRange(a, 0, 2 * frame));
            assertThat(change(c, 1, 2, frame)).isLessThan(0.2 * change(a, 1, 2, frame));
            // an extension's first chunk starts from the shot's last frame too
            float[] e = anchored.extendShot(0, extension(2, 9, 3.0, STEPS), ChunkListener.NONE, CancellationToken.none()).latents();
            assertThat(change(e, 3, 4, frame)).isLessThan(0.2 * change(a, 1, 2, frame));
            assertThat(plain.continuationStart()).isEqualTo(ContinuationStart.OFF);     // the tiny model's config has none
            assertThat(anchored.continuationStart().t()).isEqualTo(0.02);
        }
    }

    /** Mean absolute difference between latent frames i and j. */
    private static double change(float[] latents, int i, int j, int frame) {
        double sum = 0;
        for (int k = 0; k < frame; k++) {
            sum += Math.abs(latents[i * frame + k] - latents[j * frame + k]);
        }
        return sum / frame;
    }

    /** Mean absolute change between consecutive latent frames of a 4-frame shot. */
    private static double frameChange(float[] latents) {
        int frame = latents.length / 4;
        double sum = 0;
        for (int i = frame; i < latents.length; i++) {
            sum += Math.abs(latents[i] - latents[i - frame]);
        }
        return sum / (latents.length - frame);
    }

    @ParameterizedTest
    @EnumSource(ContextMode.class)
    void cachedShotGenerationEqualsFullRecompute(ContextMode mode) {
        SceneSession.Options base = SceneSession.Options.defaults().withMode(mode).withLongContext(LongContextPolicy.exact());
        try (SceneSession cached = session(base); SceneSession full = session(base.withRecompute(true))) {
            double worst = 0;
            for (int k = 0; k < 3; k++) {
                SceneSession.Result a = cached.generateShot(k, shot(k, 4, 100 + k), ChunkListener.NONE, CancellationToken.none());
                SceneSession.Result b = full.generateShot(k, shot(k, 4, 100 + k), ChunkListener.NONE, CancellationToken.none());
                worst = Math.max(worst, maxDiff(a.latents(), b.latents()));
            }
            Fixtures.report("session " + mode + " shots 0-2 cache vs recompute", worst);
            assertThat(worst).isLessThanOrEqualTo(TOL);
            assertThat(cached.isCached(0)).isTrue();
            assertThat(cached.isCached(2)).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(ChunkGuidance.class)
    void cachedExtensionEqualsFullRecompute(ChunkGuidance guidance) {
        SceneSession.Options base = SceneSession.Options.defaults().withLongContext(LongContextPolicy.exact())
                .withChunkGuidance(guidance);
        try (SceneSession cached = session(base); SceneSession full = session(base.withRecompute(true))) {
            for (SceneSession s : List.of(cached, full)) {
                s.generateShot(0, shot(0, 4, 1), ChunkListener.NONE, CancellationToken.none());
                s.generateShot(1, shot(1, 2, 2), ChunkListener.NONE, CancellationToken.none());
            }
            SceneSession.Result a = cached.extendShot(1, extension(4, 7, 3.0, STEPS), ChunkListener.NONE, CancellationToken.none());
            SceneSession.Result b = full.extendShot(1, extension(4, 7, 3.0, STEPS), ChunkListener.NONE, CancellationToken.none());
            assertThat(a.frames()).isEqualTo(6);
            assertThat(a.firstNewFrame()).isEqualTo(2);
            double err = maxDiff(a.latents(), b.latents());
            // extending the first shot (a later shot exists): its cache is invalidated and reported
            SceneSession.Result c = cached.extendShot(0, extension(2, 8, 3.0, STEPS), ChunkListener.NONE, CancellationToken.none());
            SceneSession.Result d = full.extendShot(0, extension(2, 8, 3.0, STEPS), ChunkListener.NONE, CancellationToken.none());
            err = Math.max(err, maxDiff(c.latents(), d.latents()));
            assertThat(c.staleShots()).containsExactly(1);
            assertThat(cached.isCached(1)).isFalse();
            // and generating after it recomputes shot 1's cache against the extended shot 0
            SceneSession.Result e = cached.generateShot(2, shot(2, 2, 3), ChunkListener.NONE, CancellationToken.none());
            SceneSession.Result f = full.generateShot(2, shot(2, 2, 3), ChunkListener.NONE, CancellationToken.none());
            err = Math.max(err, maxDiff(e.latents(), f.latents()));
            Fixtures.report("session extension cache vs recompute, " + guidance, err);
            assertThat(err).isLessThanOrEqualTo(TOL);
        }
    }

    @Test
    void everyChunkGuidanceSteersLaterChunksWhereFirstChunkGuidanceDoesNot() {
        SceneSession.Options every = SceneSession.Options.defaults().withChunkGuidance(ChunkGuidance.EVERY_CHUNK);
        SceneSession.Options first = SceneSession.Options.defaults().withChunkGuidance(ChunkGuidance.FIRST_CHUNK);
        assertThat(SceneSession.Options.defaults().chunkGuidance()).isEqualTo(ChunkGuidance.FIRST_CHUNK);
        int chunk = TINY.model().config().dit().chunkFrames();
        int frameSize = TINY.model().config().dit().latentFrameSize();
        try (SceneSession a = session(every); SceneSession b = session(first)) {
            for (SceneSession s : List.of(a, b)) {
                s.generateShot(0, shot(0, chunk, 5), ChunkListener.NONE, CancellationToken.none());   // one chunk: same in both
            }
            float[] x = a.generateShot(1, shot(1, 3 * chunk, 6), ChunkListener.NONE, CancellationToken.none()).latents();
            float[] y = b.generateShot(1, shot(1, 3 * chunk, 6), ChunkListener.NONE, CancellationToken.none()).latents();
            int firstChunk = chunk * frameSize;
            // the first chunk carries the caption tokens: guided the same way under both policies
            assertThat(maxDiff(Arrays.copyOf(x, firstChunk), Arrays.copyOf(y, firstChunk))).isLessThanOrEqualTo(1e-6);
            double later = maxDiff(Arrays.copyOfRange(x, firstChunk, x.length), Arrays.copyOfRange(y, firstChunk, y.length));
            Fixtures.report("later chunks, every-chunk vs first-chunk guidance (g 3)", later);
            assertThat(later).isGreaterThan(1e-3);
        }
        // an extension is all later chunks: under FIRST_CHUNK its guidance setting has no effect, under EVERY_CHUNK it has
        for (ChunkGuidance policy : ChunkGuidance.values()) {
            try (SceneSession s = session(SceneSession.Options.defaults().withChunkGuidance(policy))) {
                s.generateShot(0, shot(0, chunk, 5), ChunkListener.NONE, CancellationToken.none());
                float[] g3 = s.extendShot(0, extension(2 * chunk, 11, 3.0, STEPS), ChunkListener.NONE, CancellationToken.none()).latents();
                s.truncate(0);
                s.generateShot(0, shot(0, chunk, 5), ChunkListener.NONE, CancellationToken.none());
                float[] g1 = s.extendShot(0, extension(2 * chunk, 11, 1.0, STEPS), ChunkListener.NONE, CancellationToken.none()).latents();
                double diff = maxDiff(g3, g1);
                Fixtures.report("extension guidance 3 vs 1, " + policy, diff);
                if (policy == ChunkGuidance.FIRST_CHUNK) {
                    assertThat(diff).isLessThanOrEqualTo(1e-6);
                } else {
                    assertThat(diff).isGreaterThan(1e-3);
                }
            }
        }
    }

    @Test
    void sameSeedSameLatentsAndChunkingDoesNotMatter() {
        SceneSession.Options options = SceneSession.Options.defaults();
        try (SceneSession a = session(options); SceneSession b = session(options)) {
            float[] once = a.generateShot(0, shot(0, 6, 42), ChunkListener.NONE, CancellationToken.none()).latents();
            assertThat(b.generateShot(0, shot(0, 6, 42), ChunkListener.NONE, CancellationToken.none()).latents()).isEqualTo(once);
            // 2 frames then +4 with the same seed draws the same noise per frame: identical to 6 at once
            try (SceneSession c = session(options)) {
                c.generateShot(0, shot(0, 2, 42), ChunkListener.NONE, CancellationToken.none());
                float[] extended = c.extendShot(0, extension(4, 42, 3.0, STEPS), ChunkListener.NONE, CancellationToken.none()).latents();
                assertThat(maxDiff(extended, once)).isLessThanOrEqualTo(1e-6);
            }
            float[] other = b.generateShot(0, shot(0, 6, 43), ChunkListener.NONE, CancellationToken.none()).latents();
            assertThat(maxDiff(other, once)).isGreaterThan(0.1);
        }
    }

    @Test
    void chunksAreDeliveredDecodedAsTheyFinish() {
        List<String> events = new ArrayList<>();
        try (SceneSession s = new SceneSession(TINY.model(), TINY.root(), SceneSession.Options.defaults())) {
            s.generateShot(0, shot(0, 5, 1), new ChunkListener() {
                @Override
                public void progress(int chunk, int chunks, int step, int steps) {
                    events.add("p" + chunk + "/" + chunks + ":" + step + "/" + steps);
                }

                @Override
                public void chunk(int shotIndex, int firstFrame, float[] latents, List<VideoFrame> frames) {
                    events.add("c" + firstFrame + "x" + frames.size() + "@" + frames.get(0).width());
                }
            }, CancellationToken.none());
        }
        // 5 frames → 3 chunks of 2 (rounded up to 6 frames)
        assertThat(events).containsExactly("p0/3:1/3", "p0/3:2/3", "p0/3:3/3", "c0x2@32", "p1/3:1/3", "p1/3:2/3", "p1/3:3/3",
                "c2x2@32", "p2/3:1/3", "p2/3:2/3", "p2/3:3/3", "c4x2@32");
    }

    @Test
    void cancelStopsWithinAStepAndLeavesTheSessionAsItWas() {
        try (SceneSession s = session(SceneSession.Options.defaults())) {
            s.generateShot(0, shot(0, 4, 1), ChunkListener.NONE, CancellationToken.none());
            int arraysBefore = s.managedArrays();
            long bytesBefore = s.cachedBytes();
            CancellationToken token = new CancellationToken();
            int[] stepsSeen = {0};
            ChunkListener cancelAfterTwoSteps = new ChunkListener() {
                @Override
                public void progress(int chunk, int chunks, int step, int steps) {
                    if (++stepsSeen[0] == 2) {
                        token.cancel();
                    }
                }
            };
            assertThatThrownBy(() -> s.generateShot(1, shot(1, 6, 2), cancelAfterTwoSteps, token))
                    .isInstanceOf(CancelledException.class);
            assertThat(stepsSeen[0]).isEqualTo(2);            // stopped before the third step
            assertThat(s.shotCount()).isEqualTo(1);
            assertThat(s.isCached(0)).isTrue();
            assertThat(s.managedArrays()).isEqualTo(arraysBefore);
            assertThat(s.cachedBytes()).isEqualTo(bytesBefore);
            // a cancelled extension leaves the shot as it was too
            CancellationToken t2 = new CancellationToken();
            t2.cancel();
            assertThatThrownBy(() -> s.extendShot(0, extension(2, 5, 3.0, STEPS), ChunkListener.NONE, t2)).isInstanceOf(CancelledException.class);
            assertThat(s.frames(0)).isEqualTo(4);
            assertThat(s.managedArrays()).isEqualTo(arraysBefore);
            // and the next run equals a run in a session that never saw the cancelled jobs
            float[] after = s.generateShot(1, shot(1, 4, 2), ChunkListener.NONE, CancellationToken.none()).latents();
            try (SceneSession fresh = session(SceneSession.Options.defaults())) {
                fresh.generateShot(0, shot(0, 4, 1), ChunkListener.NONE, CancellationToken.none());
                assertThat(fresh.generateShot(1, shot(1, 4, 2), ChunkListener.NONE, CancellationToken.none()).latents())
                        .isEqualTo(after);
            }
        }
    }

    @Test
    void regeneratingAShotInvalidatesLaterCachesAndSaysWhich() {
        try (SceneSession s = session(SceneSession.Options.defaults())) {
            for (int k = 0; k < 3; k++) {
                assertThat(s.generateShot(k, shot(k, 2, k), ChunkListener.NONE, CancellationToken.none()).staleShots()).isEmpty();
            }
            SceneSession.Result r = s.generateShot(0, shot(7, 2, 9), ChunkListener.NONE, CancellationToken.none());
            assertThat(r.staleShots()).containsExactly(1, 2);
            assertThat(s.isCached(0)).isTrue();
            assertThat(s.isCached(1)).isFalse();
            assertThat(s.isCached(2)).isFalse();
            assertThat(s.shotCount()).isEqualTo(3);
            // extending the last shot invalidates nothing
            assertThat(s.extendShot(2, extension(2, 1, 3.0, STEPS), ChunkListener.NONE, CancellationToken.none()).staleShots()).isEmpty();
        }
    }

    @Test
    void longShotsAndScenesKeepABoundedContextUnderTheDefaultPolicy() {
        int l = TINY.model().config().dit().lTxt();
        int tpf = TINY.model().config().dit().tokensPerFrame();
        try (SceneSession s = session(SceneSession.Options.defaults())) {
            s.generateShot(0, new SceneSession.ShotRequest(caption(0, 5), 2, 1, 3.0, 1), ChunkListener.NONE, CancellationToken.none());
            List<Integer> sizes = new ArrayList<>();
            for (int c = 1; c < 12; c++) {
                s.extendShot(0, extension(2, 1, 3.0, 1), ChunkListener.NONE, CancellationToken.none());
                sizes.add(s.lastContextTokens());
            }
            // global + caption + sink chunk + 1 far + 2 recent chunks, once past the threshold
            int bounded = l + l + 4 * 2 * tpf;
            assertThat(sizes.subList(4, sizes.size())).allMatch(n -> n == bounded);
            assertThat(sizes.get(0)).isLessThan(bounded);
            // across shots: global + the first shot as a sink (caption + first chunk) + 2 dense shots
            for (int k = 1; k < 7; k++) {
                s.generateShot(k, new SceneSession.ShotRequest(caption(k, 5), 2, k, 3.0, 1), ChunkListener.NONE,
                        CancellationToken.none());
            }
            int shotTokens = l + 2 * tpf;
            assertThat(s.lastContextTokens()).isEqualTo(l + shotTokens + 2 * shotTokens);
        }
        try (SceneSession exact = session(SceneSession.Options.defaults().withLongContext(LongContextPolicy.exact()))) {
            exact.generateShot(0, new SceneSession.ShotRequest(caption(0, 5), 2, 1, 3.0, 1), ChunkListener.NONE, CancellationToken.none());
            for (int c = 1; c < 8; c++) {
                exact.extendShot(0, extension(2, 1, 3.0, 1), ChunkListener.NONE, CancellationToken.none());
            }
            assertThat(exact.lastContextTokens()).isEqualTo(l + l + 7 * 2 * tpf);    // grows with the shot
        }
    }

    @Test
    void captionsLongerThanTheModelReadsAreRejected() {
        try (SceneSession s = session(SceneSession.Options.defaults())) {
            assertThatThrownBy(() -> s.generateShot(0, new SceneSession.ShotRequest(caption(0, 9), 2, 1, 3.0, 1),
                    ChunkListener.NONE, CancellationToken.none())).hasMessageContaining("at most 8");
            assertThatThrownBy(() -> new SceneSession.ShotRequest(caption(0, 2), 0, 1, 3.0, 1)).hasMessageContaining("frames must be > 0");
            assertThatThrownBy(() -> s.extendShot(0, extension(2, 1, 3.0, 1), ChunkListener.NONE, CancellationToken.none()))
                    .isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void contextShotsCanBePutFromStoredLatents() {
        try (SceneSession a = session(SceneSession.Options.defaults()); SceneSession b = session(SceneSession.Options.defaults())) {
            SceneSession.Result first = a.generateShot(0, shot(0, 4, 5), ChunkListener.NONE, CancellationToken.none());
            float[] second = a.generateShot(1, shot(1, 2, 6), ChunkListener.NONE, CancellationToken.none()).latents();
            b.putShot(0, new SceneSession.ShotContent(caption(0, 5), first.latents(), 4, 5, "take-a"));
            assertThat(b.isCached(0)).isFalse();
            float[] again = b.generateShot(1, shot(1, 2, 6), ChunkListener.NONE, CancellationToken.none()).latents();
            assertThat(maxDiff(again, second)).isLessThanOrEqualTo(TOL);
            assertThat(b.isCached(0)).isTrue();
            // same tag and length: kept as is
            assertThat(b.putShot(0, new SceneSession.ShotContent(caption(0, 5), first.latents(), 4, 5, "take-a"))).isEmpty();
            assertThat(b.isCached(0)).isTrue();
        }
    }
}
