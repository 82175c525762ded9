package dev.storyboard.judge.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.storyboard.domain.io.AtomicFiles;
import dev.storyboard.domain.project.OutputGuard;
import dev.storyboard.judge.report.Reports.Accuracy;
import dev.storyboard.judge.report.Reports.EvalReport;
import dev.storyboard.judge.report.Reports.RunReport;
import dev.storyboard.judge.report.Reports.SceneReport;
import dev.storyboard.judge.report.Reports.ShotReport;
import dev.storyboard.judge.report.Reports.Stats;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Writes an {@link EvalReport} as JSON (every field) and as a Markdown summary. Refuses to write a report
 * with a NaN or infinite number in it: such a value is a bug in a metric, never a result.
 */
public final class ReportWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String JSON_FILE = "report.json";
    private static final String MD_FILE = "report.md";

    private ReportWriter() {
    }

    /** The report as a JSON tree; throws IllegalStateException naming the field that is not a finite number. */
    public static JsonNode toJson(EvalReport report) {
        JsonNode tree = JSON.valueToTree(report);
        checkFinite(tree, "$");
        return tree;
    }

    public static String toJsonString(EvalReport report) {
        try {
            return JSON.writeValueAsString(toJson(report));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a name is one of the files this writer puts in its folder (an earlier report may be replaced). */
    public static boolean isReportFile(String name) {
        return name.equals(JSON_FILE) || name.equals(MD_FILE);
    }

    /**
     * Whether an entry of a report folder is this writer's own: a report file, or the hidden temporary of one
     * ({@link AtomicFiles#isTempOf}) that a killed run left behind. Such a temporary never blocks the next run and
     * is never taken for a report; {@link #write} removes it once it is stale.
     */
    static boolean isOwnEntry(Path dir, String name) {
        return isReportFile(name) || AtomicFiles.isTempOf(dir.resolve(JSON_FILE), name)
                || AtomicFiles.isTempOf(dir.resolve(MD_FILE), name);
    }

    /**
     * Checks before any work that {@code dir} may hold a report ({@link OutputGuard}: new, empty, or an earlier
     * report) and can be created; a folder created by the check is removed again.
     */
    public static void checkOutput(Path dir) throws IOException {
        checkOutput(dir, OutputGuard.none());
    }

    /** Same, for a report that must also stay out of what {@code guard} protects (the projects eval generates). */
    public static void checkOutput(Path dir, OutputGuard guard) throws IOException {
        guard.checkFolder(dir, name -> isOwnEntry(dir, name), "report files");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.delete(dir);
        } else if (!Files.isWritable(dir)) {
            throw new AccessDeniedException(dir.toString());
        }
    }

    /**
     * Runs on each finished temporary report file before either is published. The default does nothing; tests
     * inject a full disk here.
     */
    @FunctionalInterface
    public interface BeforePublish {
        void accept(Path temp) throws IOException;
    }

    /** Writes {@code dir/report.json} and {@code dir/report.md} as one atomic pair (below); returns the two paths. */
    public static Path[] write(EvalReport report, Path dir) throws IOException {
        return write(report, dir, temp -> { });
    }

    /**
     * Same, with fault injection: both files are written to hidden temporaries first and replace an earlier
     * report only when both are complete, so a full disk leaves the earlier pair as it was and no partial file.
     * Temporaries that a killed run left in the folder do not stop it; those older than
     * {@link AtomicFiles#STALE_TEMP_AGE} (no live run keeps one that long) are removed.
     */
    public static Path[] write(EvalReport report, Path dir, BeforePublish beforePublish) throws IOException {
        OutputGuard.none().checkFolder(dir, name -> isOwnEntry(dir, name), "report files");
        String jsonText = toJsonString(report) + "\n";
        String mdText = markdown(report);
        boolean created = !Files.isDirectory(dir);
        Files.createDirectories(dir);
        Path json = dir.resolve(JSON_FILE);
        Path md = dir.resolve(MD_FILE);
        AtomicFiles.removeStaleTemps(json); // left by killed runs; a fresh one may be a live run's and stays
        AtomicFiles.removeStaleTemps(md);
        Path jsonTemp = null;
        Path mdTemp = null;
        boolean done = false;
        try {
            jsonTemp = AtomicFiles.newTemp(json);
            Files.writeString(jsonTemp, jsonText);
            AtomicFiles.sync(jsonTemp); // a full disk may only show up here
            beforePublish.accept(jsonTemp);
            mdTemp = AtomicFiles.newTemp(md);
            Files.writeString(mdTemp, mdText);
            AtomicFiles.sync(mdTemp);
            beforePublish.accept(mdTemp);
            AtomicFiles.publish(jsonTemp, json);
            jsonTemp = null;
            AtomicFiles.publish(mdTemp, md);
            mdTemp = null;
            done = true;
        } finally {
            AtomicFiles.deleteQuietly(jsonTemp);
            AtomicFiles.deleteQuietly(mdTemp);
            if (!done && created) {
                try {
                    Files.deleteIfExists(dir); // the folder this call created, empty again
                } catch (IOException ignored) {
                    // not empty after all: leave it
                }
            }
        }
        return new Path[] {json, md};
    }

    private static void checkFinite(JsonNode node, String path) {
        if (node.isNumber()) {
            double v = node.asDouble();
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new IllegalStateException("report field " + path + " is " + v);
            }
        } else if (node.isTextual() && ("NaN".equals(node.asText()) || node.asText().endsWith("Infinity"))) {
            throw new IllegalStateException("report field " + path + " is " + node.asText());
        } else if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                checkFinite(e.getValue(), path + "." + e.getKey());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkFinite(node.get(i), path + "[" + i + "]");
            }
        }
    }

    /** Markdown: per run a metric table, accuracies, failures, then one row per shot. */
    public static String markdown(EvalReport report) {
        toJson(report); // same finiteness guarantee as the JSON
        StringBuilder b = new StringBuilder();
        b.append("# Evaluation report\n\n");
        b.append("Created ").append(report.created()).append(" by ").append(report.tool())
                .append(String.format(Locale.ROOT, "; %.1f ms per frame", report.secondsPerFrame() * 1000));
        b.append("; options: ").append(report.options()).append("\n\n");
        for (RunReport run : report.runs()) {
            b.append("## Run `").append(run.label()).append("`\n\n");
            b.append(String.format(Locale.ROOT, "%d scenes (%d failed), %d shots, %d frames.%n%n", run.scenes(),
                    run.failed(), run.shots(), run.frames()));
            b.append("| metric | mean | median | min | max |\n|---|---|---|---|---|\n");
            for (Map.Entry<String, Stats> e : run.metrics().entrySet()) {
                Stats s = e.getValue();
                b.append(String.format(Locale.ROOT, "| %s | %.4g | %.4g | %.4g | %.4g |%n", e.getKey(), s.mean(),
                        s.median(), s.min(), s.max()));
            }
            if (!run.accuracy().isEmpty()) {
                b.append("\n| attribute | correct | total | accuracy |\n|---|---|---|---|\n");
                for (Map.Entry<String, Accuracy> e : run.accuracy().entrySet()) {
                    Accuracy a = e.getValue();
                    b.append(String.format(Locale.ROOT, "| %s | %d | %d | %.1f %% |%n", e.getKey(), a.correct(),
                            a.total(), 100 * a.rate()));
                }
            }
            boolean failures = false;
            for (SceneReport s : run.sceneReports()) {
                if (!"ok".equals(s.status())) {
                    if (!failures) {
                        b.append("\nFailed scenes:\n\n");
                        failures = true;
                    }
                    b.append("- `").append(s.id()).append("`: ").append(s.error()).append('\n');
                }
            }
            b.append("\n| shot | frames | SCuts | cut frames | W | OF px/f | MAWE | flicker | luma Δ | sat Δ | max seam |"
                    + " storyworld |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (SceneReport s : run.sceneReports()) {
                for (ShotReport sh : s.shots()) {
                    var m = sh.metrics();
                    double seam = m.seams().stream().mapToDouble(x -> x.score()).max().orElse(0);
                    String sw = "";
                    if (sh.storyworld() != null) {
                        var v = sh.storyworld();
                        sw = v.colour().label() + " " + v.pattern().label() + " " + v.kind().label() + ", "
                                + v.setting().label() + ", " + v.action().label() + ", " + v.camera().label();
                        long wrong = sh.correct().values().stream().filter(ok -> !ok).count();
                        if (!sh.correct().isEmpty()) {
                            sw += wrong == 0 ? " ✓" : " ✗ " + wrongList(sh);
                        }
                    }
                    b.append(String.format(Locale.ROOT,
                            "| %s | %d | %d | %s | %.2f | %.3f | %.3g | %.2f | %+.2f | %+.3f | %.2f | %s |%n", sh.id(),
                            m.frames(), m.scuts(), m.cutFramesAnywhere(), m.warpError(), m.meanFlow(), m.mawe(),
                            m.flicker(), m.lumaChange(), m.saturationChange(), seam, sw));
                }
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String wrongList(ShotReport sh) {
        StringBuilder b = new StringBuilder("(");
        sh.correct().forEach((k, ok) -> {
            if (!ok) {
                if (b.length() > 1) {
                    b.append(", ");
                }
                b.append(k).append(" expected ").append(sh.expected().get(k));
            }
        });
        return b.append(')').toString();
    }
}
