package dev.storyboard.inference.session;

import ai.djl.ndarray.NDManager;

/**
 * Where a target's context comes from, chosen once per session. Production: {@link CachedContext}, the K/V of
 * finished shots and chunks computed once at t_c. The ablations: {@link NullCaptionContext} (the cache plus a
 * caption-free copy of the shot's chunks, {@link ChunkGuidance#EVERY_CHUNK}) and {@link RecomputedContext} (no cache:
 * every forward holds its whole context, the reference the cache is tested against).
 */
interface ContextStrategy {

    /** Makes the context of shot {@code upTo} ready (the caches of the global caption and shots &lt; upTo). */
    void prepare(int upTo, CancellationToken cancel);

    /** Starts an operation on the shot, whose frames before {@code from} are final. */
    ShotContext open(NDManager job, ShotTarget shot, int from, CancellationToken cancel);

    /** The context of one operation's shot, growing as its chunks become final. */
    interface ShotContext {

        /** What the target starting at chunk {@code chunk} of the shot attends to, in scope. */
        Context context(NDManager scope, int chunk);

        /** The span's frames of the shot are final: later chunks (and, after commit, later shots) attend to them. */
        void append(NDManager job, FrameSpan span, CancellationToken cancel);
    }
}
