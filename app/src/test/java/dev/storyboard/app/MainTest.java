package dev.storyboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's argument rewriting for desktop "open with" (no window is opened). */
class MainTest {
    @TempDir Path dir;

    @Test
    void anExistingProjectFileAloneOpensTheEditorOnIt() throws Exception {
        Path project = Files.writeString(dir.resolve("My Scene.storyboard"), "{}");
        assertThat(Main.openFileArgs(new String[] {project.toString()}))
                .containsExactly("edit", project.toString());
        Path upper = Files.writeString(dir.resolve("LOUD.STORYBOARD"), "{}");
        assertThat(Main.openFileArgs(new String[] {upper.toString()})).containsExactly("edit", upper.toString());
    }

    @Test
    void everythingElseIsPassedThroughUnchanged() throws Exception {
        Path project = Files.writeString(dir.resolve("a.storyboard"), "{}");
        Path other = Files.writeString(dir.resolve("notes.txt"), "x");
        Files.createDirectory(dir.resolve("folder.storyboard"));
        String[][] unchanged = {
            {},
            {"doctor"},
            {"edit"},
            {"--help"},
            {"edit", project.toString()},
            {"render", project.toString()},
            {project.toString(), "--new"},
            {dir.resolve("missing.storyboard").toString()},
            {dir.resolve("folder.storyboard").toString()},
            {other.toString()},
            {"bad\0name.storyboard"},
        };
        for (String[] args : unchanged) {
            assertThat(Main.openFileArgs(args)).as(String.join(" ", args)).isSameAs(args);
        }
    }
}
