package dev.storyboard.inference.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.storyboard.inference.config.VaeConfig;
import dev.storyboard.inference.nn.Nn;
import dev.storyboard.inference.weights.Weights;

/**
 * Building blocks of the frame VAE (docs/STORYDIT.md §9; {@code vae.py}): 3×3 convolutions, GroupNorm,
 * SiLU, ResBlocks and nearest ×2 upsampling. The encoder and decoder are {@link VaeEncoder} and
 * {@link VaeDecoder}. Shape legend: B frames (batch of frames), 3 RGB, C latent channels, H × W pixels.
 */
final class FrameVae {
    private FrameVae() {
    }

    /** Conv2d 3×3 with bias, padding 1, given stride; weight (out, in, 3, 3). */
    record Conv(NDArray weight, NDArray bias, int stride) {
        static Conv read(Weights w, String name, int in, int out, int stride) {
            return new Conv(w.take(name + ".weight", out, in, 3, 3), w.take(name + ".bias", out), stride);
        }

        NDArray apply(NDArray x) {
            return x.getNDArrayInternal().convolution(x, weight, bias, new Shape(stride, stride), new Shape(1, 1),
                    new Shape(1, 1), 1).singletonOrThrow();
        }
    }

    /** GroupNorm(groups, ch, eps 1e-6, affine). */
    record GroupNorm(NDArray weight, NDArray bias, int groups) {
        static GroupNorm read(Weights w, String name, int ch, int groups) {
            // stored as (ch, 1, 1) so they broadcast over (B, ch, H, W) without touching the capped weights manager
            return new GroupNorm(w.take(name + ".weight", ch).reshape(ch, 1, 1), w.take(name + ".bias", ch).reshape(ch, 1, 1), groups);
        }

        NDArray apply(NDArray x) {
            Shape s = x.getShape();                                   // (B, ch, H, W)
            long b = s.get(0);
            NDArray g = x.reshape(b, groups, -1);                     // (B, G, ch/G·H·W)
            NDArray mean = g.mean(new int[] {2}, true);
            NDArray centered = g.sub(mean);
            NDArray inv = centered.square().mean(new int[] {2}, true).addi(VaeConfig.GROUP_NORM_EPS).pow(-0.5);
            NDArray normed = centered.muli(inv).reshape(s);
            return normed.muli(weight).addi(bias);
        }
    }

    /** x + conv2(SiLU(GN2(conv1(SiLU(GN1(x)))))). */
    record ResBlock(GroupNorm norm1, Conv conv1, GroupNorm norm2, Conv conv2) {
        static ResBlock read(Weights w, String name, int ch, int groups) {
            return new ResBlock(GroupNorm.read(w, name + ".norm1", ch, groups), Conv.read(w, name + ".conv1", ch, ch, 1),
                    GroupNorm.read(w, name + ".norm2", ch, groups), Conv.read(w, name + ".conv2", ch, ch, 1));
        }

        NDArray apply(NDArray x) {
            NDArray h = conv1.apply(Nn.silu(norm1.apply(x)));
            h = conv2.apply(Nn.silu(norm2.apply(h)));
            return x.add(h);
        }
    }

    static NDManager requireScope(NDManager scope) {
        if (scope == null) {
            throw new IllegalArgumentException("a scope manager is required");
        }
        return scope;
    }
}
