package dev.storyboard.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storyboard.domain.project.FrameFileName;
import dev.storyboard.domain.project.ProjectFileException;
import dev.storyboard.domain.project.ProjectLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guidance range and the frame file names, each one rule in one place (issue 21, item 3). */
class NamedRulesTest {

    @Test
    void guidanceRangeIsInclusiveAndRefusesNaN() {
        assertThat(Guidance.isValid(Guidance.MIN)).isTrue();
        assertThat(Guidance.isValid(Guidance.MAX)).isTrue();
        assertThat(Guidance.isValid(Guidance.DEFAULT)).isTrue();
        assertThat(Guidance.isValid(Math.nextDown(Guidance.MIN))).isFalse();
        assertThat(Guidance.isValid(Math.nextUp(Guidance.MAX))).isFalse();
        assertThat(Guidance.isValid(Double.NaN)).isFalse();
        assertThat(Guidance.problem(25)).isEqualTo("guidance must be in [0, 20], was 25.0");
    }

    @Test
    void aShotOutsideTheRangeIsRefusedWithTheOneMessage() {
        assertThatThrownBy(() -> new Shot("s1", "p", 8, CameraMove.STATIC, ShotSize.WIDE, 1, Guidance.MAX + 1,
                List.of(), null)).hasMessage("shot s1: " + Guidance.problem(Guidance.MAX + 1));
        assertThat(Shot.planned("s1", "p", 8, CameraMove.STATIC, ShotSize.WIDE, 1).guidance()).isEqualTo(Guidance.DEFAULT);
    }

    @Test
    void aProjectWithGuidanceOutsideTheRangeDoesNotLoad(@TempDir Path dir) throws Exception {
        String json = "{\"format\":\"storyboard-project/1\",\"storyboard\":{\"title\":\"t\",\"scenePrompt\":\"\","
                + "\"fps\":8,\"width\":64,\"height\":64,\"shots\":[{\"id\":\"s1\",\"prompt\":\"p\",\"durationFrames\":8,"
                + "\"camera\":\"STATIC\",\"shotSize\":\"WIDE\",\"seed\":1,\"guidance\":20.5,\"takes\":[],\"activeTakeId\":null}]}}";
        Path file = Files.writeString(dir.resolve("p.storyboard"), json);
        assertThatThrownBy(() -> new ProjectLoader().load(file)).isInstanceOf(ProjectFileException.class)
                .hasMessageContaining(Guidance.problem(20.5));
    }

    @Test
    void takeMediaAndPngExportNameFramesApartAndEachRecognisesOnlyItsOwn() {
        assertThat(FrameFileName.TAKE_MEDIA.of(12)).isEqualTo("frame-000012.png");
        assertThat(FrameFileName.PNG_EXPORT.of(12)).isEqualTo("frame_000012.png");
        for (FrameFileName kind : FrameFileName.values()) {
            assertThat(kind.matches(kind.of(0))).isTrue();
            assertThat(kind.matches(kind.of(999_999))).isTrue();
            assertThatThrownBy(() -> kind.of(-1)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(FrameFileName.TAKE_MEDIA.matches("frame_000012.png")).isFalse();
        assertThat(FrameFileName.PNG_EXPORT.matches("frame-000012.png")).isFalse();
        assertThat(FrameFileName.PNG_EXPORT.matches("frame_12.png")).isFalse();
        assertThat(FrameFileName.PNG_EXPORT.matches("frame_000012.png.tmp")).isFalse();
    }
}
