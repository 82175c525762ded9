package dev.storyboard.judge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.judge.metrics.FfmpegSceneDetector;
import dev.storyboard.judge.metrics.SceneCutDetector;
import dev.storyboard.judge.metrics.ShotMetrics;
import dev.storyboard.judge.report.Evaluator;
import dev.storyboard.judge.video.Clip;
import dev.storyboard.judge.video.VideoReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * SCuts on footage nobody here made (Debian's opencv-doc samples), cross-checked with FFmpeg. Megamind.avi has
 * hard cuts at about 0.08, 4.13, 6.46 and 8.38 s; tree.avi and vtest.avi have none. Results are also written
 * to target/judge-work/real-footage.md for docs/JUDGE.md.
 */
class RealFootageTest {
    private static final double[] MEGAMIND_CUTS_S = {0.08, 4.13, 6.46, 8.38};

    @Test
    void megamindCutsAreFoundWithinTwoFramesAndFfmpegAgrees() throws Exception {
        Path video = TestData.opencvVideo("Megamind.avi");
        Clip clip = VideoReader.read(video, 0, VideoReader.Resolution.SCENE_DETECT);
        assertThat(clip.width()).isEqualTo(256); // 720x528 -> PySceneDetect's 256x188
        double fps = clip.fps();

        long t0 = System.nanoTime();
        SceneCutDetector.Result faithful = SceneCutDetector.detect(clip, SceneCutDetector.Params.DEFAULT);
        SceneCutDetector.Result anywhere = SceneCutDetector.detect(clip, SceneCutDetector.Params.ANYWHERE);
        double msPerFrame = (System.nanoTime() - t0) / 1e6 / (2.0 * clip.frameCount());

        // expected cut = the first frame shown at or after the listed time
        List<Integer> expected = new ArrayList<>();
        for (double t : MEGAMIND_CUTS_S) {
            expected.add(clip.frameAt(t));
        }
        // PySceneDetect semantics: the first frame counts as a cut, so the cut at 0.08 s (frame 1) falls inside
        // the first min-scene-length frames and is not reported; the other three are.
        assertThat(faithful.cuts()).hasSize(3);
        assertWithin(faithful.cuts(), expected.subList(1, 4), 2);
        // with the start exempt (what the editor uses) all four are found, and nothing else
        assertThat(anywhere.cuts()).hasSize(4);
        assertWithin(anywhere.cuts(), expected, 2);

        // FFmpeg's own scene detection on the same file, matched by presentation time
        FfmpegSceneDetector.Result scdet = FfmpegSceneDetector.detect(video, fps, FfmpegSceneDetector.Method.SCDET, 10);
        FfmpegSceneDetector.Result select = FfmpegSceneDetector.detect(video, fps, FfmpegSceneDetector.Method.SELECT, 0.3);
        List<Integer> ffScdet = scdet.changes().stream().map(c -> clip.frameAt(c.timeSeconds())).toList();
        List<Integer> ffSelect = select.changes().stream().map(c -> clip.frameAt(c.timeSeconds())).toList();
        assertThat(ffScdet).hasSize(4);
        assertThat(Evaluator.matches(ffScdet, anywhere.cuts(), 2) && Evaluator.matches(anywhere.cuts(), ffScdet, 2))
                .as("ffmpeg scdet %s vs SCuts %s", ffScdet, anywhere.cuts()).isTrue();
        assertThat(Evaluator.matches(ffSelect, anywhere.cuts(), 2) && Evaluator.matches(anywhere.cuts(), ffSelect, 2))
                .as("ffmpeg select %s vs SCuts %s", ffSelect, anywhere.cuts()).isTrue();

        StringBuilder md = new StringBuilder("| | frames (decoded index) | times (s) |\n|---|---|---|\n");
        md.append(row("expected (issue)", expected, clip));
        md.append(row("SCuts, PySceneDetect defaults", faithful.cuts(), clip));
        md.append(row("SCuts, start exempt", anywhere.cuts(), clip));
        md.append(row("ffmpeg scdet=threshold=10", ffScdet, clip));
        md.append(row("ffmpeg select=gt(scene,0.3)", ffSelect, clip));
        StringBuilder ratios = new StringBuilder();
        for (int c : anywhere.cuts()) {
            ratios.append(String.format(Locale.ROOT, "frame %d: content %.1f, ratio %.1f; ", c,
                    anywhere.contentValues()[c], anywhere.adaptiveRatios()[c]));
        }
        md.append("\n").append(ratios).append(String.format(Locale.ROOT,
                "%n%nMegamind.avi: %d frames, %.3f fps, analysed at %dx%d; SCuts %.2f ms/frame%n", clip.frameCount(), fps,
                faithful.analysisWidth(), faithful.analysisHeight(), msPerFrame));
        Files.writeString(TestData.work().resolve("real-footage-megamind.md"), md.toString());
    }

    @Test
    void treeAndVtestHaveNoCutsForEitherDetector() throws Exception {
        StringBuilder md = new StringBuilder();
        for (String name : List.of("tree.avi", "vtest.avi")) {
            Path video = TestData.opencvVideo(name);
            SceneCutDetector faithful = new SceneCutDetector(SceneCutDetector.Params.DEFAULT);
            SceneCutDetector anywhere = new SceneCutDetector(SceneCutDetector.Params.ANYWHERE);
            long t0 = System.nanoTime();
            VideoReader.StreamInfo info = VideoReader.stream(video, 0, (i, t, bgr, w, h) -> {
                faithful.accept(bgr, w, h);
                anywhere.accept(bgr, w, h);
            });
            double ms = (System.nanoTime() - t0) / 1e6 / info.frames();
            SceneCutDetector.Result a = faithful.finish();
            SceneCutDetector.Result b = anywhere.finish();
            assertThat(a.cuts()).as(name).isEmpty();
            assertThat(b.cuts()).as(name).isEmpty();
            FfmpegSceneDetector.Result ff = FfmpegSceneDetector.detect(video, info.fps(), FfmpegSceneDetector.Method.SCDET, 10);
            assertThat(ff.changes()).as(name + " ffmpeg").isEmpty();
            double maxRatio = 0;
            for (double r : b.adaptiveRatios()) {
                maxRatio = Math.max(maxRatio, r);
            }
            md.append(String.format(Locale.ROOT, "%s: %d frames %dx%d at %.2f fps, SCuts 0, ffmpeg 0, largest adaptive "
                    + "ratio %.2f; decode + detect %.2f ms/frame%n", name, info.frames(), info.width(), info.height(),
                    info.fps(), maxRatio, ms));
        }
        Files.writeString(TestData.work().resolve("real-footage-nocut.md"), md.toString());
    }

    @Test
    void everyMetricOnRealFootageIsFiniteAndTimed() throws Exception {
        Clip megamind = VideoReader.read(TestData.opencvVideo("Megamind.avi"), 0, VideoReader.Resolution.SCENE_DETECT);
        long t0 = System.nanoTime();
        ShotMetrics m = ShotMetrics.compute(megamind, new int[0]);
        double ms = (System.nanoTime() - t0) / 1e6 / megamind.frameCount();
        assertThat(m.scuts()).isEqualTo(3);
        assertThat(m.cutFramesAnywhere()).hasSize(4);
        assertThat(m.stagnant()).isFalse();
        for (double v : new double[] {m.warpError(), m.meanFlow(), m.mawe(), m.flicker(), m.lumaSlope(), m.cameraZoom()}) {
            assertThat(Double.isFinite(v)).isTrue();
        }
        Clip small = Synthetic.clip("pan", 64, 64, 48, 8, (f, x, y) -> Synthetic.texture(x + f, y));
        ShotMetrics.compute(small, new int[] {16, 32}); // warm-up
        long t1 = System.nanoTime();
        ShotMetrics.compute(small, new int[] {16, 32});
        double msSmall = (System.nanoTime() - t1) / 1e6 / small.frameCount();
        Files.writeString(TestData.work().resolve("real-footage-metrics.md"), String.format(Locale.ROOT,
                "Megamind.avi at %dx%d: W %.1f, OF %.2f px/frame, MAWE %.2f, flicker %.2f, luma %+.2f/s; all metrics "
                        + "%.1f ms/frame. 64x64 frames: %.2f ms/frame.%n", megamind.width(), megamind.height(),
                m.warpError(), m.meanFlow(), m.mawe(), m.flicker(), m.lumaSlope(), ms, msSmall));
    }

    private static String row(String what, List<Integer> frames, Clip clip) {
        List<String> times = frames.stream().map(f -> String.format(Locale.ROOT, "%.3f", clip.timeSeconds(f))).toList();
        return "| " + what + " | " + frames + " | " + times + " |\n";
    }

    private static void assertWithin(List<Integer> found, List<Integer> expected, int tolerance) {
        assertThat(found).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(Math.abs(found.get(i) - expected.get(i))).as("cut %d: found %s, expected %s", i, found, expected)
                    .isLessThanOrEqualTo(tolerance);
        }
    }
}
