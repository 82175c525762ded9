package dev.storyboard.judge.report;

import dev.storyboard.judge.JudgeException;
import dev.storyboard.judge.metrics.FfmpegSceneDetector;
import dev.storyboard.judge.metrics.SceneCutDetector;
import dev.storyboard.judge.metrics.ShotMetrics;
import dev.storyboard.judge.report.Reports.Accuracy;
import dev.storyboard.judge.report.Reports.CrossCheck;
import dev.storyboard.judge.report.Reports.EvalReport;
import dev.storyboard.judge.report.Reports.RunReport;
import dev.storyboard.judge.report.Reports.SceneCuts;
import dev.storyboard.judge.report.Reports.SceneReport;
import dev.storyboard.judge.report.Reports.ShotReport;
import dev.storyboard.judge.report.Reports.Stats;
import dev.storyboard.judge.report.Reports.StoryworldSummary;
import dev.storyboard.judge.storyworld.SceneVerdict;
import dev.storyboard.judge.storyworld.ShotVerdict;
import dev.storyboard.judge.storyworld.StoryworldExport;
import dev.storyboard.judge.storyworld.StoryworldJudge;
import dev.storyboard.judge.storyworld.Vocabulary;
import dev.storyboard.judge.video.Clip;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the judge over scene sources and builds the report: generic metrics for every shot, the storyworld
 * verdicts where asked, accuracies against labels, and optionally FFmpeg's scene detection next to SCuts.
 * A scene that cannot be read becomes an error entry; the others are still judged.
 */
public final class Evaluator {
    private static final Logger LOG = LoggerFactory.getLogger(Evaluator.class);

    /** When to apply the storyworld judge. */
    public enum StoryworldMode {
        /** Scenes with storyworld labels only. */
        AUTO,
        /** Every scene (for generated storyworld videos without labels). */
        ON,
        /** Never. */
        OFF
    }

    /**
     * @param storyworld when to apply the storyworld judge
     * @param ffmpeg     also run FFmpeg's scene detection on every shot (cross-check, slower)
     */
    public record Options(StoryworldMode storyworld, boolean ffmpeg) {
        public static final Options DEFAULT = new Options(StoryworldMode.AUTO, false);
    }

    /** Frames a detected cut may lie from a shot boundary and still count as that boundary's cut. */
    public static final int CUT_TOLERANCE = 1;

    private final Options options;
    private final StoryworldJudge judge = new StoryworldJudge();
    private Consumer<String> progress = s -> { };

    public Evaluator(Options options) {
        this.options = options;
    }

    /** Receives one line per judged scene. */
    public Evaluator onProgress(Consumer<String> listener) {
        this.progress = listener;
        return this;
    }

