package dev.storyboard.inference.session;

import java.util.Arrays;

/**
 * StreamingT2V's randomized blending (Henschel et al. 2024, §4.3) in causal form, for the seam before a chunk.
 *
 * <p>StreamingT2V denoises consecutive chunks that overlap by O frames together: at every step the overlap exists
 * twice (the end of the previous chunk, the start of the new one), and a split l drawn uniformly from [0, O] takes
 * the first l overlap frames from the previous chunk and the rest from the new one, so no seam stays at a fixed
 * frame. Here the previous chunk is final (delivered, cached) before the next starts, so its side of the overlap is
 * known: the new chunk is sampled as a window of the O last final frames plus its own frames, and before every step
 * k the first l_k overlap frames are replaced by their final latents noised to the step's t with the window's own
 * initial noise of those frames (inpainting: {@code x_t = (1 − t)·z + t·ε}); overlap frames past l_k keep the
 * window's trajectory. Only the new frames are delivered; the overlap frames, already shown, are not changed.
 *
 * <p>{@link SeamBlending.Split#FULL} replaces every overlap frame at every step instead (l_k = O): plain inpainting,
 * which measured better than the random split on the bundled model (docs/decisions/0008-seam-blending.md). The
 * random splits are drawn from the operation's seed ({@link GaussianNoise.Purpose#SEAM_SPLIT}, keyed by the chunk's
 * first new frame), so the same request gives the same frames.
 */
final class SeamBlend implements TargetDenoiser.BeforeStep {
    private final float[] finalLatents;     // the overlap's final latents, O · C·H·W
    private final float[] noise;            // the window's initial noise of the overlap frames, O · C·H·W
    private final int[] splits;             // l_k ∈ [0, O] per step
    private final int frameSize;

    /**
     * @param finalLatents the overlap frames' final latents (O frames, frame-major)
     * @param noise        the window's initial noise of the same frames
     * @param splits       l_k per denoising step, each in [0, O]
     */
    SeamBlend(float[] finalLatents, float[] noise, int[] splits, int frameSize) {
        if (finalLatents.length != noise.length || finalLatents.length % frameSize != 0) {
            throw new IllegalArgumentException("overlap latents and noise must be whole frames of the same length");
        }
        int overlap = finalLatents.length / frameSize;
        for (int l : splits) {
            if (l < 0 || l > overlap) {
                throw new IllegalArgumentException("split " + l + " outside [0, " + overlap + "]");
            }
        }
        this.finalLatents = finalLatents;
        this.noise = noise;
        this.splits = splits.clone();
        this.frameSize = frameSize;
    }

    /**
     * The blend of the seam before frame {@code firstNewFrame}: O = {@code finalLatents.length / frameSize} frames, the
     * window's initial noise of frames [firstNewFrame − O, firstNewFrame) and one split per step: drawn from the seed
     * ({@link SeamBlending.Split#RANDOM}) or always O ({@link SeamBlending.Split#FULL}).
     */
    static SeamBlend before(int firstNewFrame, float[] finalLatents, SeamBlending.Split split, Sampling sampling, int frameSize) {
        int overlap = finalLatents.length / frameSize;
        float[] noise = sampling.initialNoise(firstNewFrame - overlap, overlap, frameSize);
        long seed = sampling.seed();
        int steps = sampling.sampler().steps();
        int[] splits = new int[steps];
        if (split == SeamBlending.Split.RANDOM) {
            splits = GaussianNoise.integers(seed, GaussianNoise.Purpose.SEAM_SPLIT, firstNewFrame, steps, overlap);
        } else {
            Arrays.fill(splits, overlap);
        }
        return new SeamBlend(finalLatents, noise, splits, frameSize);
    }

    /** Overlap frames. */
    int overlap() {
        return finalLatents.length / frameSize;
    }

    /** l_k of every step (a copy). */
    int[] splits() {
        return splits.clone();
    }

    /** The window's latents before step k at time t: its first l_k frames replaced by the final ones noised to t. */
    @Override
    public float[] apply(float[] window, int step, double t) {
        int replaced = splits[step] * frameSize;
        if (replaced == 0) {
            return window;
        }
        float[] out = window.clone();
        for (int i = 0; i < replaced; i++) {
            out[i] = (float) ((1.0 - t) * finalLatents[i] + t * noise[i]);
        }
        return out;
    }
}
