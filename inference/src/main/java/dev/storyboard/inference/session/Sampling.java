package dev.storyboard.inference.session;

import dev.storyboard.inference.sampler.FlowMatchSampler;

/**
 * How an operation draws its new frames: the seed of their INITIAL noise (a generated shot's own seed, or an
 * extension's), the shot's own seed (the shared part of the {@link ShotNoisePrior}), the CFG scale, the sampler and
 * the noise prior.
 */
record Sampling(long seed, long shotSeed, double guidance, FlowMatchSampler sampler, ShotNoisePrior prior) {

    /** The initial noise (x at t = 1) of the shot's frames [firstFrame, firstFrame + frames). */
    float[] initialNoise(int firstFrame, int frames, int frameSize) {
        return prior.initial(shotSeed, seed, firstFrame, frames, frameSize);
    }
}
