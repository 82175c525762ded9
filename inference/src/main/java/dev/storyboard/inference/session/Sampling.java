package dev.storyboard.inference.session;

import dev.storyboard.inference.sampler.FlowMatchSampler;

/**
 * How an operation draws its new frames: the seed of their INITIAL noise (a generated shot's own seed, or an
 * extension's), the shot's own seed (the shared part of the {@link ShotNoisePrior}), the CFG scale, the sampler, the
 * noise prior with the shot's shared part (still, or moving with its camera), where a target that continues its shot
 * starts ({@link ContinuationStart}) and the picture it starts from ({@link AnchorFrames}: the frame before it, still
 * or carried by the shot's camera).
 */
record Sampling(long seed, long shotSeed, double guidance, FlowMatchSampler sampler, ShotNoisePrior prior,
                SharedNoise shared, AnchorFrames anchor, ContinuationStart continuation) {

    /** With the anchor still. */
    Sampling(long seed, long shotSeed, double guidance, FlowMatchSampler sampler, ShotNoisePrior prior,
             SharedNoise shared, ContinuationStart continuation) {
        this(seed, shotSeed, guidance, sampler, prior, shared, AnchorFrames.STILL, continuation);
    }

    /** With the shared part and the anchor still. */
    Sampling(long seed, long shotSeed, double guidance, FlowMatchSampler sampler, ShotNoisePrior prior,
             ContinuationStart continuation) {
        this(seed, shotSeed, guidance, sampler, prior, SharedNoise.STILL, AnchorFrames.STILL, continuation);
    }

    /** A target's first latents and the sampler that takes them to t = 0. */
    record Start(float[] x, FlowMatchSampler sampler) {}

    /** The initial noise (x at t = 1) of the shot's frames [firstFrame, firstFrame + frames). */
    float[] initialNoise(int firstFrame, int frames, int frameSize) {
        return prior.initial(shotSeed, seed, firstFrame, frames, frameSize, shared);
    }

    /**
     * Where sampling frames [firstFrame, firstFrame + frames) of a shot begins: their initial noise at t = 1, or, for a
     * target after the shot's first frame with the continuation start on, that noise mixed at t₀ with the shot's final
     * frame before it ({@link PreviousFrame#before}, read from {@code shotLatents}, frame-major) as the {@link #anchor}
     * makes it per frame, and the sampler from t₀.
     */
    Start start(int firstFrame, int frames, int frameSize, float[] shotLatents) {
        float[] noise = initialNoise(firstFrame, frames, frameSize);
        float[] previous = PreviousFrame.before(shotLatents, firstFrame, frameSize);
        if (previous == null || !continuation.enabled()) {
            return new Start(noise, sampler);
        }
        float[] anchors = anchor.frames(previous, firstFrame - 1, firstFrame, frames);
        return new Start(continuation.start(noise, anchors), sampler.from(continuation.t()));
    }
}
