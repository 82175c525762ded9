package dev.storyboard.domain.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, item 11: an I/O failure is said in words ("permission denied"), never as a Java class name, and never
 * with raw control characters. Tests run as root here, where the OS never refuses a read, so the operating
 * system's own exception types are built directly.
 */
class IoMessagesTest {
    @TempDir Path dir;

    @Test
    void theOperatingSystemsRefusalsAreSaidInWords() {
        assertThat(IoMessages.describe(new AccessDeniedException("/p/scene.storyboard"))).isEqualTo("permission denied");
        assertThat(IoMessages.describe(new NoSuchFileException("/p/x"))).isEqualTo("no such file or folder");
        assertThat(IoMessages.describe(new IOException("write failed: No space left on device"))).isEqualTo("the disk is full");
        assertThat(IoMessages.describe(new IOException((String) null))).isEqualTo("input/output error");
    }

    @Test
    void reasonsAreEscapedAndShort() {
        String hostile = "Read-only file system\u001b]0;pwned\u0007" + "x".repeat(500);
        String said = IoMessages.describe(new FileSystemException("/p", null, hostile));
        assertThat(said).doesNotContain("\u001b").doesNotContain("\u0007").startsWith("Read-only file system");
        assertThat(said.length()).as("cut to about 120 characters, escapes included").isLessThan(160);
    }

    @Test
    void aRealFailureOfTheLoaderIsNamedWithoutJavaInternals() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("scene.storyboard"));
        Path inFile = Files.writeString(dir.resolve("plain"), "x").resolve("scene.storyboard");
        assertThat(catchThrowable(() -> new ProjectLoader().load(folder)))
                .hasMessageContaining("is a folder").hasMessageNotContaining("Exception");
        assertThat(catchThrowable(() -> new ProjectLoader().load(inFile)))
                .hasMessageNotContaining("Exception").hasMessageNotContaining("java.");
    }
}
