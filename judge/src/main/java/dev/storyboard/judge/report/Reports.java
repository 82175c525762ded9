package dev.storyboard.judge.report;

import dev.storyboard.judge.metrics.ShotMetrics;
import dev.storyboard.judge.storyworld.IdentityCheck;
import dev.storyboard.judge.storyworld.ShotVerdict;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The records an evaluation report is made of (serialised as they are to JSON). */
public final class Reports {
    private Reports() {
    }

    /** An unmodifiable copy that keeps the iteration order (reports list metrics in a fixed order). */
    static <K, V> Map<K, V> ordered(Map<K, V> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /**
     * One shot.
     *
     * @param id         shot id
     * @param index      position in its scene
     * @param metrics    generic video metrics
     * @param storyworld storyworld verdict, or null when the judge was not applied
     * @param expected   labelled attributes (attribute &rarr; label), empty without labels
     * @param correct    per labelled attribute, whether the verdict matches
     */
    public record ShotReport(String id, int index, ShotMetrics metrics, ShotVerdict storyworld,
                             Map<String, String> expected, Map<String, Boolean> correct) {
        public ShotReport {
            expected = ordered(expected);
            correct = ordered(correct);
        }
    }

    /** FFmpeg's scene changes next to SCuts' cuts; agree when each has a partner within 2 frames. */
    public record CrossCheck(String method, double threshold, List<Integer> ffmpegFrames, List<Integer> scutsFrames,
                             boolean agree) {
        public CrossCheck {
            ffmpegFrames = List.copyOf(ffmpegFrames);
            scutsFrames = List.copyOf(scutsFrames);
        }
    }

    /**
     * Scene-level storyworld results.
     *
     * @param setting             the setting the scene was judged in
     * @param expectedSetting     the labelled setting, or null
     * @param identityConsistency share of shots whose actor matches the first shot's
     * @param settingConsistency  share of shots whose own best setting is the scene's
     * @param minPaintAdherence   lowest share of background pixels the setting's paints explain
     * @param identity            the checks
     */
    public record StoryworldSummary(String setting, String expectedSetting, double identityConsistency,
                                    double settingConsistency, double minPaintAdherence, List<IdentityCheck> identity) {
        public StoryworldSummary {
            identity = List.copyOf(identity);
        }
    }

    /**
     * Cuts over the whole scene (its shots played back to back): the intended ones at shot boundaries and any
     * other. SCuts with the start exempt ({@code SceneCutDetector.Params.ANYWHERE}); a boundary counts as found
     * when a cut lies within {@link Evaluator#CUT_TOLERANCE} frames of it.
     *
     * @param boundaries first frame of every shot after the first
     * @param detected   cuts found in the concatenated scene
     * @param found      boundaries with a cut
     * @param extra      cuts near no boundary
     */
    public record SceneCuts(List<Integer> boundaries, List<Integer> detected, int found, int extra) {
        public SceneCuts {
            boundaries = List.copyOf(boundaries);
            detected = List.copyOf(detected);
        }
    }

    /**
     * One scene: ok with shots, or an error that says why it could not be judged.
     *
     * @param status "ok" or "error"
     * @param error  the reason, for errors
     * @param cuts   cuts over the whole scene, for scenes of more than one shot (else null)
     */
    public record SceneReport(String id, String source, String status, String error, List<ShotReport> shots,
                              StoryworldSummary storyworld, CrossCheck crossCheck, SceneCuts cuts, double seconds) {
        public SceneReport {
            shots = List.copyOf(shots);
        }
    }

    /** Distribution of a metric over shots. */
    public record Stats(int n, double mean, double median, double min, double max) {
    }

    /** Correct out of total. */
    public record Accuracy(int correct, int total, double rate) {
    }

    /**
     * One run (one source: a model, a baseline, a folder).
     *
     * @param metrics  per metric, its distribution over the run's shots
     * @param accuracy per labelled attribute (and "identity" for scenes), how often the judge agrees
     */
    public record RunReport(String label, int scenes, int shots, int frames, int failed, Map<String, Stats> metrics,
                            Map<String, Accuracy> accuracy, List<SceneReport> sceneReports) {
        public RunReport {
            metrics = ordered(metrics);
            accuracy = ordered(accuracy);
            sceneReports = List.copyOf(sceneReports);
        }
    }

    /** A whole evaluation: options, speed and every run. */
    public record EvalReport(String tool, String created, Map<String, String> options, double secondsPerFrame,
                             List<RunReport> runs) {
        public EvalReport {
            options = ordered(options);
            runs = List.copyOf(runs);
        }
    }
}
