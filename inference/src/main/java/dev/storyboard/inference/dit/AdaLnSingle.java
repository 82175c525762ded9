package dev.storyboard.inference.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.storyboard.inference.config.StoryDiTConfig;
import dev.storyboard.inference.nn.Nn;
import dev.storyboard.inference.weights.Weights;

/**
 * Timestep conditioning, adaLN-single (PixArt-α), docs/STORYDIT.md §6 stage 2. Per segment g:
 *
 * <pre>
 *   feat_g = [cos(a), sin(a)],  a_i = (t_g · t_scale) · exp(−ln(10000) · i / half),  i = 0..half−1
 *   c_g    = fc2(SiLU(fc1(feat_g)))                     (d)      — also drives the final layer
 *   m_g    = t_block(SiLU(c_g))  reshaped (6, d)                  — shared by all blocks
 *   block l uses M = m_g + mod_table_l, rows: shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp
 * </pre>
 */
public final class AdaLnSingle {
    public static final int N_MOD = 6;
    private static final double T_MAX_PERIOD = 10000.0;

    private final StoryDiTConfig cfg;
    private final NDArray fc1W;
    private final NDArray fc1B;
    private final NDArray fc2W;
    private final NDArray fc2B;
    private final NDArray tBlockW;
    private final NDArray tBlockB;

    AdaLnSingle(StoryDiTConfig cfg, Weights w) {
        this.cfg = cfg;
        int d = cfg.dModel();
        fc1W = w.take("t_embedder.fc1.weight", d, cfg.tEmbedDim());
        fc1B = w.take("t_embedder.fc1.bias", d);
        fc2W = w.take("t_embedder.fc2.weight", d, d);
        fc2B = w.take("t_embedder.fc2.bias", d);
        tBlockW = w.take("t_block.weight", (long) N_MOD * d, d);
        tBlockB = w.take("t_block.bias", (long) N_MOD * d);
    }

    /** Sinusoidal features of t (B × G) → (B·G·t_embed_dim) row-major, cos first. */
    float[] features(float[][] t) {
        int half = cfg.tEmbedDim() / 2;
        int g = t[0].length;
        float[] out = new float[t.length * g * cfg.tEmbedDim()];
        float[] freqs = new float[half];
        float negLog = (float) -Math.log(T_MAX_PERIOD);
        for (int i = 0; i < half; i++) {
            freqs[i] = (float) Math.exp((negLog * i) / half);     // float32 arithmetic, as the reference
        }
        int k = 0;
        for (float[] row : t) {
            for (float tg : row) {
                float scaled = tg * (float) cfg.tScale();
                for (int i = 0; i < half; i++) {
                    out[k + i] = (float) Math.cos(scaled * freqs[i]);
                    out[k + half + i] = (float) Math.sin(scaled * freqs[i]);
                }
                k += cfg.tEmbedDim();
            }
        }
        return out;
    }

    /** Condition c per segment, (B, G, d), in {@code scope}. */
    NDArray condition(NDManager scope, float[][] t) {
        NDArray feats = scope.create(features(t), new Shape(t.length, t[0].length, cfg.tEmbedDim()));
        return Nn.linear(Nn.silu(Nn.linear(feats, fc1W, fc1B)), fc2W, fc2B);
    }

    /** Shared modulation m per segment, (B, G, 6·d), rows r = elements r·d..(r+1)·d−1. */
    NDArray modulation(NDArray condition) {
        return Nn.linear(Nn.silu(condition), tBlockW, tBlockB);
    }
}
