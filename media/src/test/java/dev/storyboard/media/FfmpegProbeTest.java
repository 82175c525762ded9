package dev.storyboard.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FfmpegProbeTest {
    @Test
    void bundledFfmpegLoadsAndCanEncodeH264WithOpenH264() {
        FfmpegProbe.Report report = FfmpegProbe.probe();
        assertThat(report.ffmpegVersion()).isNotBlank();
        // The default (LGPL) build must encode H.264 through openh264; see docs/decisions/0003.
        assertThat(report.h264Encoders()).contains("libopenh264");
        assertThat(report.ffmpegExecutable()).isNotBlank();
        assertThat(Files.isExecutable(Path.of(report.ffmpegExecutable()))).isTrue();
    }
}
