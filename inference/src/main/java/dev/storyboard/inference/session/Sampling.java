package dev.storyboard.inference.session;

import dev.storyboard.inference.sampler.FlowMatchSampler;

/**
 * How an operation draws its new frames: the seed of their INITIAL noise (a generated shot's own seed, or an
 * extension's), the CFG scale and the sampler.
 */
record Sampling(long seed, double guidance, FlowMatchSampler sampler) {
}
