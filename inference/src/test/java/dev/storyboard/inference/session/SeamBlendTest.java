package dev.storyboard.inference.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storyboard.inference.sampler.FlowMatchSampler;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The per-step randomized split and the inpainting of the overlap, without a model. */
class SeamBlendTest {
    private static final int FRAME = 6;

    @Test
    void splitsAreDrawnFromTheSeedAndTheChunkAndStayInsideTheOverlap() {
        int overlap = 3;
        float[] z = new float[overlap * FRAME];
        SeamBlend a = SeamBlend.before(8, z, SeamBlending.Split.RANDOM, sampling(42, 400), FRAME);
        SeamBlend b = SeamBlend.before(8, z, SeamBlending.Split.RANDOM, sampling(42, 400), FRAME);
        assertThat(a.splits()).containsExactly(b.splits()).hasSize(400);
        assertThat(Arrays.stream(a.splits()).min().orElseThrow()).isGreaterThanOrEqualTo(0);
        assertThat(Arrays.stream(a.splits()).max().orElseThrow()).isLessThanOrEqualTo(overlap);
        for (int l = 0; l <= overlap; l++) {
            assertThat(a.splits()).as("every split in [0, O] occurs").contains(l);
        }
        assertThat(SeamBlend.before(8, z, SeamBlending.Split.RANDOM, sampling(43, 400), FRAME).splits()).isNotEqualTo(a.splits());
        assertThat(SeamBlend.before(12, z, SeamBlending.Split.RANDOM, sampling(42, 400), FRAME).splits()).isNotEqualTo(a.splits());
    }

    @Test
    void aFullSplitInpaintsTheWholeOverlapAtEveryStep() {
        float[] z = new float[3 * FRAME];
        assertThat(SeamBlend.before(8, z, SeamBlending.Split.FULL, sampling(42, 5), FRAME).splits()).containsExactly(3, 3, 3, 3, 3);
    }

    @Test
    void theOverlapIsNoisedWithTheWindowsOwnInitialNoise() {
        float[] z = ramp(2);
        SeamBlend blend = SeamBlend.before(8, z, SeamBlending.Split.RANDOM, sampling(7, 50), FRAME);
        int step = Arrays.stream(blend.splits()).boxed().toList().indexOf(2);
        assertThat(step).as("some step replaces the whole overlap").isNotNegative();
        float[] x = new float[(2 + 4) * FRAME];
        // at t = 1 a replaced frame is pure noise: exactly what the window of frames 6.. starts from
        float[] atOne = blend.apply(x, step, 1.0);
        assertThat(Arrays.copyOf(atOne, 2 * FRAME))
                .containsExactly(GaussianNoise.frames(7, GaussianNoise.Purpose.INITIAL, 6, 2, FRAME));
        assertThat(Arrays.copyOf(blend.apply(x, step, 0.0), 2 * FRAME)).containsExactly(z);
        assertThat(blend.overlap()).isEqualTo(2);
    }

    @Test
    void aStepReplacesExactlyItsFirstSplitFramesByTheFinalLatentsNoisedToT() {
        int overlap = 2;
        float[] z = ramp(overlap);
        float[] noise = new float[overlap * FRAME];
        Arrays.fill(noise, 10f);
        SeamBlend blend = new SeamBlend(z, noise, new int[] {0, 1, 2}, FRAME);
        float[] window = new float[(overlap + 4) * FRAME];
        Arrays.fill(window, -5f);

        assertThat(blend.apply(window, 0, 0.5)).isSameAs(window);
        float[] one = blend.apply(window, 1, 0.25);
        float[] two = blend.apply(window, 2, 0.25);
        for (int i = 0; i < window.length; i++) {
            float noised = i < overlap * FRAME ? (float) (0.75 * z[i] + 0.25 * 10f) : Float.NaN;
            assertThat(one[i]).as("split 1, element %d", i).isEqualTo(i < FRAME ? noised : -5f);
            assertThat(two[i]).as("split 2, element %d", i).isEqualTo(i < 2 * FRAME ? noised : -5f);
        }
        assertThat(window).as("the input is not changed").containsOnly(-5f);
    }

    @Test
    void splitsOutsideTheOverlapAndRaggedFramesAreRejected() {
        float[] z = new float[2 * FRAME];
        assertThatThrownBy(() -> new SeamBlend(z, z, new int[] {3}, FRAME)).hasMessageContaining("split 3 outside [0, 2]");
        assertThatThrownBy(() -> new SeamBlend(z, z, new int[] {-1}, FRAME)).hasMessageContaining("outside");
        assertThatThrownBy(() -> new SeamBlend(z, new float[FRAME], new int[] {0}, FRAME)).hasMessageContaining("whole frames");
    }

    private static float[] ramp(int frames) {
        float[] z = new float[frames * FRAME];
        for (int i = 0; i < z.length; i++) {
            z[i] = 0.1f * i - 0.3f;
        }
        return z;
    }

    private static Sampling sampling(long seed, int steps) {
        return new Sampling(seed, seed, 3.0, new FlowMatchSampler(FlowMatchSampler.Method.EULER, steps, 2.0), ShotNoisePrior.INDEPENDENT,
                ContinuationStart.OFF);
    }
}
