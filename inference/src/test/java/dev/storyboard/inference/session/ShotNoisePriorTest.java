package dev.storyboard.inference.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The shot noise prior: what frames start from, without a model. */
class ShotNoisePriorTest {
    private static final int FRAME = 4096;

    @Test
    void independentFramesAreThePlainInitialNoiseBitForBit() {
        float[] plain = GaussianNoise.frames(11, GaussianNoise.Purpose.INITIAL, 4, 3, FRAME);
        assertThat(ShotNoisePrior.INDEPENDENT.initial(99, 11, 4, 3, FRAME)).containsExactly(plain);
    }

    @Test
    void framesOfAShotCorrelateByTheCorrelationAndStayStandardNormal() {
        ShotNoisePrior prior = new ShotNoisePrior(0.7);
        float[] x = prior.initial(5, 5, 0, 2, FRAME);
        float[] f0 = Arrays.copyOfRange(x, 0, FRAME);
        float[] f1 = Arrays.copyOfRange(x, FRAME, 2 * FRAME);
        assertThat(variance(f0)).isCloseTo(1.0, within(0.06));
        assertThat(correlation(f0, f1)).isCloseTo(0.7, within(0.04));
        float[] other = prior.initial(6, 6, 0, 1, FRAME);          // another shot shares nothing
        assertThat(correlation(f0, other)).isCloseTo(0.0, within(0.04));
    }

    @Test
    void anExtensionSharesTheShotsPartAndChunkingDoesNotChangeTheNoise() {
        ShotNoisePrior prior = new ShotNoisePrior(0.5);
        float[] whole = prior.initial(5, 5, 0, 8, FRAME);
        float[] chunks = new float[whole.length];
        System.arraycopy(prior.initial(5, 5, 0, 4, FRAME), 0, chunks, 0, 4 * FRAME);
        System.arraycopy(prior.initial(5, 5, 4, 4, FRAME), 0, chunks, 4 * FRAME, 4 * FRAME);
        assertThat(chunks).containsExactly(whole);
        // an extension draws its own frames from its seed (77) and still shares the shot's (5) part
        float[] extension = prior.initial(5, 77, 8, 1, FRAME);
        assertThat(correlation(Arrays.copyOfRange(whole, 0, FRAME), extension)).isCloseTo(0.5, within(0.04));
    }

    @Test
    void refusesACorrelationOutsideZeroToOne() {
        assertThatThrownBy(() -> new ShotNoisePrior(1.0)).hasMessageContaining("noise correlation must be in [0, 1)");
        assertThatThrownBy(() -> new ShotNoisePrior(-0.1)).hasMessageContaining("was -0.1");
        assertThatThrownBy(() -> new ShotNoisePrior(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    private static double variance(float[] a) {
        double mean = 0;
        for (float v : a) {
            mean += v;
        }
        mean /= a.length;
        double s = 0;
        for (float v : a) {
            s += (v - mean) * (v - mean);
        }
        return s / a.length;
    }

    private static double correlation(float[] a, float[] b) {
        double ab = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
        }
        return ab / a.length / Math.sqrt(variance(a) * variance(b));
    }
}
