package dev.storyboard.domain.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One way to write a file (issue 21 item 3) with the user's permissions (issue 23 item 3). */
class AtomicFilesTest {
    @TempDir Path dir;

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** The mode any program gets for a new file under this process's umask (0666 & ~umask). */
    private String plainMode() throws IOException {
        Path plain = Files.createFile(dir.resolve("plain-" + System.nanoTime()));
        try {
            return mode(plain);
        } finally {
            Files.delete(plain);
        }
    }

    private List<String> names() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aTemporaryIsRecognisedByItsExactNameAndNothingElseIs() throws Exception {
        Path target = dir.resolve("report.json");
        Path temp = AtomicFiles.newTemp(target);
        assertThat(AtomicFiles.isTempOf(target, temp.getFileName().toString())).isTrue();
        assertThat(AtomicFiles.isTempOf(target, ".report.json-42.tmp")).as("older, signed temporaries").isTrue();
        for (String other : List.of("report.json", ".report.json.tmp", ".report.json-.tmp", ".report.json12a.tmp",
                ".report.json12.tmp.bak", ".report.jsonx12.tmp", ".report.md12.tmp", "report.json12.tmp",
                ".report.json\u0661\u0662.tmp", ".report.json--12.tmp")) {
            assertThat(AtomicFiles.isTempOf(target, other)).as(other).isFalse();
        }
        Files.deleteIfExists(temp);
    }

    @Test
    void aNewFileGetsTheUmaskModeNotPrivate0600() throws Exception {
        String expected = plainMode();
        Path bytes = dir.resolve("a.json");
        Path stream = dir.resolve("b.md");
        AtomicFiles.write(bytes, "{}".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(stream, out -> out.write('x'));
        Path published = dir.resolve("c.mp4");
        Path temp = AtomicFiles.newTemp(published);
        Files.writeString(temp, "video");
        AtomicFiles.publish(temp, published);
        Path folder = dir.resolve("frames");
        AtomicFiles.replaceDirectory(AtomicFiles.newTempDirectory(folder), folder);
        Path plainFolder = Files.createDirectory(dir.resolve("plain-folder"));

        assertThat(mode(bytes)).isEqualTo(expected);
        assertThat(mode(stream)).isEqualTo(expected);
        assertThat(mode(published)).isEqualTo(expected);
        assertThat(mode(folder)).isEqualTo(mode(plainFolder));
        assertThat(Files.readString(published)).isEqualTo("video");
        assertThat(names()).containsExactly("a.json", "b.md", "c.mp4", "frames", "plain-folder");
    }

    @Test
    void replacingAFileKeepsItsPermissionsWiderOrNarrowerThanTheUmask() throws Exception {
        for (String perms : List.of("rw-r-----", "rw-rw-r--", "rw-rw-rw-")) {
            Path file = dir.resolve("f-" + perms);
            Files.writeString(file, "old");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
            AtomicFiles.writeString(file, "new");
            assertThat(mode(file)).as(perms).isEqualTo(perms);
            assertThat(Files.readString(file)).isEqualTo("new");

            Path temp = AtomicFiles.newTemp(file);
            Files.writeString(temp, "encoded");
            AtomicFiles.publish(temp, file);
            assertThat(mode(file)).as("published over " + perms).isEqualTo(perms);
        }
    }

    @Test
    void aFailingWriterLeavesThePreviousFileAndNoTemporary() throws Exception {
        Path file = dir.resolve("p.storyboard");
        Files.writeString(file, "previous");
        assertThatThrownBy(() -> AtomicFiles.write(file, out -> {
            out.write(new byte[100_000]);
            throw new IOException("No space left on device");
        })).hasMessageContaining("No space");
        assertThatThrownBy(() -> AtomicFiles.write(file, out -> {
            throw new UncheckedIOException(new IOException("bug"));
        })).isInstanceOf(UncheckedIOException.class);
        assertThat(Files.readString(file)).isEqualTo("previous");
        assertThat(names()).containsExactly("p.storyboard");
    }

    @Test
    void aFailedRenameLeavesThePreviousTargetAndNoTemporary() throws Exception {
        Path target = Files.createDirectory(dir.resolve("busy.json"));
        Files.writeString(target.resolve("inside"), "keep");
        assertThatThrownBy(() -> AtomicFiles.writeString(target, "{}")).isInstanceOf(IOException.class);
        assertThat(Files.readString(target.resolve("inside"))).isEqualTo("keep");
        assertThat(names()).containsExactly("busy.json");
    }

    @Test
    void withoutAtomicRenameTheFileIsReplacedAnyway() throws Exception {
        Path file = dir.resolve("r.json");
        Files.writeString(file, "old");
        List<List<StandardCopyOption>> calls = new ArrayList<>();
        Path temp = AtomicFiles.newTemp(file);
        Files.writeString(temp, "new");
        AtomicFiles.publish(temp, file, (from, to, options) -> {
            calls.add(Arrays.asList(options));
            if (calls.get(calls.size() - 1).contains(StandardCopyOption.ATOMIC_MOVE)) {
                throw new AtomicMoveNotSupportedException(from.toString(), to.toString(), "not on this file system");
            }
            Files.move(from, to, options);
        });
        assertThat(calls).containsExactly(List.of(StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING),
                List.of(StandardCopyOption.REPLACE_EXISTING));
        assertThat(Files.readString(file)).isEqualTo("new");
        assertThat(names()).containsExactly("r.json");
    }

    @Test
    void aWriterThatClosesTheStreamStillWritesEverything() throws Exception {
        Path file = dir.resolve("closed.txt");
        AtomicFiles.write(file, out -> {
            out.write("all of it".getBytes(StandardCharsets.UTF_8));
            out.close();
        });
        assertThat(Files.readString(file)).isEqualTo("all of it");
    }

    @Test
    void aLinkIsReplacedUnlessTheCallerWritesThroughIt() throws Exception {
        Path real = dir.resolve("real.otio");
        Files.writeString(real, "real");
        Path link = Files.createSymbolicLink(dir.resolve("link.otio"), real);
        AtomicFiles.writeString(AtomicFiles.throughLinks(link), "through");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(real)).isEqualTo("through");

        AtomicFiles.writeString(link, "replaced");
        assertThat(Files.isSymbolicLink(link)).isFalse();
        assertThat(Files.readString(real)).isEqualTo("through");
    }

