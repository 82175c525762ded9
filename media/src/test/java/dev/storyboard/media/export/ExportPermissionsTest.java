package dev.storyboard.media.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.project.FrameFileName;
import dev.storyboard.media.timeline.EditTimeline;
import dev.storyboard.media.timeline.TimelineExporter;
import dev.storyboard.media.timeline.TimelineFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exported files are created the way any editor creates them (issue 23, item 3): a new file gets the user's
 * umask, exactly like a file the test creates plainly; a file an export replaces keeps its permissions.
 */
class ExportPermissionsTest {
    @TempDir Path dir;

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private String plainFileMode() throws IOException {
        Path plain = Files.createFile(dir.resolve("plain"));
        String mode = mode(plain);
        Files.delete(plain);
        return mode;
    }

    private String plainFolderMode() throws IOException {
        Path plain = Files.createDirectory(dir.resolve("plain-folder"));
        String mode = mode(plain);
        Files.delete(plain);
        return mode;
    }

    private static EditTimeline timeline() {
        return EditTimeline.of(Storyboard.empty("perms", 8, 64, 64), shot -> "media/" + shot.id() + ".mp4");
    }

    @Test
    void timelinesGetTheUmaskModeAndKeepTheModeOfTheFileTheyReplace() throws Exception {
        String expected = plainFileMode();
        for (TimelineFormat format : TimelineFormat.values()) {
            Path out = dir.resolve("t" + format.extension());
            new TimelineExporter().export(timeline(), format, out);
            assertThat(mode(out)).as(format.name()).isEqualTo(expected);
            Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-rw-r--"));
            new TimelineExporter().export(timeline(), format, out);
            assertThat(mode(out)).as(format.name() + " replaced").isEqualTo("rw-rw-r--");
        }
    }

    @Test
    void mp4GetsTheUmaskModeAndKeepsTheModeOfTheFileItReplaces() throws Exception {
        String expected = plainFileMode();
        Path out = dir.resolve("clip.mp4");
        Mp4Exporter exporter = new Mp4Exporter();
        exporter.export(FrameSequence.of(TestFrames.movingSquare(4, 64, 64)), Mp4Settings.of(8, 64, 64), out,
                ExportProgress.NONE, () -> false);
        assertThat(mode(out)).isEqualTo(expected);
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-r-----"));
        exporter.export(FrameSequence.of(TestFrames.movingSquare(4, 64, 64)), Mp4Settings.of(8, 64, 64), out,
                ExportProgress.NONE, () -> false);
        assertThat(mode(out)).isEqualTo("rw-r-----");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("clip.mp4");
        }
    }

    @Test
    void pngFramesAndTheirFolderGetTheUmaskMode() throws Exception {
        String file = plainFileMode();
        String folder = plainFolderMode();
        Path out = dir.resolve("frames");
        new PngSequenceExporter().export(FrameSequence.of(TestFrames.movingSquare(2, 32, 24)), out,
                ExportProgress.NONE, () -> false);
        assertThat(mode(out)).isEqualTo(folder);
        assertThat(mode(out.resolve(FrameFileName.PNG_EXPORT.of(1)))).isEqualTo(file);
    }
}
