package dev.storyboard.inference.codec;

import ai.djl.ndarray.NDArray;
import dev.storyboard.inference.config.FrameCodecConfig;

/**
 * The pixel codec ({@code codec.py PixelCodec}): the DiT works on the RGB frames scaled to [−1, 1], no weights.
 *
 * <pre>
 *   encode:  z     = 2 · image − 1                     (B, 3, H, W)
 *   decode:  image = clamp((z + 1) / 2, 0, 1)           (B, 3, H, W)
 * </pre>
 */
public final class PixelFrameCodec implements FrameCodec {
    private final FrameCodecConfig.Pixel cfg;

    public PixelFrameCodec(FrameCodecConfig.Pixel cfg) {
        this.cfg = cfg;
    }

    @Override
    public FrameCodecConfig.Pixel config() {
        return cfg;
    }

    @Override
    public NDArray decode(NDArray z) {
        return z.add(1).divi(2).clip(0, 1);
    }

    @Override
    public boolean canEncode() {
        return true;
    }

    @Override
    public NDArray encode(NDArray images) {
        return images.mul(2).subi(1);
    }
}
