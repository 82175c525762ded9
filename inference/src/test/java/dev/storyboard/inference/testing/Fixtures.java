package dev.storyboard.inference.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.storyboard.inference.dit.SceneLayout;
import dev.storyboard.inference.dit.Segment;
import dev.storyboard.inference.weights.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Python reference's parity fixtures (see docs/STORYDIT.md §11): the static case accessors read
 * training/fixtures/tiny; {@link #TINY_PIXEL} is the pixel / x-prediction / shot-label set, {@link #TINY_UNET}
 * the same with the conv encoder and decoder, {@link #TINY_CAMERA} that with camera RoPE, {@link #TINY_BOX} that with
 * the actor's box and its layout planner, {@link #TINY_PREV} that with the previous frame as an input too, {@link
 * #TINY_SIL} the box model reading the planned silhouette, {@link #TINY_PAINT} that silhouette painted, {@link
 * #TINY_ACTION} a planner that also names the action.
 */
public final class Fixtures {
    public static final double ATOL = 1e-4;

    /** training/fixtures/tiny: the VAE model with caption_cond. */
    public static final FixtureSet TINY = new FixtureSet("tiny");
    /** training/fixtures/tiny-pixel: pixel codec, x-prediction, caption_cond and shot_cond. */
    public static final FixtureSet TINY_PIXEL = new FixtureSet("tiny-pixel");
    /** training/fixtures/tiny-unet: the tiny-pixel setup with the U-Net around the DiT (conv encoder + decoder). */
    public static final FixtureSet TINY_UNET = new FixtureSet("tiny-unet");
    /** training/fixtures/tiny-camera: the tiny-unet setup with camera RoPE (positions moved by the camera labels). */
    public static final FixtureSet TINY_CAMERA = new FixtureSet("tiny-camera");
    /**
     * training/fixtures/tiny-box: the tiny-unet setup with the actor's box as an input (actor_box_cond) and a small
     * random layout planner exported with it.
     */
    public static final FixtureSet TINY_BOX = new FixtureSet("tiny-box");
    /**
     * training/fixtures/tiny-prev: the tiny-box model with the previous frame as an input (prev_frame_cond); its cases
     * give the forwards that continue a shot the shot's frame before their chunk.
     */
    public static final FixtureSet TINY_PREV = new FixtureSet("tiny-prev");
    /**
     * training/fixtures/tiny-sil: the tiny-box setup reading the planned silhouette (actor_layout "silhouette") and a
     * small random silhouette planner (3 kinds, 5 x 5 templates) exported with it.
     */
    public static final FixtureSet TINY_SIL = new FixtureSet("tiny-sil");
    /**
     * training/fixtures/tiny-paint: the tiny-sil setup reading the painted silhouette (actor_layout "painted", 4
     * channels) and a small random painting planner (3 kinds, 5 x 5 templates, 4 colours, one near black) exported
     * with it; its DiT cases are the chunk extension and the CFG step (no full-forward cases).
     */
    public static final FixtureSet TINY_PAINT = new FixtureSet("tiny-paint");
    /**
     * training/fixtures/tiny-action: no model, a small random painting planner that also names the action (4 actions)
     * in planner/box_planner.safetensors, its config in the file's metadata.
     */
    public static final FixtureSet TINY_ACTION = new FixtureSet("tiny-action");
    /** training/fixtures/camera-noise: which canvas element each camera-warped shared noise value reads (no model). */
    public static final FixtureSet CAMERA_NOISE = new FixtureSet("camera-noise");

    private Fixtures() {
    }

    public static Path dir() {
        return TINY.dir();
    }

    public static Path modelDir() {
        return TINY.modelDir();
    }

    /** SHA-256 the fixture model's manifest records for {@code file}. */
    public static String manifestSha256(String file) {
        return TINY.manifestSha256(file);
    }

    public static JsonNode index() {
        return TINY.index();
    }

    public static JsonNode caseInfo(String name) {
        return TINY.caseInfo(name);
    }

    public static SafeTensors tensors(String name) {
        return TINY.tensors(name);
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
        String line = String.format(Locale.ROOT, "parity %-44s max abs err %.3e", what, maxErr);
        System.out.println(line);
        try {
            Path out = Path.of("target", "parity.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, line + System.lineSeparator(), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // reporting only
        }
    }
}
