package dev.storyboard.domain.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MediaPathsTest {
    @Test
    void mediaFolderSitsNextToTheProject() {
        assertThat(MediaPaths.mediaDirFor(Path.of("/p/scene.storyboard"))).isEqualTo(Path.of("/p/scene.media"));
    }

    /** A root has no file name, so no media folder beside it: an error that says so, not a NullPointerException. */
    @Test
    void aRootHasNoMediaFolderAndIsNeverAProject() {
        assertThatThrownBy(() -> MediaPaths.mediaDirFor(Path.of("/"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("/ is not a project file: it has no file name (a root folder never is one)");
    }

    @Test
    void takeFoldersAreSafeWhateverTheIds() {
        assertThat(MediaPaths.takeFolder("shot-1", "take-7")).isEqualTo("shot-1/take-7");
        assertThat(MediaPaths.takeFolder("../x", "a/b")).isEqualTo("x___x/a_b");
        assertThat(MediaPaths.problem(MediaPaths.takeFolder("..", "/etc"))).isNull();
    }

    @Test
    void pathsLeavingTheMediaFolderAreRefused() {
        for (String bad : new String[] {"../x", "/etc/passwd", "a/../../b", "C:\\\\x", "\\\\\\\\srv\\\\s", "..", "a//b", "a/b/",
            "a\u0000b", "x".repeat(300)}) {
            assertThat(MediaPaths.problem(bad)).as(bad).isNotNull();
            assertThatThrownBy(() -> MediaPaths.resolve(Path.of("/p/s.media"), bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(MediaPaths.resolve(Path.of("/p/s.media"), "shot-1/take-2")).isEqualTo(Path.of("/p/s.media/shot-1/take-2"));
        assertThat(MediaPaths.problem("")).isNull();
    }
}