    /** Judges every source and assembles the report. */
    public EvalReport evaluate(List<? extends SceneSource> sources) {
        long t0 = System.nanoTime();
        List<RunReport> runs = new ArrayList<>();
        int frames = 0;
        for (SceneSource s : sources) {
            RunReport r = run(s);
            runs.add(r);
            frames += r.frames();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, String> opts = new LinkedHashMap<>();
        opts.put("storyworld", options.storyworld().name().toLowerCase(Locale.ROOT));
        opts.put("ffmpeg", Boolean.toString(options.ffmpeg()));
        return new EvalReport("storyboard judge", Instant.now().toString(), opts, frames == 0 ? 0 : seconds / frames, runs);
    }

    /** Judges one source. */
    public RunReport run(SceneSource source) {
        List<SceneReport> scenes = new ArrayList<>();
        for (String id : source.sceneIds()) {
            long t0 = System.nanoTime();
            SceneReport r;
            try {
                r = scene(source.load(id), t0);
            } catch (JudgeException e) {
                LOG.debug("{} {}: {}", source.label(), id, e.getMessage());
                r = new SceneReport(id, null, "error", e.getMessage(), List.of(), null, null, null,
                        (System.nanoTime() - t0) / 1e9);
            }
            scenes.add(r);
            progress.accept(source.label() + " " + id + ": " + r.status()
                    + (r.error() == null ? "" : " (" + r.error() + ")"));
        }
        return summarise(source.label(), scenes);
    }

    /** Judges one scene that is already in memory. */
    public SceneReport scene(SceneInput scene, long startNanos) {
        if (scene.shots().isEmpty()) {
            throw new JudgeException(scene.id() + ": the scene has no shots");
        }
        boolean storyworld = options.storyworld() == StoryworldMode.ON
                || (options.storyworld() == StoryworldMode.AUTO && scene.labels() != null);
        List<ShotMetrics> metrics = new ArrayList<>();
        for (ShotInput shot : scene.shots()) {
            metrics.add(ShotMetrics.compute(shot.clip(), shot.chunkBoundaries()));
        }
        SceneVerdict verdict = null;
        if (storyworld) {
            verdict = judge.judgeScene(scene.shots().stream().map(ShotInput::clip).toList());
        }
        List<ShotReport> shots = new ArrayList<>();
        for (int i = 0; i < scene.shots().size(); i++) {
            ShotInput in = scene.shots().get(i);
            ShotVerdict v = verdict == null ? null : verdict.shots().get(i);
            Map<String, String> expected = new TreeMap<>();
            Map<String, Boolean> correct = new TreeMap<>();
            if (v != null) {
                compare(scene.labels(), in.labels(), v, expected, correct);
            }
            shots.add(new ShotReport(in.id(), i, metrics.get(i), v, expected, correct));
        }
        StoryworldSummary summary = null;
        if (verdict != null) {
            summary = new StoryworldSummary(verdict.setting().label(),
                    scene.labels() == null ? null : scene.labels().setting().label(), verdict.identityConsistency(),
                    verdict.settingConsistency(), verdict.minPaintAdherence(), verdict.identity());
        }
        CrossCheck cross = null;
        if (options.ffmpeg()) {
            cross = crossCheck(scene.shots().get(0).clip(), metrics.get(0));
        }
        return new SceneReport(scene.id(), scene.sourceFile() == null ? null : scene.sourceFile().toString(), "ok",
                null, shots, summary, cross, sceneCuts(scene), (System.nanoTime() - startNanos) / 1e9);
    }

    /**
     * Cuts of the shots played back to back, against the shot boundaries; null for one shot, segments of one
     * shot, or shots of different sizes.
     */
    static SceneCuts sceneCuts(SceneInput scene) {
        List<ShotInput> shots = scene.shots();
        if (shots.size() < 2 || scene.segments()) {
            return null;
        }
        Clip first = shots.get(0).clip();
        List<byte[]> frames = new ArrayList<>();
        List<Integer> boundaries = new ArrayList<>();
        for (ShotInput shot : shots) {
            Clip c = shot.clip();
            if (c.width() != first.width() || c.height() != first.height()) {
                return null;
            }
            if (!frames.isEmpty()) {
                boundaries.add(frames.size());
            }
            for (int i = 0; i < c.frameCount(); i++) {
                frames.add(c.bgr(i));
            }
        }
        Clip all = Clip.ofBgr(scene.id(), first.width(), first.height(), first.fps(), frames);
        List<Integer> cuts = SceneCutDetector.detect(all, SceneCutDetector.Params.ANYWHERE).cuts();
        int found = (int) boundaries.stream()
                .filter(b -> cuts.stream().anyMatch(c -> Math.abs(c - b) <= CUT_TOLERANCE)).count();
        int extra = (int) cuts.stream()
                .filter(c -> boundaries.stream().noneMatch(b -> Math.abs(c - b) <= CUT_TOLERANCE)).count();
        return new SceneCuts(boundaries, cuts, found, extra);
    }

    private static CrossCheck crossCheck(Clip clip, ShotMetrics m) {
        FfmpegSceneDetector.Method method = FfmpegSceneDetector.Method.SCDET;
        FfmpegSceneDetector.Result r = FfmpegSceneDetector.detect(clip, method, method.defaultThreshold());
        List<Integer> ff = r.frames();
        List<Integer> ours = m.cutFramesAnywhere();
        return new CrossCheck("scdet", method.defaultThreshold(), ff, ours, matches(ff, ours, 2) && matches(ours, ff, 2));
    }

    /** True when every frame in {@code a} has one in {@code b} within {@code tolerance}. */
    public static boolean matches(List<Integer> a, List<Integer> b, int tolerance) {
        for (int x : a) {
            if (b.stream().noneMatch(y -> Math.abs(x - y) <= tolerance)) {
                return false;
            }
        }
        return true;
    }

    private static void compare(StoryworldExport.SceneLabels scene, StoryworldExport.ShotLabels shot, ShotVerdict v,
                                Map<String, String> expected, Map<String, Boolean> correct) {
        if (scene != null) {
            put(expected, correct, "colour", scene.actor().colour().label(), v.colour().label());
            put(expected, correct, "kind", scene.actor().kind().label(), v.kind().label());
            put(expected, correct, "pattern", scene.actor().pattern().label(), v.pattern().label());
            put(expected, correct, "setting", scene.setting().label(), v.setting().label());
            put(expected, correct, "settingPerShot", scene.setting().label(), v.ownSetting());
        }
        if (shot != null) {
            put(expected, correct, "action", shot.action().label(), v.action().label());
            put(expected, correct, "direction", shot.action().direction().label(), v.direction().label());
            put(expected, correct, "camera", shot.camera().label(), v.camera().label());
            if (shot.camera() != Vocabulary.Camera.STATIC) {
                put(expected, correct, "cameraMoving", shot.camera().label(), v.camera().label());
            }
        }
    }

    private static void put(Map<String, String> expected, Map<String, Boolean> correct, String key, String want,
                            String got) {
        expected.put(key, want);
        correct.put(key, want.equals(got));
    }

    /** Distribution of each metric over the run's shots, and accuracies. */
    static RunReport summarise(String label, List<SceneReport> scenes) {
        Map<String, Function<ShotMetrics, Double>> fields = new LinkedHashMap<>();
        fields.put("scuts", m -> (double) m.scuts());
        fields.put("warpError", ShotMetrics::warpError);
        fields.put("meanFlow", ShotMetrics::meanFlow);
        fields.put("mawe", ShotMetrics::mawe);
        fields.put("flicker", ShotMetrics::flicker);
        fields.put("lumaSlope", ShotMetrics::lumaSlope);
        fields.put("lumaChange", ShotMetrics::lumaChange);
        fields.put("saturationSlope", ShotMetrics::saturationSlope);
        fields.put("saturationChange", ShotMetrics::saturationChange);
        fields.put("meanLuma", ShotMetrics::meanLuma);
        fields.put("meanSaturation", ShotMetrics::meanSaturation);
        fields.put("maxSeamScore", m -> m.seams().stream().mapToDouble(s -> s.score()).max().orElse(0.0));
        Map<String, List<Double>> values = new LinkedHashMap<>();
        fields.keySet().forEach(k -> values.put(k, new ArrayList<>()));
        Map<String, int[]> acc = new TreeMap<>();
        int shots = 0;
        int frames = 0;
        int failed = 0;
        for (SceneReport s : scenes) {
            if (!"ok".equals(s.status())) {
                failed++;
                continue;
            }
            for (ShotReport sh : s.shots()) {
                shots++;
                frames += sh.metrics().frames();
                fields.forEach((k, f) -> values.get(k).add(f.apply(sh.metrics())));
                sh.correct().forEach((k, ok) -> {
                    int[] a = acc.computeIfAbsent(k, x -> new int[2]);
                    a[1]++;
                    if (ok) {
                        a[0]++;
                    }
                });
            }
            if (s.cuts() != null) {
                int[] a = acc.computeIfAbsent("intendedCuts", x -> new int[2]);
                a[0] += s.cuts().found();
                a[1] += s.cuts().boundaries().size();
                int[] e = acc.computeIfAbsent("scenesWithoutExtraCuts", x -> new int[2]);
                e[1]++;
                if (s.cuts().extra() == 0) {
                    e[0]++;
                }
            }
            if (s.storyworld() != null && s.shots().size() > 1) {
                int[] a = acc.computeIfAbsent("identity", x -> new int[2]);
                for (var c : s.storyworld().identity()) {
                    a[1]++;
                    if (c.consistent()) {
                        a[0]++;
                    }
                }
            }
        }
        Map<String, Stats> stats = new LinkedHashMap<>();
        values.forEach((k, v) -> stats.put(k, stats(v)));
        stats.putAll(seamStats(scenes));
        Map<String, Accuracy> accuracy = new LinkedHashMap<>();
        acc.forEach((k, a) -> accuracy.put(k, new Accuracy(a[0], a[1], a[1] == 0 ? 0 : a[0] / (double) a[1])));
        return new RunReport(label, scenes.size(), shots, frames, failed, stats, accuracy, scenes);
    }

    /**
     * Over the shots judged with chunk boundaries: {@code seamChange} and {@code innerChange} (per-shot mean frame
     * change across / inside chunks) and {@code seamRatio}, the ratio of their means (one value, n = shots).
     * Empty when no shot had chunk boundaries.
     */
    static Map<String, Stats> seamStats(List<SceneReport> scenes) {
        List<Double> seam = new ArrayList<>();
        List<Double> inner = new ArrayList<>();
        for (SceneReport s : scenes) {
            if ("ok".equals(s.status())) {
                for (ShotReport sh : s.shots()) {
                    if (!sh.metrics().seams().isEmpty()) {
                        seam.add(sh.metrics().seamChange());
                        inner.add(sh.metrics().innerChange());
                    }
                }
            }
        }
        Map<String, Stats> out = new LinkedHashMap<>();
        if (seam.isEmpty()) {
            return out;
        }
        Stats a = stats(seam);
        Stats b = stats(inner);
        double ratio = a.mean() / Math.max(b.mean(), 1e-9);
        out.put("seamChange", a);
        out.put("innerChange", b);
        out.put("seamRatio", new Stats(seam.size(), ratio, ratio, ratio, ratio));
        return out;
    }

    static Stats stats(List<Double> v) {
        if (v.isEmpty()) {
            return new Stats(0, 0, 0, 0, 0);
        }
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        double sum = 0;
        for (double x : a) {
            sum += x;
        }
        double median = a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
        return new Stats(a.length, sum / a.length, median, a[0], a[a.length - 1]);
    }
}
