package dev.storyboard.inference.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.storyboard.inference.config.StoryDiTConfig;
import dev.storyboard.inference.nn.Nn;
import dev.storyboard.inference.weights.Weights;
import java.util.Arrays;

/**
 * One pre-norm DiT block with adaLN-single modulation (docs/STORYDIT.md §6 stage 3):
 *
 * <pre>
 *   h  = LN(x) · (1 + scale_msa) + shift_msa
 *   x += gate_msa · proj(Attention(h))
 *   h  = LN(x) · (1 + scale_mlp) + shift_mlp
 *   x += gate_mlp · fc2(GELU_tanh(fc1(h)))
 *   Attention: q, k, v = qkv(h) split head-major;  q = RoPE(RMSNorm_q(q)), k = RoPE(RMSNorm_k(k));
 *              keys/values = cache ++ new;  softmax(q kᵀ / √Dh + mask) v
 * </pre>
 *
 * Shape legend: B batch, N tokens of this forward, Nc cached tokens, Nk = Nc + N keys, d width,
 * nh heads, Dh head size.
 *
 * <p>Constant folds done once at load (no effect on the math): the "+1" of both modulation scales is
 * added to the block's {@code mod_table}, and 1/√Dh is folded into the q RMSNorm weight (RoPE is linear,
 * so scaling before or after it is the same).
 */
final class StoryDiTBlock {
    private final StoryDiTConfig cfg;
    private final NDArray modTable;      // (6·d): mod_table with +1 on the two scale rows
    private final NDArray qkvW;
    private final NDArray qkvB;
    private final NDArray qkNorm;        // (2, 1, 1, 1, Dh): [q RMSNorm weight · 1/√Dh, k RMSNorm weight]
    private final NDArray projW;
    private final NDArray projB;
    private final NDArray fc1W;
    private final NDArray fc1B;
    private final NDArray fc2W;
    private final NDArray fc2B;

    StoryDiTBlock(StoryDiTConfig cfg, Weights w, NDManager weights, int layer) {
        this.cfg = cfg;
        int d = cfg.dModel();
        int dh = cfg.headDim();
        String p = "blocks." + layer + ".";
        float[] table = w.floats(p + "mod_table", AdaLnSingle.N_MOD, d);
        for (int row : new int[] {1, 4}) {                       // scale_msa, scale_mlp
            for (int j = 0; j < d; j++) {
                table[row * d + j] += 1f;
            }
        }
        modTable = weights.create(table, new Shape((long) AdaLnSingle.N_MOD * d));
        qkvW = w.take(p + "attn.qkv.weight", 3L * d, d);
        qkvB = w.take(p + "attn.qkv.bias", 3L * d);
        float[] q = w.floats(p + "attn.q_norm.weight", dh);
        float scale = (float) (1.0 / Math.sqrt(dh));
        for (int i = 0; i < q.length; i++) {
            q[i] *= scale;
        }
        float[] k = w.floats(p + "attn.k_norm.weight", dh);
        float[] qk = Arrays.copyOf(q, 2 * dh);
        System.arraycopy(k, 0, qk, dh, dh);
        qkNorm = weights.create(qk, new Shape(2, 1, 1, 1, dh));
        projW = w.take(p + "attn.proj.weight", d, d);
        projB = w.take(p + "attn.proj.bias", d);
        fc1W = w.take(p + "mlp.fc1.weight", cfg.mlpHidden(), d);
        fc1B = w.take(p + "mlp.fc1.bias", cfg.mlpHidden());
        fc2W = w.take(p + "mlp.fc2.weight", d, cfg.mlpHidden());
        fc2B = w.take(p + "mlp.fc2.bias", d);
    }

    /** Inputs of a block that are the same for every layer of one forward. */
    record Context(NDManager scope, NDArray tokenMod, InterleavedRope3d.Tables rope, NDArray rotateHalf,
                   NDArray mask, NDArray lnOnes, NDArray lnZeros) {}

    /** Result: the new residual stream and this call's post-RoPE k and v (B, nh, N, Dh). */
    record Out(NDArray x, NDArray k, NDArray v) {}

