package dev.storyboard.inference.session;

/**
 * The shot noise prior (PYoCo's mixed noise prior, Ge et al. 2023): the frames of one shot share a part of their
 * initial noise,
 * <pre>
 *   ε_f = √a · s + √(1 − a) · e_f        s: the shot's shared normals, e_f: frame f's own, a = correlation
 * </pre>
 * so every frame is still standard normal and two frames of a shot correlate by a. The shared part is drawn from the
 * shot's own seed ({@link GaussianNoise.Purpose#SHOT_SHARED}), so an extension, whose new frames draw e_f from the
 * extension's seed, still shares the shot's s, and every chunk of a streamed shot starts from noise that agrees with
 * the chunks before it. s is the same in every frame ({@link SharedNoise#STILL}) or moves with the shot's camera
 * ({@link SharedNoise.Moving}). a = 0 ({@link #INDEPENDENT}) is the plain per-frame noise, bit for bit.
 *
 * @param correlation a in [0, 1): the share of each frame's noise variance that the shot's frames have in common
 */
public record ShotNoisePrior(double correlation) {
    /** Independent frames: the noise of every model trained without the prior. */
    public static final ShotNoisePrior INDEPENDENT = new ShotNoisePrior(0);

    public ShotNoisePrior {
        if (!(correlation >= 0 && correlation < 1)) {
            throw new IllegalArgumentException("noise correlation must be in [0, 1), was " + correlation);
        }
    }

    /**
     * The initial noise of frames [firstFrame, firstFrame + frames) of a shot, {@code frameSize} floats each, frame-major:
     * e_f from {@code frameSeed} (the operation's seed), s from {@code shotSeed} (the shot's own seed), still.
     */
    float[] initial(long shotSeed, long frameSeed, int firstFrame, int frames, int frameSize) {
        return initial(shotSeed, frameSeed, firstFrame, frames, frameSize, SharedNoise.STILL);
    }

    /** As above, with s from {@code shared}: still, or moving with the shot's camera. */
    float[] initial(long shotSeed, long frameSeed, int firstFrame, int frames, int frameSize, SharedNoise shared) {
        float[] x = GaussianNoise.frames(frameSeed, GaussianNoise.Purpose.INITIAL, firstFrame, frames, frameSize);
        if (correlation == 0) {
            return x;
        }
        float[] s = shared.frames(shotSeed, firstFrame, frames, frameSize);
        double own = Math.sqrt(1 - correlation);
        double common = Math.sqrt(correlation);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (common * s[i] + own * x[i]);
        }
        return x;
    }
}
