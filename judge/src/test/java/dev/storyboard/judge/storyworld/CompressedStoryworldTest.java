package dev.storyboard.judge.storyworld;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.judge.TestData;
import dev.storyboard.judge.metrics.FfmpegSceneDetector;
import dev.storyboard.judge.video.Clip;
import dev.storyboard.judge.video.VideoReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/**
 * The storyworld judge on frames that are no longer exact renders: every shot re-encoded as MPEG-4 (q=2,
 * yuv420p) with the bundled ffmpeg and decoded again. The judge notices the render noise and widens its
 * palette tolerance. Accuracy drops (documented in docs/JUDGE.md) but stays useful.
 */
class CompressedStoryworldTest {
    private static final int SCENES = 20;

    @Test
    void mpeg4ReencodedShotsAreStillMostlyRight() throws Exception {
        Path clips = TestData.clips();
        Path work = TestData.work().resolve("mpeg4");
        String ffmpeg = FfmpegSceneDetector.executable().toString();
        StoryworldJudge judge = new StoryworldJudge();
        Map<String, int[]> acc = new LinkedHashMap<>();
        double noise = 0;
        int tolerance = 0;
        int shotsSeen = 0;
        for (String id : StoryworldExport.clipIds(clips).subList(0, SCENES)) {
            StoryworldExport.LabelledScene scene = StoryworldExport.readScene(clips.resolve(id), 8);
            List<Clip> decoded = new ArrayList<>();
            for (int s = 0; s < scene.shots().size(); s++) {
                Clip shot = scene.shots().get(s);
                Path dir = work.resolve(id + "-" + s);
                Files.createDirectories(dir);
                for (int i = 0; i < shot.frameCount(); i++) {
                    try (Mat m = shot.toMat(i)) {
                        opencv_imgcodecs.imwrite(dir.resolve(String.format(Locale.ROOT, "%03d.png", i)).toString(), m);
                    }
                }
                Path mp4 = dir.resolve("shot.mp4");
                Process p = new ProcessBuilder(ffmpeg, "-y", "-v", "error", "-framerate", "8", "-i",
                        dir.resolve("%03d.png").toString(), "-c:v", "mpeg4", "-q:v", "2", "-pix_fmt", "yuv420p",
                        mp4.toString()).redirectErrorStream(true).start();
                String log = new String(p.getInputStream().readAllBytes());
                assertThat(p.waitFor()).as(log).isZero();
                decoded.add(VideoReader.read(mp4, 0, VideoReader.Resolution.FULL));
            }
            SceneVerdict v = judge.judgeScene(decoded);
            StoryworldExport.SceneLabels l = scene.labels();
            for (int s = 0; s < v.shots().size(); s++) {
                ShotVerdict sv = v.shots().get(s);
                noise += sv.renderNoise();
                tolerance = Math.max(tolerance, sv.paletteTolerance());
                shotsSeen++;
                count(acc, "colour", l.actor().colour() == sv.colour());
                count(acc, "kind", l.actor().kind() == sv.kind());
                count(acc, "setting", l.setting() == sv.setting());
                count(acc, "action", l.shots().get(s).action() == sv.action());
                count(acc, "camera", l.shots().get(s).camera() == sv.camera());
                count(acc, "pattern", l.actor().pattern() == sv.pattern());
            }
        }
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "MPEG-4 q=2 re-encoded shots (%d scenes): mean "
                + "render noise %.2f, palette tolerance %d.%n%n| attribute | accuracy |%n|---|---|%n", SCENES,
                noise / shotsSeen, tolerance));
        acc.forEach((k, a) -> md.append(String.format(Locale.ROOT, "| %s | %d / %d = %.1f %% |%n", k, a[0], a[1],
                100.0 * a[0] / a[1])));
        Files.writeString(TestData.work().resolve("storyworld-mpeg4.md"), md.toString());
        assertThat(noise / shotsSeen).as(md.toString()).isGreaterThan(1.0);
        assertThat(rate(acc, "setting")).as(md.toString()).isGreaterThanOrEqualTo(0.95);
        assertThat(rate(acc, "colour")).as(md.toString()).isGreaterThanOrEqualTo(0.85);
        assertThat(rate(acc, "kind")).as(md.toString()).isGreaterThanOrEqualTo(0.75);
        assertThat(rate(acc, "action")).as(md.toString()).isGreaterThanOrEqualTo(0.75);
        assertThat(rate(acc, "camera")).as(md.toString()).isGreaterThanOrEqualTo(0.75);
    }

    private static void count(Map<String, int[]> acc, String key, boolean ok) {
        int[] a = acc.computeIfAbsent(key, k -> new int[2]);
        a[1]++;
        if (ok) {
            a[0]++;
        }
    }

    private static double rate(Map<String, int[]> acc, String key) {
        int[] a = acc.get(key);
        return a[0] / (double) a[1];
    }
}
