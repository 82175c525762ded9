package dev.storyboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.domain.Storyboard;
import org.junit.jupiter.api.Test;

class SamplesTest {
    @Test
    void bundledSampleStoryboardLoads() throws Exception {
        Storyboard sample = Samples.load(Samples.DEFAULT_SAMPLE);
        assertThat(sample.shots()).hasSize(3);
        assertThat(sample.shots()).allSatisfy(s -> assertThat(s.prompt()).contains("ball"));
        assertThat(sample.fps()).isEqualTo(8);
    }
}
