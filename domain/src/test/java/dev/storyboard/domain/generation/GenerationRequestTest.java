package dev.storyboard.domain.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenerationRequestTest {
    private final Storyboard scene = new Storyboard("s", "", 8, 64, 64,
            List.of(Shot.planned("a", "a red ball", 16, CameraMove.STATIC, ShotSize.WIDE, 5)));

    @Test
    void newTakeUsesTheShotsDurationSeedAndGuidance() {
        GenerationRequest r = GenerationRequest.newTake(scene, "a");
        assertThat(r.operation()).isEqualTo(GenerationRequest.Operation.GENERATE_TAKE);
        assertThat(r.frames()).isEqualTo(16);
        assertThat(r.seed()).isEqualTo(5);
        assertThat(r.guidance()).isEqualTo(4.0);
    }

    @Test
    void rejectsUnknownShotsAndExtensionsWithoutATake() {
        assertThatThrownBy(() -> GenerationRequest.newTake(scene, "zz")).hasMessageContaining("no shot zz");
        assertThatThrownBy(() -> new GenerationRequest(GenerationRequest.Operation.EXTEND_TAKE, scene, "a", null, 8, 1, 4, 0))
                .hasMessageContaining("needs the take to extend");
        assertThatThrownBy(() -> GenerationRequest.extend(scene, "a", "t1", 0, 1)).hasMessageContaining("frames must be > 0");
    }

    @Test
    void frameSizeMustMatchPixels() {
        assertThatThrownBy(() -> new VideoFrame(2, 2, new int[3])).hasMessageContaining("needs 4 pixels");
        assertThat(new JobProgress("j", "a", 1, 4, 5, 10).fraction()).isEqualTo(0.375);
    }
}
