package dev.storyboard.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.judge.metrics.MotionMetrics;
import dev.storyboard.judge.metrics.ShotMetrics;
import dev.storyboard.judge.storyworld.StoryworldExport;
import dev.storyboard.judge.storyworld.StoryworldJudge;
import dev.storyboard.judge.video.Clip;
import dev.storyboard.judge.video.VideoReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** Bad input gives a JudgeException that names the input and the problem. */
class BadInputTest {

    @Test
    void missingEmptyAndUndecodableFiles() throws Exception {
        Path dir = TestData.work().resolve("bad");
        Files.createDirectories(dir);
        Path missing = dir.resolve("missing.mp4");
        assertThatThrownBy(() -> VideoReader.read(missing, 0, VideoReader.Resolution.FULL))
                .isInstanceOf(JudgeException.class).hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
        Path empty = Files.write(dir.resolve("empty.mp4"), new byte[0]);
        assertThatThrownBy(() -> VideoReader.read(empty, 0, VideoReader.Resolution.FULL))
                .isInstanceOf(JudgeException.class).hasMessageContaining("empty.mp4").hasMessageContaining("empty (0 bytes)");
        Path text = Files.writeString(dir.resolve("notes.avi"), "this is not a video\n".repeat(50));
        assertThatThrownBy(() -> VideoReader.read(text, 0, VideoReader.Resolution.FULL))
                .isInstanceOf(JudgeException.class).hasMessageContaining("notes.avi")
                .hasMessageContaining("cannot read video");
        Path wav = Files.write(dir.resolve("sound.wav"), wav(8000, 800));
        assertThatThrownBy(() -> VideoReader.read(wav, 0, VideoReader.Resolution.FULL))
                .isInstanceOf(JudgeException.class).hasMessageContaining("sound.wav")
                .hasMessageContaining("no video stream");
        Path notPng = Files.writeString(dir.resolve("frame.png"), "garbage");
        assertThatThrownBy(() -> VideoReader.readImages("frames", List.of(notPng), 8))
                .isInstanceOf(JudgeException.class).hasMessageContaining("frame.png")
                .hasMessageContaining("not an image");
    }

    @Test
    void framesOfDifferentSizesAndEmptyClips() {
        VideoFrame a = new VideoFrame(4, 4, new int[16]);
        VideoFrame b = new VideoFrame(2, 8, new int[16]);
        assertThatThrownBy(() -> Clip.ofVideoFrames("take 3", List.of(a, a, b), 8))
                .isInstanceOf(JudgeException.class).hasMessageContaining("take 3")
                .hasMessageContaining("frame 2 is 2x8 but frame 0 is 4x4");
        assertThatThrownBy(() -> Clip.ofVideoFrames("take 4", List.of(), 8))
                .isInstanceOf(JudgeException.class).hasMessageContaining("take 4: the clip has no frames");
        assertThatThrownBy(() -> Clip.ofVideoFrames("take 5", List.of(a), Double.NaN))
                .isInstanceOf(JudgeException.class).hasMessageContaining("frame rate");
        try (Mat m1 = new Mat(4, 4, opencv_core.CV_8UC3); Mat m2 = new Mat(5, 4, opencv_core.CV_8UC3)) {
            assertThatThrownBy(() -> Clip.ofMats("mats", List.of(m1, m2), 8)).isInstanceOf(JudgeException.class)
                    .hasMessageContaining("frame 1 is 4x5 but frame 0 is 4x4");
        }
        assertThatThrownBy(() -> Clip.ofBgr("raw", 4, 4, 8, List.of(new byte[48], new byte[47])))
                .isInstanceOf(JudgeException.class).hasMessageContaining("frame 1 has 47 bytes");
    }

    @Test
    void oneFrameClipsAreRejectedByEveryMetricThatComparesFrames() {
        Clip one = Clip.ofVideoFrames("still", List.of(new VideoFrame(8, 8, new int[64])), 8);
        assertThatThrownBy(() -> ShotMetrics.compute(one, new int[0])).isInstanceOf(JudgeException.class)
                .hasMessageContaining("still").hasMessageContaining("needs at least 2 frames, the clip has 1");
        assertThatThrownBy(() -> MotionMetrics.compute(one)).isInstanceOf(JudgeException.class)
                .hasMessageContaining("needs at least 2 frames");
        assertThatThrownBy(() -> new StoryworldJudge().judgeShot(one, 0)).isInstanceOf(JudgeException.class)
                .hasMessageContaining("needs at least 2 frames");
        Clip two = Clip.ofVideoFrames("two", List.of(new VideoFrame(8, 8, new int[64]), new VideoFrame(8, 8, new int[64])), 8);
        assertThatThrownBy(() -> ShotMetrics.compute(two, new int[] {5})).isInstanceOf(JudgeException.class)
                .hasMessageContaining("chunk boundary 5 is outside frames 1..1");
    }

    @Test
    void brokenLabels() throws Exception {
        Path clip = TestData.work().resolve("bad-labels/clip0000");
        Files.createDirectories(clip);
        Files.writeString(clip.resolve("labels.json"), "{ not json");
        assertThatThrownBy(() -> StoryworldExport.readLabels(clip)).isInstanceOf(JudgeException.class)
                .hasMessageContaining("labels.json").hasMessageContaining("cannot parse");
        Files.writeString(clip.resolve("labels.json"), "{\"actor\": {\"kind\": \"dragon\", \"colour\": \"red\", "
                + "\"pattern\": \"plain\"}, \"setting\": {\"name\": \"meadow\"}, \"shots\": []}");
        assertThatThrownBy(() -> StoryworldExport.readLabels(clip)).isInstanceOf(JudgeException.class)
                .hasMessageContaining("unknown kind \"dragon\"");
    }

    @Test
    void aJudgedBlackStillClipIsFiniteEverywhere() {
        Clip black = Synthetic.clip("black", 16, 16, 4, 8, (f, x, y) -> 0);
        ShotMetrics m = ShotMetrics.compute(black, new int[] {2});
        assertThat(m.mawe()).isZero();
        assertThat(m.stagnant()).isTrue();
        assertThat(m.seams().get(0).score()).isZero();
        var v = new StoryworldJudge().judgeShot(black, 0);
        assertThat(v.notes()).anySatisfy(n -> assertThat(n).contains("no actor"));
        assertThat(Double.isFinite(v.hue()) && Double.isFinite(v.cameraZoom())).isTrue();
        v.motion().values().forEach(x -> assertThat(Double.isFinite(x)).isTrue());
        v.kindFit().values().forEach(x -> assertThat(Double.isFinite(x)).isTrue());
    }

    private static byte[] wav(int rate, int samples) {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * samples).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 2 * samples);
        b.put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1);
        b.putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(2 * samples);
        for (int i = 0; i < samples; i++) {
            b.putShort((short) (8000 * Math.sin(i * 0.1)));
        }
        return b.array();
    }
}
