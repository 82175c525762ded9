package dev.storyboard.inference.codec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.inference.config.FrameCodecConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames ↔ the DiT's latent frames ({@code codec.py}; docs/STORYDIT.md §9). Chosen by {@code config.json → codec}:
 * {@link VaeFrameCodec} (a frame VAE) or {@link PixelFrameCodec} (the pixels themselves). Shape legend: B frames,
 * C latent channels, h × w latent size, H × W pixels.
 */
public interface FrameCodec {

    /** The codec's config. */
    FrameCodecConfig config();

    /** DiT latents (B, C, h, w) → images (B, 3, H, W) in [0, 1], in the latents' manager. */
    NDArray decode(NDArray z);

    /** Whether {@link #encode} is available (a VAE folder may ship without its encoder). */
    boolean canEncode();

    /** Images (B, 3, H, W) in [0, 1] → DiT latents (B, C, h, w). */
    NDArray encode(NDArray images);

    /** DiT latents (B, C, h, w) → ARGB frames, decoded inside a temporary sub-manager of {@code scope}. */
    default List<VideoFrame> decodeFrames(NDManager scope, NDArray z) {
        try (NDManager tmp = scope.newSubManager()) {
            NDArray own = z.duplicate();
            own.attach(tmp);
            NDArray img = decode(own);
            long[] s = img.getShape().getShape();
            return toFrames(img.toFloatArray(), (int) s[0], (int) s[2], (int) s[3]);
        }
    }

    /** (B, 3, H, W) floats in [0, 1] → ARGB frames (rounded to the nearest 8-bit value). */
    static List<VideoFrame> toFrames(float[] rgb, int frames, int height, int width) {
        List<VideoFrame> out = new ArrayList<>(frames);
        int plane = height * width;
        for (int f = 0; f < frames; f++) {
            int base = f * 3 * plane;
            int[] argb = new int[plane];
            for (int i = 0; i < plane; i++) {
                int r = Math.round(rgb[base + i] * 255f);
                int g = Math.round(rgb[base + plane + i] * 255f);
                int b = Math.round(rgb[base + 2 * plane + i] * 255f);
                argb[i] = 0xff000000 | (r << 16) | (g << 8) | b;
            }
            out.add(new VideoFrame(width, height, argb));
        }
        return out;
    }
}
