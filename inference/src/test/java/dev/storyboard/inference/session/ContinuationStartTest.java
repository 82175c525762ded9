package dev.storyboard.inference.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storyboard.inference.sampler.FlowMatchSampler;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class ContinuationStartTest {
    private static final int FRAME = 3;

    @Test
    void mixesThePreviousFrameIntoEveryFrameOfTheNoiseAtT0() {
        float[] noise = {1, 1, 1, 2, 2, 2};
        float[] previous = {10, 20, 30};
        float[] x = new ContinuationStart(0.75).start(noise, AnchorFrames.STILL.frames(previous, 0, 1, 2));
        assertThat(x).containsExactly(new float[] {3.25f, 5.75f, 8.25f, 4f, 6.5f, 9f}, Offset.offset(1e-6f));
        assertThatThrownBy(() -> new ContinuationStart(0.5).start(noise, new float[2]))
                .hasMessageContaining("one anchor per target frame: 2 anchor values for 6 noise values");
    }

    @Test
    void offIsTOneAndTimesOutsideZeroToOneAreRefused() {
        assertThat(ContinuationStart.OFF.enabled()).isFalse();
        assertThat(new ContinuationStart(0.9).enabled()).isTrue();
        for (double bad : new double[] {0.0, -0.1, 1.01, Double.NaN}) {
            assertThatThrownBy(() -> new ContinuationStart(bad)).hasMessageContaining("continuation start must be in (0, 1]");
        }
    }

    @Test
    void aSamplerFromT0StepsOnceToTheScheduleBelowItThenFollowsIt() {
        FlowMatchSampler full = new FlowMatchSampler(FlowMatchSampler.Method.EULER, 4, 1.0);     // 1, .75, .5, .25, 0
        FlowMatchSampler late = full.from(0.6);
        assertThat(late.timesteps()).containsExactly(0.6, 0.5, 0.25, 0.0);
        assertThat(late.steps()).isEqualTo(3);
        assertThat(full.from(1.0)).isSameAs(full);
        assertThat(full.from(0.01).timesteps()).containsExactly(0.01, 0.0);
        assertThatThrownBy(() -> full.from(0)).hasMessageContaining("start time must be in (0, 1]");
    }

    @Test
    void onlyATargetAfterTheShotsFirstFrameStartsFromTheFrameBeforeIt() {
        FlowMatchSampler sampler = new FlowMatchSampler(FlowMatchSampler.Method.EULER, 4, 1.0);
        Sampling on = new Sampling(5, 5, 3.0, sampler, ShotNoisePrior.INDEPENDENT, new ContinuationStart(0.5));
        Sampling off = new Sampling(5, 5, 3.0, sampler, ShotNoisePrior.INDEPENDENT, ContinuationStart.OFF);
        float[] shot = {1, 1, 1, 7, 8, 9, 0, 0, 0, 0, 0, 0};
        Sampling.Start first = on.start(0, 2, FRAME, shot);
        assertThat(first.x()).containsExactly(on.initialNoise(0, 2, FRAME));
        assertThat(first.sampler()).isSameAs(sampler);
        Sampling.Start plain = off.start(2, 2, FRAME, shot);
        assertThat(plain.x()).containsExactly(off.initialNoise(2, 2, FRAME));
        assertThat(plain.sampler()).isSameAs(sampler);
        Sampling.Start later = on.start(2, 2, FRAME, shot);
        assertThat(later.x()).containsExactly(new ContinuationStart(0.5).start(on.initialNoise(2, 2, FRAME),
                new float[] {7, 8, 9, 7, 8, 9}));
        assertThat(later.sampler().timesteps()).containsExactly(0.5, 0.25, 0.0);
    }
}