    /**
     * x (B, N, d) → x (B, N, d). {@code cacheK}/{@code cacheV}: (Bc, nh, Nc, Dh) or null.
     */
    Out forward(NDArray x, Context ctx, NDArray cacheK, NDArray cacheV, int room) {
        Shape xs = x.getShape();
        long b = xs.get(0);
        long n = xs.get(1);
        int d = cfg.dModel();
        int nh = cfg.nHeads();
        int dh = cfg.headDim();
        double eps = cfg.normEps();

        NDList mod = ctx.tokenMod().add(modTable).split(AdaLnSingle.N_MOD, 2);          // 6 × (B, N, d)
        NDArray shiftMsa = mod.get(0);
        NDArray scaleMsa = mod.get(1);
        NDArray gateMsa = mod.get(2);
        NDArray shiftMlp = mod.get(3);
        NDArray scaleMlp = mod.get(4);
        NDArray gateMlp = mod.get(5);

        // --- attention --------------------------------------------------------------------------------
        NDArray h = Nn.layerNorm(x, ctx.lnOnes(), ctx.lnZeros(), eps).muli(scaleMsa).addi(shiftMsa);   // (B, N, d)
        NDArray qkv = Nn.linear(h, qkvW, qkvB).reshape(b, n, 3, nh, dh).transpose(2, 0, 3, 1, 4);  // (3, B, nh, N, Dh)
        // q and k go through RMSNorm and RoPE together (one set of kernels for both)
        NDArray qk = InterleavedRope3d.apply(Nn.rmsNorm(qkv.get(new NDIndex("0:2")), qkNorm, eps), ctx.rope(),
                ctx.rotateHalf());                                                           // (2, B, nh, N, Dh)
        NDArray q = qk.get(0);
        NDArray k = qk.get(1);
        NDArray v = qkv.get(2);                                                              // (B, nh, N, Dh)
        NDArray keys = k;
        NDArray values = v;
        if (cacheK != null && room > 0) {
            long nc = cacheK.getShape().get(2) - room;                                       // prepared buffers: fill the tail
            if (room != n || cacheK.getShape().get(0) != b) {
                throw new IllegalArgumentException("KV buffers have room for " + room + " tokens × batch "
                        + cacheK.getShape().get(0) + ", the forward has " + n + " × " + b);
            }
            cacheK.set(new NDIndex(":, :, {}:", nc), k);
            cacheV.set(new NDIndex(":, :, {}:", nc), v);
            keys = cacheK;                                                                   // (B, nh, Nk, Dh)
            values = cacheV;
        } else if (cacheK != null) {
            keys = withCache(cacheK, k, b, ctx.scope());                                    // (B, nh, Nk, Dh)
            values = withCache(cacheV, v, b, ctx.scope());
        }
        NDArray scores = q.matMul(keys.transpose(0, 1, 3, 2));                               // (B, nh, N, Nk), 1/√Dh in q
        if (ctx.mask() != null) {
            scores = scores.addi(ctx.mask());
        }
        NDArray y = scores.softmax(-1).matMul(values)                                        // (B, nh, N, Dh)
                .transpose(0, 2, 1, 3).reshape(b, n, d);                                     // heads back to (B, N, d)
        x = x.add(Nn.linear(y, projW, projB).muli(gateMsa));

        // --- MLP ----------------------------------------------------------------------------------------
        h = Nn.layerNorm(x, ctx.lnOnes(), ctx.lnZeros(), eps).muli(scaleMlp).addi(shiftMlp);
        NDArray mlp = Nn.linear(Nn.geluTanh(Nn.linear(h, fc1W, fc1B)), fc2W, fc2B);
        x = x.addi(mlp.muli(gateMlp));
        return new Out(x, k, v);
    }

    /** cache ++ new along the token axis; a Bc = 1 cache is broadcast over the batch. */
    private static NDArray withCache(NDArray cached, NDArray fresh, long b, NDManager scope) {
        NDArray c = cached;
        Shape s = cached.getShape();
        if (s.get(0) != b) {
            if (s.get(0) != 1) {
                throw new IllegalArgumentException("KV cache batch " + s.get(0) + " must be 1 or " + b);
            }
            c = cached.broadcast(b, s.get(1), s.get(2), s.get(3));
            c.attach(scope);
        }
        NDArray out = c.concat(fresh, 2);
        out.attach(scope);
        return out;
    }
}
