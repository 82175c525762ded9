package dev.storyboard.inference.sampler;

import ai.djl.ndarray.NDArray;

/** v(x, t): the network's velocity for the target latents x at time t (rectified flow, t = 1 is noise). */
@FunctionalInterface
public interface VelocityField {
    /** x (B, F, C, H, W) → v of the same shape, in x's manager. */
    NDArray velocity(NDArray x, double t);
}
