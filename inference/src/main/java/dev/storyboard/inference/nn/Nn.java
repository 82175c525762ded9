package dev.storyboard.inference.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Small functional building blocks on DJL NDArrays. Every function returns an array owned by the manager
 * of its first (activation) argument, never by the weights' manager, so per-step sub-managers collect all
 * intermediates (the weights' manager is capped after loading, which turns any slip into an exception).
 */
public final class Nn {
    private static final double GELU_A = 2.0 * Math.sqrt(2.0 / Math.PI);     // 2·√(2/π)
    private static final double GELU_B = GELU_A * 0.044715;

    private Nn() {
    }

    /** y = x · Wᵀ + b (PyTorch Linear; W is (out, in)). */
    public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }

    /** LayerNorm over the last axis with affine weight and bias (ones / zeros for a plain LN). */
    public static NDArray layerNorm(NDArray x, NDArray weight, NDArray bias, double eps) {
        long last = x.getShape().get(x.getShape().dimension() - 1);
        return x.getNDArrayInternal().layerNorm(x, new Shape(last), weight, bias, (float) eps).singletonOrThrow();
    }

    /** SiLU(x) = x · σ(x). */
    public static NDArray silu(NDArray x) {
        return x.getNDArrayInternal().sigmoid().muli(x);
    }

    /**
     * GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), computed as the identical
     * x · σ(2·√(2/π)·(x + 0.044715·x³)) (0.5·(1 + tanh u) = σ(2u)), which needs fewer kernels.
     */
    public static NDArray geluTanh(NDArray x) {
        NDArray inner = x.square().muli(GELU_B).addi(GELU_A).muli(x);
        return inner.getNDArrayInternal().sigmoid().muli(x);
    }

    /** RMSNorm over the last axis: x / √(mean(x²) + eps) · weight. */
    public static NDArray rmsNorm(NDArray x, NDArray weight, double eps) {
        NDArray inv = x.square().mean(new int[] {-1}, true).addi(eps).pow(-0.5);
        return x.mul(inv).muli(weight);
    }

    /**
     * Gathers per-segment rows to per-token rows: perSegment (B, G, K) and segment token counts
     * (count[g] tokens of segment g, in order) → (B, Σ count, K). Segments are contiguous in a layout,
     * so this is a concatenation of broadcasts.
     */
    public static NDArray expandSegments(NDArray perSegment, int[] counts) {
        Shape s = perSegment.getShape();
        long b = s.get(0);
        long k = s.get(2);
        NDList parts = new NDList();
        for (int g = 0; g < counts.length; g++) {
            if (counts[g] > 0) {
                parts.add(perSegment.get(new NDIndex(":, {}:{}", g, g + 1)).broadcast(b, counts[g], k));
            }
        }
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 1);
    }

    /**
     * A 2D convolution, stride 1, zero padding {@code padding} on both sides (PyTorch Conv2d; weight (out, in, kh, kw)),
     * for inputs whose channel count is {@code in}.
     *
     * <p>Works around a defect of the oneDNN convolution in the libtorch of DJL 0.35.1 (2.7.1, CPU): on an AVX-512
     * CPU, a batched fp32 convolution with more than 16 input channels that are not a multiple of 16 returns wrong
     * values (errors of order 1, some NaN; a batch of one small input takes libtorch's own kernel and is right). The
     * input channels are zero-padded to a multiple of 16 (the weight once, here; the input on every call), which
     * changes nothing else: padded channels add exact zeros.
     */
    public record Conv2d(NDArray weight, NDArray bias, int padding, long in) {
        private static final int CHANNEL_BLOCK = 16;

        /** A convolution with {@code weight} (out, in, kh, kw), padded at load time (call before the weights' manager is capped). */
        public static Conv2d of(NDArray weight, NDArray bias, int padding) {
            Shape s = weight.getShape();
            long in = s.get(1);
            long padded = paddedChannels(in);
            if (padded != in) {
                try (NDArray zeros = weight.getManager().zeros(new Shape(s.get(0), padded - in, s.get(2), s.get(3)))) {
                    NDArray wide = weight.concat(zeros, 1);
                    weight.close();
                    weight = wide;
                }
            }
            return new Conv2d(weight, bias, padding, in);
        }

        static long paddedChannels(long in) {
            return in <= CHANNEL_BLOCK || in % CHANNEL_BLOCK == 0 ? in : (in / CHANNEL_BLOCK + 1) * CHANNEL_BLOCK;
        }

        /** x (N, in, H, W) → (N, out, H', W'), owned by x's manager. */
        public NDArray apply(NDArray x) {
            Shape s = x.getShape();
            if (s.get(1) != in) {
                throw new IllegalArgumentException("convolution expects " + in + " input channels, got " + s);
            }
            long padded = weight.getShape().get(1);
            if (padded != in) {
                x = x.concat(x.getManager().zeros(new Shape(s.get(0), padded - in, s.get(2), s.get(3))), 1);
            }
            return x.getNDArrayInternal().convolution(x, weight, bias, new Shape(1, 1), new Shape(padding, padding),
                    new Shape(1, 1), 1).singletonOrThrow();
        }
    }

    /** Average pooling of (N, ch, H, W) over k × k windows with stride k ({@code F.avg_pool2d(x, k)}). */
    public static NDArray avgPool2d(NDArray x, int k) {
        return x.getNDArrayInternal().avgPool(new Shape(k, k), new Shape(k, k), new Shape(0, 0), false, true);
    }

    /**
     * Nearest-neighbour ×2 upsampling of (N, ch, H, W) ({@code F.interpolate(x, scale_factor=2)}): each pixel
     * broadcast to a 2 × 2 block, (N, ch, H, 1, W, 1) → (N, ch, H, 2, W, 2) → (N, ch, 2H, 2W), one copy. Two
     * {@code repeat}s cost two repeat_interleave kernels, 4 % of a U-Net model's streaming time.
     */
    public static NDArray upsample2x(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        return x.reshape(n, c, h, 1, w, 1).broadcast(new Shape(n, c, h, 2, w, 2)).reshape(n, c, 2 * h, 2 * w);
    }

    /** Rows [from, to) of axis 1. */
    public static NDArray rows(NDArray x, long from, long to) {
        return x.get(new NDIndex(":, {}:{}", from, to));
    }

    /** Concatenation along {@code axis}; a single part is returned as is. */
    public static NDArray concat(List<NDArray> parts, int axis) {
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts), axis);
    }

    /** Float data to an NDArray owned by {@code scope}. */
    public static NDArray create(NDManager scope, float[] data, long... shape) {
        return scope.create(data, new Shape(shape));
    }
}
