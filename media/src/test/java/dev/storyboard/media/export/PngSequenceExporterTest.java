package dev.storyboard.media.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storyboard.domain.generation.VideoFrame;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngSequenceExporterTest {
    @TempDir Path dir;

    @Test
    void writesLosslessFramesAndReplacesAPreviousExport() throws Exception {
        List<VideoFrame> frames = TestFrames.movingSquare(5, 32, 24);
        Path out = dir.resolve("frames");
        Files.createDirectory(out);
        // A previous, longer export: its extra frame must not survive the replacement.
        Files.writeString(out.resolve("frame_000009.png"), "old export");
        new PngSequenceExporter().export(FrameSequence.of(frames), out, ExportProgress.NONE, () -> false);
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("frame_000000.png", "frame_000001.png", "frame_000002.png", "frame_000003.png", "frame_000004.png");
        }
        BufferedImage back = ImageIO.read(out.resolve("frame_000003.png").toFile());
        int[] argb = back.getRGB(0, 0, 32, 24, null, 0, 32);
        assertThat(argb).isEqualTo(frames.get(3).argb());
        try (Stream<Path> siblings = Files.list(dir)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("frames");
        }
    }

    @Test
    void aFolderHoldingAnythingButFramesIsNeverReplaced() throws Exception {
        Path out = dir.resolve("frames");
        Files.createDirectory(out);
        Files.writeString(out.resolve("notes.txt"), "not ours");
        assertThatThrownBy(() -> new PngSequenceExporter().export(FrameSequence.of(TestFrames.movingSquare(2, 32, 24)),
                out, ExportProgress.NONE, () -> false)).isInstanceOf(ExportException.class)
                .hasMessageContaining("notes.txt");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
        }
    }

    @Test
    void cancelledExportKeepsThePreviousFolder() throws Exception {
        Path out = dir.resolve("frames");
        Files.createDirectory(out);
        Files.writeString(out.resolve("frame_000000.png"), "previous");
        assertThatThrownBy(() -> new PngSequenceExporter().export(FrameSequence.of(TestFrames.movingSquare(5, 32, 24)),
                out, ExportProgress.NONE, () -> true)).isInstanceOf(ExportCancelledException.class);
        assertThat(out.resolve("frame_000000.png")).hasContent("previous");
        try (Stream<Path> siblings = Files.list(dir)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("frames");
        }
    }
}
