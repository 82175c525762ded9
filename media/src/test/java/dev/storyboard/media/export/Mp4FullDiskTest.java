package dev.storyboard.media.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills while the muxer writes (issue 18, item 4). FFmpeg's muxer can finish without an error
 * while the file on disk lacks its tail ("moov atom not found"); the fault is injected right after the muxer
 * closed the temporary file, the way a full disk leaves it.
 */
class Mp4FullDiskTest {
    @TempDir Path dir;

    private static FrameSequence frames(int n) {
        return FrameSequence.of(TestFrames.movingSquare(n, 64, 64));
    }

    private static void truncateToHalf(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
    }

    private void assertOnlyThePreviousFile(Path out, byte[] previous) throws IOException {
        assertThat(Files.readAllBytes(out)).isEqualTo(previous);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(out);
        }
    }

    @Test
    void aTruncatedVideoFailsAndKeepsThePreviousFile() throws Exception {
        Path out = dir.resolve("scene.mp4");
        new Mp4Exporter().export(frames(12), Mp4Settings.of(8, 64, 64), out, ExportProgress.NONE, () -> false);
        byte[] previous = Files.readAllBytes(out);

        Mp4Exporter full = new Mp4Exporter(Mp4FullDiskTest::truncateToHalf);
        assertThatThrownBy(() -> full.export(frames(52), Mp4Settings.of(8, 64, 64), out, ExportProgress.NONE, () -> false))
                .isInstanceOf(ExportException.class)
                .hasMessageContaining("scene.mp4").hasMessageContaining("previous file is kept");
        assertOnlyThePreviousFile(out, previous);
    }

    @Test
    void aWriteErrorAfterTheMuxerFailsAndKeepsThePreviousFile() throws Exception {
        Path out = dir.resolve("scene.mp4");
        new Mp4Exporter().export(frames(12), Mp4Settings.of(8, 64, 64), out, ExportProgress.NONE, () -> false);
        byte[] previous = Files.readAllBytes(out);

        Mp4Exporter full = new Mp4Exporter(temp -> {
            throw new IOException("No space left on device");
        });
        assertThatThrownBy(() -> full.export(frames(52), Mp4Settings.of(8, 64, 64), out, ExportProgress.NONE, () -> false))
                .isInstanceOf(ExportException.class).hasMessageContaining("disk is full");
        assertOnlyThePreviousFile(out, previous);
    }

    @Test
    void aVideoWithFewerFramesThanWrittenFails() throws Exception {
        Path out = dir.resolve("scene.mp4");
        // Replace the muxed file with a complete but shorter video: it opens, yet the frame count is wrong.
        Mp4Exporter shortFile = new Mp4Exporter(temp -> {
            Path other = dir.resolve("other.mp4");
            try {
                new Mp4Exporter().export(frames(4), Mp4Settings.of(8, 64, 64), other, ExportProgress.NONE, () -> false);
            } catch (ExportException e) {
                throw new IOException(e);
            }
            Files.move(other, temp, StandardCopyOption.REPLACE_EXISTING);
        });
        assertThatThrownBy(() -> shortFile.export(frames(12), Mp4Settings.of(8, 64, 64), out, ExportProgress.NONE, () -> false))
                .isInstanceOf(ExportException.class).hasMessageContaining("4 of 12 frames");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