    @Test
    void aLongNameStillGetsATemporaryName() throws Exception {
        Path file = dir.resolve("é".repeat(120) + ".md"); // 243 bytes in UTF-8
        AtomicFiles.writeString(file, "a");
        AtomicFiles.writeString(file, "b");
        assertThat(Files.readString(file)).isEqualTo("b");
        assertThat(names()).containsExactly(file.getFileName().toString());
    }

    @Test
    void staleTemporariesOfTheTargetAreRemovedFreshOnesAndOthersStay() throws Exception {
        Path file = dir.resolve("p.storyboard");
        Path stale = Files.writeString(dir.resolve(".p.storyboard1234567890.tmp"), "x");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minusSeconds(3600)));
        Path fresh = Files.writeString(dir.resolve(".p.storyboard999.tmp"), "in progress");
        Path foreign = Files.writeString(dir.resolve(".other.tmp"), "not ours");
        Files.setLastModifiedTime(foreign, FileTime.from(Instant.now().minusSeconds(3600)));
        AtomicFiles.removeStaleTemps(file, Duration.ofMinutes(5));
        assertThat(stale).doesNotExist();
        assertThat(fresh).exists();
        assertThat(foreign).exists();
    }

    @Test
    void temporaryNamesAreTheOnesStaleCleanupRecognises() throws Exception {
        Path file = dir.resolve("p.storyboard");
        Path temp = AtomicFiles.newTemp(file);
        Files.setLastModifiedTime(temp, FileTime.from(Instant.now().minusSeconds(3600)));
        AtomicFiles.removeStaleTemps(file, Duration.ofMinutes(5));
        assertThat(temp).doesNotExist();
    }

    @Test
    void aFolderIsReplacedWholeAndPublishingNeverReplaces() throws Exception {
        Path target = dir.resolve("frames");
        Path first = AtomicFiles.newTempDirectory(target);
        Files.writeString(first.resolve("frame_000000.png"), "1");
        AtomicFiles.publishDirectory(first, target);
        Path second = AtomicFiles.newTempDirectory(target);
        Files.writeString(second.resolve("frame_000000.png"), "2");
        assertThatThrownBy(() -> AtomicFiles.publishDirectory(second, target)).isInstanceOf(IOException.class);
        assertThat(Files.readString(target.resolve("frame_000000.png"))).isEqualTo("1");
        AtomicFiles.replaceDirectory(second, target);
        assertThat(Files.readString(target.resolve("frame_000000.png"))).isEqualTo("2");
        assertThat(names()).containsExactly("frames");
    }
}
