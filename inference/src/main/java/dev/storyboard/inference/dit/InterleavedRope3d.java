package dev.storyboard.inference.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Interleaved 3D rotary position embedding, rotate-half (GPT-NeoX) convention (docs/STORYDIT.md §4,
 * {@code rope.py}).
 *
 * <pre>
 *   head_dim Dh = [ t | h | w ],  d_h = d_w = 2·⌊Dh/6⌋,  d_t = Dh − d_h − d_w
 *   part a of size D rotates by its own coordinate p_a:
 *     inv_freq[i] = θ^(−2i/D), i = 0..D/2−1        angle = p_a · inv_freq   (float64, then float32)
 *     cos_a = [cos(angle), cos(angle)],  sin_a = [sin(angle), sin(angle)]
 *     rotate_half(x_a) = [−x_a[D/2:], x_a[:D/2]]
 *     x_a' = x_a · cos_a + rotate_half(x_a) · sin_a
 * </pre>
 *
 * rotate_half over the three parts is a fixed signed permutation, applied here as a (Dh × Dh) matrix
 * product: {@code x' = x ⊙ cos + (x · R) ⊙ sin}.
 */
public final class InterleavedRope3d {
    private final int headDim;
    private final double theta;
    private final int[] parts;        // d_t, d_h, d_w

    public InterleavedRope3d(int headDim, double theta) {
        this.headDim = headDim;
        this.theta = theta;
        int dHw = 2 * (headDim / 6);
        this.parts = new int[] {headDim - 2 * dHw, dHw, dHw};
    }

    /** (d_t, d_h, d_w). */
    public int[] split() {
        return parts.clone();
    }

    /** cos and sin tables, each (N × Dh) row-major float32, for positions (posT, posH, posW). */
    public float[][] cosSin(int[] posT, int[] posH, int[] posW) {
        return cosSin(toDouble(posT), toDouble(posH), toDouble(posW));
    }

    /** The same for positions between the grid's (camera RoPE: {@link CameraRope}). */
    public float[][] cosSin(double[] posT, double[] posH, double[] posW) {
        int n = posT.length;
        float[] cos = new float[n * headDim];
        float[] sin = new float[n * headDim];
        double[][] pos = {posT, posH, posW};
        int col = 0;
        for (int axis = 0; axis < 3; axis++) {
            int d = parts[axis];
            int half = d / 2;
            for (int i = 0; i < half; i++) {
                double invFreq = Math.pow(theta, -(2.0 * i) / d);
                for (int t = 0; t < n; t++) {
                    double angle = pos[axis][t] * invFreq;
                    float c = (float) Math.cos(angle);
                    float s = (float) Math.sin(angle);
                    cos[t * headDim + col + i] = c;
                    cos[t * headDim + col + half + i] = c;
                    sin[t * headDim + col + i] = s;
                    sin[t * headDim + col + half + i] = s;
                }
            }
            col += d;
        }
        return new float[][] {cos, sin};
    }

    /** The (Dh × Dh) matrix R with x · R = rotate_half applied to each of the t, h, w parts. */
    public float[] rotateHalfMatrix() {
        float[] r = new float[headDim * headDim];
        int col = 0;
        for (int d : parts) {
            int half = d / 2;
            for (int i = 0; i < half; i++) {
                // out[col + i] = -x[col + half + i];  out[col + half + i] = x[col + i]
                r[(col + half + i) * headDim + (col + i)] = -1f;
                r[(col + i) * headDim + (col + half + i)] = 1f;
            }
            col += d;
        }
        return r;
    }

    /** Device tables for one forward: cos, sin as (N, Dh) arrays in {@code scope}. */
    public Tables tables(NDManager scope, int[] posT, int[] posH, int[] posW) {
        float[][] cs = cosSin(posT, posH, posW);
        Shape shape = new Shape(posT.length, headDim);
        return new Tables(scope.create(cs[0], shape), scope.create(cs[1], shape));
    }

    /**
     * Per batch row tables for positions that differ between rows ({@link CameraRope#positions}: {t, h, w} each
     * {@code [B][N]}): cos, sin as (B, 1, N, Dh) arrays in {@code scope}, broadcast over the heads.
     */
    public Tables tables(NDManager scope, double[][][] pos) {
        int b = pos[0].length;
        int n = pos[0][0].length;
        float[] cos = new float[b * n * headDim];
        float[] sin = new float[b * n * headDim];
        for (int r = 0; r < b; r++) {
            float[][] cs = cosSin(pos[0][r], pos[1][r], pos[2][r]);
            System.arraycopy(cs[0], 0, cos, r * n * headDim, n * headDim);
            System.arraycopy(cs[1], 0, sin, r * n * headDim, n * headDim);
        }
        Shape shape = new Shape(b, 1, n, headDim);
        return new Tables(scope.create(cos, shape), scope.create(sin, shape));
    }

    private static double[] toDouble(int[] p) {
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i];
        }
        return out;
    }

    /** cos and sin of one forward's tokens, (N, Dh) each, or (B, 1, N, Dh) per batch row. */
    public record Tables(NDArray cos, NDArray sin) {}

    /**
     * Rotates x (..., N, Dh): {@code x ⊙ cos + (x · R) ⊙ sin}. {@code rotateHalf} is the matrix of
     * {@link #rotateHalfMatrix()} as an NDArray; the result lives in x's manager.
     */
    public static NDArray apply(NDArray x, Tables t, NDArray rotateHalf) {
        NDArray rotated = x.matMul(rotateHalf);
        return x.mul(t.cos()).addi(rotated.muli(t.sin()));
    }
}
