package dev.storyboard.inference.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storyboard.inference.session.SeamBlending;
import org.junit.jupiter.api.Test;

class ServiceSettingsTest {
    @Test
    void seamBlendingDefaultsToNoneSurvivesTheOtherWithersAndRejectsNegativeOverlaps() {
        assertThat(ServiceSettings.defaults().seamBlending()).isEqualTo(SeamBlending.NONE);
        SeamBlending two = new SeamBlending(2, SeamBlending.Split.FULL);
        ServiceSettings blended = ServiceSettings.defaults().withSeamBlending(two);
        assertThat(blended.withMaxSecondsPerTake(5).withExtensionsFirst(false).withTruncateLongPrompts(true).seamBlending())
                .isEqualTo(two);
        assertThatThrownBy(() -> new SeamBlending(-1, SeamBlending.Split.RANDOM))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blendOverlap must be >= 0");
    }
}
