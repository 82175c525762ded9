package dev.storyboard.inference.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SamplerConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aModelWithoutTheNoisePriorHasIndependentFrames() throws Exception {
        SamplerConfig s = SamplerConfig.fromJson(JSON.readTree("{\"sampler\": \"euler\", \"steps\": 24, \"shift\": 3.0}"));
        assertThat(s.noiseCorrelation()).isZero();
        assertThat(s.continuationStart()).isEqualTo(1.0);
        assertThat(s.steps()).isEqualTo(24);
    }

    @Test
    void readsTheNoiseCorrelationAndRefusesOneOutsideZeroToOne() throws Exception {
        assertThat(SamplerConfig.fromJson(JSON.readTree("{\"noise_correlation\": 0.6}")).noiseCorrelation()).isEqualTo(0.6);
        assertThatThrownBy(() -> SamplerConfig.fromJson(JSON.readTree("{\"noise_correlation\": 1.0}")))
                .hasMessageContaining("noise_correlation must be in [0, 1), was 1.0");
    }

    @Test
    void readsTheContinuationStartAndRefusesOneOutsideZeroToOne() throws Exception {
        assertThat(SamplerConfig.fromJson(JSON.readTree("{\"continuation_start\": 0.9}")).continuationStart()).isEqualTo(0.9);
        assertThatThrownBy(() -> SamplerConfig.fromJson(JSON.readTree("{\"continuation_start\": 0}")))
                .hasMessageContaining("continuation_start must be in (0, 1], was 0.0");
    }
}
