package dev.storyboard.inference.session;

import ai.djl.ndarray.NDManager;

/**
 * One generate or extend operation while it runs: its manager (everything it computes dies with it unless the
 * session takes it over at commit), the shot it writes, that shot's context, how new frames are drawn, and the
 * caller's listener and cancellation token.
 */
record ShotOperation(NDManager job, ShotTarget shot, ContextStrategy.ShotContext context, Sampling sampling,
                     ChunkListener listener, CancellationToken cancel) {
}
