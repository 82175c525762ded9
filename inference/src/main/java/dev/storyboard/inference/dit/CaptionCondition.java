package dev.storyboard.inference.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.storyboard.inference.config.StoryDiTConfig;
import dev.storyboard.inference.nn.Nn;
import dev.storyboard.inference.weights.Weights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The caption in the adaLN condition ({@code caption_cond} models; {@code model.py CaptionEmbedder}). Per
 * segment g, with e_g the MiniLM sentence embedding of the caption of g's shot:
 *
 * <pre>
 *   e_g   = normalize(mean of the caption's non-padding token rows)     (D = 384; the null caption → 0)
 *   c_g  += fc2(SiLU(fc1(√D · e_g)))                                      (d), added to the timestep condition
 * </pre>
 *
 * The in-context caption tokens stay as they are; this is a second, direct path from the caption to every
 * block's modulation, which the chunks of a shot keep even when the shot's caption tokens are only in the cache.
 */
public final class CaptionCondition {
    private final float scale;
    private final NDArray fc1W;
    private final NDArray fc1B;
    private final NDArray fc2W;
    private final NDArray fc2B;

    CaptionCondition(StoryDiTConfig cfg, Weights w) {
        int d = cfg.dModel();
        scale = (float) Math.sqrt(cfg.textDim());
        fc1W = w.take("caption_embedder.fc1.weight", d, cfg.textDim());
        fc1B = w.take("caption_embedder.fc1.bias", d);
        fc2W = w.take("caption_embedder.fc2.weight", d, d);
        fc2B = w.take("caption_embedder.fc2.bias", d);
    }

    /**
     * The sentence embedding of one caption given as its padded token rows ({@code l_txt · D} floats, padding
     * rows all zero): mean over the non-padding rows, L2-normalised; zeros for the null caption.
     */
    public static float[] pool(float[] rows, int dim) {
        if (rows.length % dim != 0) {
            throw new IllegalArgumentException("caption rows hold " + rows.length + " floats, not a multiple of " + dim);
        }
        double[] sum = new double[dim];
        int real = 0;
        for (int r = 0; r < rows.length / dim; r++) {
            boolean padding = true;
            for (int j = 0; j < dim && padding; j++) {
                padding = rows[r * dim + j] == 0f;
            }
            if (!padding) {
                real++;
                for (int j = 0; j < dim; j++) {
                    sum[j] += rows[r * dim + j];
                }
            }
        }
        float[] out = new float[dim];
        double norm = 0;
        for (int j = 0; j < dim; j++) {
            sum[j] /= Math.max(real, 1);
            norm += sum[j] * sum[j];
        }
        double inv = 1.0 / Math.max(Math.sqrt(norm), 1e-6);
        for (int j = 0; j < dim; j++) {
            out[j] = (float) (sum[j] * inv);
        }
        return out;
    }

    /**
     * Pooled captions of every segment from the text segments present in {@code layout}: text (B, T, l, D) →
     * (B, G, D) in {@code scope}. A segment without its own text takes its shot's text segment, which must be
     * in the same forward; otherwise the caller has to pass the captions (the caption is only in the cache).
     */
    static NDArray segmentCaptions(NDManager scope, SceneLayout layout, NDArray text) {
        Map<Integer, Integer> shotRow = new HashMap<>();
        for (Segment s : layout.segments()) {
            if (s.text()) {
                shotRow.put(s.shot(), shotRow.size());
            }
        }
        List<Integer> rows = new ArrayList<>();
        for (Segment s : layout.segments()) {
            Integer row = shotRow.get(s.shot());
            if (row == null) {
                throw new IllegalArgumentException("segment " + s + " has no caption in this forward; pass the pooled "
                        + "captions (B, G, D) explicitly");
            }
            rows.add(row);
        }
        Shape ts = text.getShape();
        int b = (int) ts.get(0);
        int t = (int) ts.get(1);
        int l = (int) ts.get(2);
        int dim = (int) ts.get(3);
        float[] all = text.toFloatArray();
        float[] out = new float[b * rows.size() * dim];
        for (int i = 0; i < b; i++) {
            for (int g = 0; g < rows.size(); g++) {
                int from = (i * t + rows.get(g)) * l * dim;
                float[] pooled = pool(Arrays.copyOfRange(all, from, from + l * dim), dim);
                System.arraycopy(pooled, 0, out, (i * rows.size() + g) * dim, dim);
            }
        }
        return scope.create(out, new Shape(b, rows.size(), dim));
    }

    /** c_txt (B, G, d) of pooled captions (B, G, D), in the captions' manager. */
    NDArray embed(NDArray captions) {
        if (captions.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("pooled captions must be float32, got " + captions.getDataType());
        }
        return Nn.linear(Nn.silu(Nn.linear(captions.mul(scale), fc1W, fc1B)), fc2W, fc2B);
    }
}
