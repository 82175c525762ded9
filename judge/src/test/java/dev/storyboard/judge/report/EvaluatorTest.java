package dev.storyboard.judge.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storyboard.judge.TestData;
import dev.storyboard.judge.metrics.FfmpegSceneDetector;
import dev.storyboard.judge.storyworld.StoryworldExport;
import dev.storyboard.judge.video.Clip;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The report end to end: storyworld folders with labels, video files, two runs, a broken input. */
class EvaluatorTest {
    private static final List<String> IDS = List.of("clip0000", "clip0001", "clip0002");
    private static Path mini;
    private static Path videos;

    @BeforeAll
    static void prepare() throws Exception {
        Path clips = TestData.clips();
        Path work = TestData.work();
        mini = work.resolve("mini-export");
        videos = work.resolve("mini-videos");
        deleteTree(mini);
        deleteTree(videos);
        Files.createDirectories(mini);
        Files.createDirectories(videos);
        StringBuilder index = new StringBuilder("{\"version\": 1, \"clips\": [");
        for (String id : IDS) {
            copyTree(clips.resolve(id), mini.resolve(id));
            index.append(id.equals(IDS.get(0)) ? "" : ", ").append("{\"id\": \"").append(id).append("\"}");
            // the same scene as one video file (all shots back to back), MPEG-4 in MP4
            StoryworldExport.LabelledScene scene = StoryworldExport.readScene(clips.resolve(id), 8);
            Path frames = work.resolve("mini-frames-" + id);
            deleteTree(frames);
            Files.createDirectories(frames);
            int k = 0;
            for (Clip c : scene.shots()) {
                for (int i = 0; i < c.frameCount(); i++) {
                    try (Mat m = c.toMat(i)) {
                        opencv_imgcodecs.imwrite(frames.resolve(String.format(Locale.ROOT, "%04d.png", k++)).toString(), m);
                    }
                }
            }
            run(FfmpegSceneDetector.executable().toString(), "-y", "-v", "error", "-framerate", "8", "-i",
                    frames.resolve("%04d.png").toString(), "-c:v", "mpeg4", "-q:v", "2",
                    videos.resolve(id + ".mp4").toString());
        }
        index.append("]}");
        Files.writeString(mini.resolve("clips.json"), index.toString());
        Files.writeString(videos.resolve("broken.avi"), "not a video");
    }

    @Test
    void intendedCutsAreFoundAtShotBoundariesAndSegmentsOfOneShotExpectNone() {
        FileSceneSource labelled = new FileSceneSource("gt", mini, 8, 0, 0);
        Evaluator evaluator = new Evaluator(Evaluator.Options.DEFAULT);
        Reports.RunReport run = evaluator.run(labelled);
        Reports.SceneReport scene = run.sceneReports().get(0);
        assertThat(scene.cuts()).isNotNull();
        assertThat(scene.cuts().boundaries()).containsExactly(16, 32);
        assertThat(scene.cuts().found()).isEqualTo(2);
        assertThat(scene.cuts().extra()).isZero();
        assertThat(run.accuracy().get("intendedCuts").total()).isEqualTo(3 * 2);
        assertThat(run.accuracy().get("intendedCuts").rate()).isGreaterThanOrEqualTo(5 / 6.0);

        // the first shot alone, judged in segments of 6 frames: 0-5, 6-11, 12-15; no cuts are expected between them
        SceneSource firstShot = new SceneSource() {
            @Override
            public String label() {
                return "one-shot";
            }

            @Override
            public List<String> sceneIds() {
                return List.of("s");
            }

            @Override
            public SceneInput load(String id) {
                SceneInput all = labelled.load(IDS.get(0));
                return new SceneInput(id, null, List.of(all.shots().get(0)), all.labels());
            }
        };
        Reports.RunReport segmented = evaluator.run(new SegmentedSceneSource(firstShot, 6));
        Reports.SceneReport seg = segmented.sceneReports().get(0);
        assertThat(seg.shots()).extracting(Reports.ShotReport::id)
                .containsExactly("clip0000/shot0@0", "clip0000/shot0@6", "clip0000/shot0@12");
        assertThat(seg.shots()).allSatisfy(r -> assertThat(r.expected()).containsKeys("colour", "action"));
        assertThat(seg.shots().get(2).metrics().frames()).isEqualTo(4);
        assertThat(seg.cuts()).isNull();
        assertThat(segmented.accuracy()).doesNotContainKey("intendedCuts");
        assertThatThrownBy(() -> new SegmentedSceneSource(firstShot, 1)).hasMessageContaining("at least 2 frames");
    }

