package dev.storyboard.inference.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.storyboard.inference.config.StoryDiTConfig;
import dev.storyboard.inference.weights.Weights;

/**
 * Camera move and shot size as class labels in the adaLN condition ({@code shot_cond} models; {@code model.py
 * ShotEmbedder}). Per segment g with labels (camera_g, size_g), row 0 of each table being the null label:
 *
 * <pre>
 *   c_g += camera_table[camera_g] + size_table[size_g]          (d)
 *   camera_table = shot_embedder.camera.weight                  (len(cameras) + 1, d)
 *   size_table   = shot_embedder.size.weight                    (len(shot_sizes) + 1, d)
 * </pre>
 *
 * Added before the adaLN modulation, so it reaches every block and the final layer.
 */
public final class ShotCondition {
    private final int d;
    private final int cameras;
    private final int sizes;
    private final float[] cameraTable;     // (cameras, d) row-major
    private final float[] sizeTable;       // (sizes, d)

    ShotCondition(StoryDiTConfig cfg, Weights w) {
        d = cfg.dModel();
        cameras = cfg.cameraLabels();
        sizes = cfg.shotSizeLabels();
        cameraTable = w.floats("shot_embedder.camera.weight", cameras, d);
        sizeTable = w.floats("shot_embedder.size.weight", sizes, d);
    }

    /** c_shot (B, G, d) in {@code scope} for labels B × G (null = every label null). */
    NDArray embed(NDManager scope, ShotLabel[][] labels, int batch, int segments) {
        if (labels != null && (labels.length != batch || labels[0].length != segments)) {
            throw new IllegalArgumentException("shot labels " + labels.length + " × " + labels[0].length + " expected "
                    + batch + " × " + segments + " (one per segment)");
        }
        float[] out = new float[batch * segments * d];
        for (int b = 0; b < batch; b++) {
            for (int g = 0; g < segments; g++) {
                ShotLabel label = labels == null || labels[b][g] == null ? ShotLabel.NULL : labels[b][g];
                if (label.camera() >= cameras || label.shotSize() >= sizes) {
                    throw new IllegalArgumentException("shot label " + label + " of segment " + g + " is outside the "
                            + "model's tables (" + cameras + " camera, " + sizes + " shot-size labels)");
                }
                int o = (b * segments + g) * d;
                int cr = label.camera() * d;
                int sr = label.shotSize() * d;
                for (int j = 0; j < d; j++) {
                    out[o + j] = cameraTable[cr + j] + sizeTable[sr + j];
                }
            }
        }
        return scope.create(out, new Shape(batch, segments, d));
    }
}
