package dev.storyboard.media.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storyboard.domain.generation.VideoFrame;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Mp4ExporterTest {
    @TempDir Path dir;
    private final Mp4Exporter exporter = new Mp4Exporter();

    @Test
    void writesAPlayableH264Yuv420pMp4WithFaststart() throws Exception {
        List<VideoFrame> frames = TestFrames.movingSquare(24, 64, 64);
        Path out = dir.resolve("scene.mp4");
        List<Integer> progress = new ArrayList<>();
        exporter.export(FrameSequence.of(frames), Mp4Settings.of(8, 64, 64), out, (done, total) -> progress.add(done), () -> false);

        JsonNode probe = VideoProbe.ffprobe(out);
        JsonNode stream = probe.get("streams").get(0);
        assertThat(stream.get("codec_name").asText()).isEqualTo("h264");
        assertThat(stream.get("pix_fmt").asText()).isEqualTo("yuv420p");
        assertThat(stream.get("width").asInt()).isEqualTo(64);
        assertThat(stream.get("r_frame_rate").asText()).isEqualTo("8/1");
        assertThat(stream.get("nb_read_frames").asInt()).isEqualTo(24);
        assertThat(probe.get("format").get("duration").asDouble()).isCloseTo(3.0, Offset.offset(0.01));
        assertThat(progress).hasSize(24).endsWith(24);

        // +faststart: the moov atom comes before the media data, so players can start before the download ends.
        String head = new String(Files.readAllBytes(out), StandardCharsets.ISO_8859_1);
        assertThat(head.indexOf("moov")).isPositive().isLessThan(head.indexOf("mdat"));

        List<int[]> decoded = VideoProbe.decode(out);
        assertThat(decoded).hasSize(24);
        double meanPsnr = 0;
        for (int i = 0; i < 24; i++) {
            meanPsnr += TestFrames.psnr(frames.get(i).argb(), decoded.get(i)) / 24;
        }
        assertThat(meanPsnr).as("mean PSNR of decoded vs generated frames").isGreaterThan(30);
    }

    @Test
    void upscalesThroughFfmpegToTheRequestedSize() throws Exception {
        List<VideoFrame> frames = TestFrames.movingSquare(8, 64, 64);
        Path out = dir.resolve("big.mp4");
        exporter.export(FrameSequence.of(frames), Mp4Settings.of(8, 256, 256), out, ExportProgress.NONE, () -> false);
        JsonNode stream = VideoProbe.ffprobe(out).get("streams").get(0);
        assertThat(stream.get("width").asInt()).isEqualTo(256);
        assertThat(stream.get("height").asInt()).isEqualTo(256);
        // Box-downsample the decoded 256² frame by 4 and compare with the 64² original.
        int[] decoded = VideoProbe.decode(out).get(4);
        int[] down = new int[64 * 64];
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int r = 0, g = 0, b = 0;
                for (int dy = 0; dy < 4; dy++) {
                    for (int dx = 0; dx < 4; dx++) {
                        int p = decoded[(4 * y + dy) * 256 + 4 * x + dx];
                        r += (p >> 16) & 0xFF;
                        g += (p >> 8) & 0xFF;
                        b += p & 0xFF;
                    }
                }
                down[y * 64 + x] = 0xFF000000 | ((r / 16) << 16) | ((g / 16) << 8) | (b / 16);
            }
        }
        assertThat(TestFrames.psnr(frames.get(4).argb(), down)).isGreaterThan(28);
    }

    @Test
    void cancellingLeavesNoFileBehind() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        Path out = dir.resolve("cancelled.mp4");
        assertThatThrownBy(() -> exporter.export(FrameSequence.of(TestFrames.movingSquare(20, 64, 64)),
                Mp4Settings.of(8, 64, 64), out, ExportProgress.NONE, () -> polls.incrementAndGet() > 5))
                .isInstanceOf(ExportCancelledException.class).hasMessageContaining("cancelled after 5 of 20 frames");
        assertThat(listing()).isEmpty();
    }

    @Test
    void aFailedExportKeepsThePreviousFile() throws Exception {
        Path out = dir.resolve("scene.mp4");
        Files.writeString(out, "previous export");
        List<VideoFrame> frames = new ArrayList<>(TestFrames.movingSquare(6, 64, 64));
        FrameSequence broken = new FrameSequence() {
            @Override public int size() { return 6; }
            @Override public int width() { return 64; }
            @Override public int height() { return 64; }
            @Override public VideoFrame frame(int i) {
                return i == 3 ? TestFrames.movingSquare(1, 32, 32).get(0) : frames.get(i);
            }
        };
        assertThatThrownBy(() -> exporter.export(broken, Mp4Settings.of(8, 64, 64), out, ExportProgress.NONE, () -> false))
                .isInstanceOf(ExportException.class).hasMessageContaining("frame 3 is 32x32");
        assertThat(out).hasContent("previous export");
        assertThat(listing()).containsExactly("scene.mp4");
    }

    @Test
    void missingFolderAndBadSettingsGetClearErrors() {
        Path out = dir.resolve("no/such/folder/scene.mp4");
        assertThatThrownBy(() -> exporter.export(FrameSequence.of(TestFrames.movingSquare(2, 64, 64)),
                Mp4Settings.of(8, 64, 64), out, ExportProgress.NONE, () -> false))
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> Mp4Settings.of(8, 65, 64)).hasMessageContaining("even output size");
        assertThatThrownBy(() -> FrameSequence.of(List.of())).hasMessageContaining("empty");
    }

    @Test
    void aFullDiskFailsCleanly() throws Exception {
        Path small = Files.createDirectory(dir.resolve("small"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=32k", "tmpfs", small.toString()),
                "needs root to mount a small tmpfs");
        try {
            // Noise does not compress: 40 frames of 256² noise need far more than 32 KB.
            Random random = new Random(1);
            List<VideoFrame> noise = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int[] argb = new int[256 * 256];
                for (int p = 0; p < argb.length; p++) {
                    argb[p] = 0xFF000000 | random.nextInt(0x1000000);
                }
                noise.add(new VideoFrame(256, 256, argb));
            }
            Path out = small.resolve("scene.mp4");
            assertThatThrownBy(() -> exporter.export(FrameSequence.of(noise), new Mp4Settings(8, 256, 256, 20_000_000),
                    out, ExportProgress.NONE, () -> false))
                    .isInstanceOf(ExportException.class).hasMessageContaining("scene.mp4");
            try (Stream<Path> files = Files.list(small)) {
                assertThat(files).as("no partial file on the full disk").isEmpty();
            }
        } finally {
            run("umount", small.toString());
        }
    }

    private List<String> listing() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static boolean run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