    @Test
    void labelledStoryworldRunAndAVideoRunInOneReport() throws Exception {
        FileSceneSource labelled = new FileSceneSource("model", mini, 8, 8, 0);
        FileSceneSource files = new FileSceneSource("baseline", videos, 8, 0, 0);
        List<String> progress = new ArrayList<>();
        Reports.EvalReport report = new Evaluator(new Evaluator.Options(Evaluator.StoryworldMode.AUTO, true))
                .onProgress(progress::add).evaluate(List.of(labelled, files));
        assertThat(report.runs()).hasSize(2);
        assertThat(progress).hasSize(IDS.size() + IDS.size() + 1);

        Reports.RunReport model = report.runs().get(0);
        assertThat(model.scenes()).isEqualTo(3);
        assertThat(model.shots()).isEqualTo(9);
        assertThat(model.frames()).isEqualTo(9 * 16);
        assertThat(model.failed()).isZero();
        assertThat(model.accuracy()).containsKeys("colour", "kind", "setting", "action", "camera", "identity");
        assertThat(model.accuracy().get("setting").rate()).isEqualTo(1.0);
        Reports.ShotReport shot = model.sceneReports().get(0).shots().get(0);
        assertThat(shot.storyworld()).isNotNull();
        assertThat(shot.metrics().seams()).hasSize(1); // chunks of 8 in a 16-frame shot
        assertThat(shot.expected()).containsKeys("kind", "action", "camera", "settingPerShot");
        // moving-camera accuracy counts exactly the shots whose label moves the camera
        long moving = model.sceneReports().stream().flatMap(s -> s.shots().stream())
                .filter(s -> !"static".equals(s.expected().get("camera"))).count();
        assertThat(model.accuracy().containsKey("cameraMoving")).isEqualTo(moving > 0);
        if (moving > 0) {
            assertThat(model.accuracy().get("cameraMoving").total()).isEqualTo((int) moving);
        }
        assertThat(model.accuracy().get("settingPerShot").total()).isEqualTo(9);
        // ground truth streamed in chunks of 8 has no seams: the frame change across them is ordinary
        assertThat(model.metrics()).containsKeys("seamChange", "innerChange", "seamRatio");
        assertThat(model.metrics().get("seamRatio").mean()).isBetween(0.3, 2.0);
        assertThat(report.runs().get(1).metrics()).doesNotContainKey("seamRatio");   // no chunks given
        assertThat(model.sceneReports().get(0).crossCheck()).isNotNull();

        Reports.RunReport baseline = report.runs().get(1);
        assertThat(baseline.scenes()).isEqualTo(4);
        assertThat(baseline.failed()).isEqualTo(1);
        Reports.SceneReport broken = baseline.sceneReports().stream().filter(s -> s.id().equals("broken.avi"))
                .findFirst().orElseThrow();
        assertThat(broken.status()).isEqualTo("error");
        assertThat(broken.error()).contains("broken.avi");
        // a whole scene in one file: SCuts sees the shot changes (or at most misses some), never more than 2 cuts
        for (Reports.SceneReport s : baseline.sceneReports()) {
            if ("ok".equals(s.status())) {
                assertThat(s.storyworld()).isNull(); // no labels: AUTO leaves the storyworld judge out
                Reports.ShotReport r = s.shots().get(0);
                assertThat(r.metrics().frames()).isEqualTo(48);
                assertThat(r.metrics().cutFramesAnywhere()).allSatisfy(c -> assertThat(c).isIn(16, 32));
                assertThat(s.crossCheck().ffmpegFrames()).allSatisfy(c -> assertThat(Math.abs(c - 16) <= 2
                        || Math.abs(c - 32) <= 2).isTrue());
            }
        }

        Path out = TestData.work().resolve("eval-report");
        Path[] written = ReportWriter.write(report, out);
        JsonNode json = new ObjectMapper().readTree(written[0].toFile());
        assertThat(json.path("runs").get(0).path("label").asText()).isEqualTo("model");
        assertThat(json.path("runs").get(0).path("sceneReports").get(0).path("shots").get(0).path("metrics")
                .path("mawe").isNumber()).isTrue();
        String md = Files.readString(written[1]);
        assertThat(md).contains("## Run `model`").contains("## Run `baseline`").contains("broken.avi")
                .contains("| attribute | correct | total | accuracy |");
        assertThat(Files.readString(written[0])).doesNotContain("NaN").doesNotContain("Infinity");
    }

    @Test
    void aReportWithANonFiniteNumberIsRefused() {
        Reports.RunReport run = new Reports.RunReport("x", 0, 0, 0, 0,
                Map.of("mawe", new Reports.Stats(1, Double.NaN, 0, 0, 0)), Map.of(), List.of());
        Reports.EvalReport report = new Reports.EvalReport("t", "now", Map.of(), 0, List.of(run));
        assertThatThrownBy(() -> ReportWriter.toJsonString(report)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("metrics.mawe.mean");
        assertThatThrownBy(() -> ReportWriter.markdown(report)).isInstanceOf(IllegalStateException.class);
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(log).isZero();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
