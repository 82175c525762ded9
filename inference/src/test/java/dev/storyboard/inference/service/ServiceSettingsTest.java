package dev.storyboard.inference.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServiceSettingsTest {
    @Test
    void blendOverlapDefaultsToZeroSurvivesTheOtherWithersAndRejectsNegatives() {
        assertThat(ServiceSettings.defaults().blendOverlap()).isZero();
        ServiceSettings two = ServiceSettings.defaults().withBlendOverlap(2);
        assertThat(two.withMaxSecondsPerTake(5).withExtensionsFirst(false).withTruncateLongPrompts(true).blendOverlap())
                .isEqualTo(2);
        assertThatThrownBy(() -> ServiceSettings.defaults().withBlendOverlap(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blendOverlap must be >= 0");
    }
}
