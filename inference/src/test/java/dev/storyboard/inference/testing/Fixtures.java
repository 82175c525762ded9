package dev.storyboard.inference.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storyboard.inference.dit.SceneLayout;
import dev.storyboard.inference.dit.Segment;
import dev.storyboard.inference.weights.SafeTensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The Python reference's parity fixtures in training/fixtures/tiny (see docs/STORYDIT.md §11). */
public final class Fixtures {
    public static final double ATOL = 1e-4;

    private static final Path DIR = locate();
    private static JsonNode index;

    private Fixtures() {
    }

    private static Path locate() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("training/fixtures/tiny");
            if (Files.isRegularFile(candidate.resolve("fixtures.json"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("training/fixtures/tiny not found above " + Path.of("").toAbsolutePath());
    }

    public static Path dir() {
        return DIR;
    }

    public static Path modelDir() {
        return DIR.resolve("model");
    }

    /** SHA-256 the fixture model's manifest records for {@code file}. */
    public static String manifestSha256(String file) {
        try {
            for (JsonNode f : new ObjectMapper().readTree(modelDir().resolve("manifest.json").toFile()).path("files")) {
                if (f.path("path").asText().equals(file)) {
                    return f.path("sha256").asText();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalArgumentException("the fixture manifest lists no " + file);
    }

    public static synchronized JsonNode index() {
        if (index == null) {
            try {
                index = new ObjectMapper().readTree(DIR.resolve("fixtures.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return index;
    }

    public static JsonNode caseInfo(String name) {
        for (JsonNode c : index().path("cases")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no fixture case " + name);
    }

    public static SafeTensors tensors(String name) {
        try {
            return SafeTensors.read(DIR.resolve(caseInfo(name).path("file").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SceneLayout layout(JsonNode n) {
        int[] frames = new int[n.path("shot_frames").size()];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = n.path("shot_frames").get(i).asInt();
        }
        List<Segment> segs = new ArrayList<>();
        for (JsonNode s : n.path("segments")) {
            segs.add(new Segment(s.path("shot").asInt(), s.path("text").asBoolean(), s.path("frame_start").asInt(),
                    s.path("n_frames").asInt()));
        }
        return new SceneLayout(frames, n.path("has_global").asBoolean(), segs, n.path("grid").get(0).asInt(),
                n.path("grid").get(1).asInt(), n.path("l_txt").asInt(), n.path("chunk_frames").asInt(), 1);
    }

    public static NDArray array(NDManager m, SafeTensors st, String name) {
        return st.ndarray(m, name);
    }

    /** (B, G) float tensor → float[B][G]. */
    public static float[][] matrix(SafeTensors st, String name) {
        float[] flat = st.floats(name);
        long[] shape = st.info(name).shape();
        float[][] out = new float[(int) shape[0]][(int) shape[1]];
        for (int i = 0; i < out.length; i++) {
            System.arraycopy(flat, i * out[0].length, out[i], 0, out[0].length);
        }
        return out;
    }

    public static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("length " + a.length + " vs " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
            if (Float.isNaN(a[i]) != Float.isNaN(b[i])) {
                return Double.POSITIVE_INFINITY;
            }
        }
        return m;
    }

    /** Records a parity result (printed, and collected in target/parity.txt for the report). */
    public static void report(String what, double maxErr) {
        String line = String.format(java.util.Locale.ROOT, "parity %-44s max abs err %.3e", what, maxErr);
        System.out.println(line);
        try {
            Path out = Path.of("target", "parity.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, line + System.lineSeparator(), java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // reporting only
        }
    }
}
