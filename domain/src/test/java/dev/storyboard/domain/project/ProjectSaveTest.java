package dev.storyboard.domain.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storyboard.domain.Storyboard;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving keeps what the creator set up around the file (issue 18, items 14 and 15). */
class ProjectSaveTest {
    @TempDir Path dir;
    private final ProjectFiles files = new ProjectFiles();

    private static Storyboard sample(String title) {
        return Storyboard.empty(title, 8, 64, 64);
    }

    @Test
    void savingOverAFileKeepsItsPermissions() throws Exception {
        Path file = dir.resolve("p.storyboard");
        files.write(sample("a"), file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        files.write(sample("b"), file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-rw-r--");
        assertThat(files.read(file).title()).isEqualTo("b");
    }

    /** A disk that takes {@code room} bytes of the save and then reports itself full. */
    private static ProjectFiles fullAfter(int room) {
        return new ProjectFiles(out -> new FilterOutputStream(out) {
            private int left = room;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                int n = Math.min(len, left);
                out.write(b, off, n);
                left -= n;
                if (n < len) {
                    throw new IOException("No space left on device");
                }
            }
        });
    }

    @Test
    void aFullDiskDuringASaveFailsKeepsThePreviousProjectAndLeavesNoPartialFile() throws Exception {
        Path file = dir.resolve("p.storyboard");
        files.write(sample("a"), file);
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> fullAfter(40).write(sample("b".repeat(200)), file))
                .isInstanceOf(ProjectFileException.class).hasMessageContaining("p.storyboard").hasMessageContaining("disk is full");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (Stream<Path> listed = Files.list(dir)) {
            assertThat(listed).containsExactly(file);
        }
    }

    @Test
    void aNewProjectGetsTheUmaskModeLikeAnyNewFile() throws Exception {
        Path plain = Files.createFile(dir.resolve("plain"));
        Path file = dir.resolve("new.storyboard");
        files.write(sample("a"), file);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void savingALinkWritesThroughToItsTarget() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real")).resolve("p.storyboard");
        files.write(sample("a"), real);
        Path link = Files.createSymbolicLink(dir.resolve("link.storyboard"), real);
        files.write(sample("b"), link);
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(files.read(real).title()).isEqualTo("b");
    }

    @Test
    void staleTempFilesOfOurNamingAreRemovedOnTheNextSave() throws Exception {
        Path file = dir.resolve("p.storyboard");
        files.write(sample("a"), file);
        Path stale = Files.writeString(dir.resolve(".p.storyboard1234567890.tmp"), "x".repeat(1000));
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minusSeconds(3600)));
        Path fresh = Files.writeString(dir.resolve(".p.storyboard999.tmp"), "in progress");
        Path foreign = Files.writeString(dir.resolve(".other.tmp"), "not ours");
        Files.setLastModifiedTime(foreign, FileTime.from(Instant.now().minusSeconds(3600)));
        files.write(sample("b"), file);
        assertThat(stale).doesNotExist();
        assertThat(fresh).exists();
        assertThat(foreign).exists();
    }

    @Test
    void staleTempFilesAreRemovedWhenTheEditorOpensTheProjectAndNotWhenACommandReadsIt() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real")).resolve("p.storyboard");
        files.write(sample("a"), real);
        Path link = Files.createSymbolicLink(dir.resolve("link.storyboard"), real);
        Path stale = Files.writeString(real.resolveSibling(".p.storyboard1234567890.tmp"), "x".repeat(1000));
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minusSeconds(3600)));
        Path fresh = Files.writeString(real.resolveSibling(".p.storyboard999.tmp"), "a save in progress");
        Path foreign = Files.writeString(real.resolveSibling(".other.storyboard1234.tmp"), "another file's");
        Files.setLastModifiedTime(foreign, FileTime.from(Instant.now().minusSeconds(3600)));
        new ProjectLoader().load(link); // render, export-timeline, eval: reading never writes
        assertThat(stale).exists();
        assertThat(new ProjectLoader().open(link).storyboard().title()).isEqualTo("a"); // the editor, through a link
        assertThat(stale).doesNotExist();
        assertThat(fresh).exists();
        assertThat(foreign).exists();
    }

    @Test
    void aFileThatDoesNotLoadKeepsItsTemporaries() throws Exception {
        Path file = Files.writeString(dir.resolve("p.storyboard"), "not a project");
        Path stale = Files.writeString(dir.resolve(".p.storyboard1234567890.tmp"), "perhaps the only good copy");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minusSeconds(3600)));
        try {
            new ProjectLoader().open(file);
        } catch (ProjectFileException expected) {
            // the point: nothing was removed
        }
        assertThat(stale).exists();
    }

    @Test
    void aLongValidNameSaves() throws Exception {
        Path file = dir.resolve("x".repeat(246 - ".storyboard".length()) + ".storyboard");
        assertThat(file.getFileName().toString()).hasSize(246);
        files.write(sample("a"), file);
        files.write(sample("b"), file);
        assertThat(files.read(file).title()).isEqualTo("b");
        try (Stream<Path> listing = Files.list(dir)) {
            assertThat(listing).containsExactly(file);
        }
    }
}
