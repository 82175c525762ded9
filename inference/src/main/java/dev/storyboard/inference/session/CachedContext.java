package dev.storyboard.inference.session;

import ai.djl.ndarray.NDManager;
import dev.storyboard.inference.dit.AttentionMask;
import dev.storyboard.inference.dit.KvCache;

/**
 * The production context: finished shots are encoded once at t_c under the session's mask and cached; a chunk
 * attends to (global ++ earlier shots ++ its shot's earlier chunks), windowed by the long-context policy; a final
 * chunk is encoded at t_c and appended to its shot's cache (job-owned until the operation commits).
 */
final class CachedContext implements ContextStrategy {
    private final ContextEncoder encoder;
    private final AttentionMask cacheMask;
    private final NDManager session;
    private final int chunkFrames;

    CachedContext(ContextEncoder encoder, AttentionMask cacheMask, NDManager session, int chunkFrames) {
        this.encoder = encoder;
        this.cacheMask = cacheMask;
        this.session = session;
        this.chunkFrames = chunkFrames;
    }

    @Override
    public void prepare(int upTo, CancellationToken cancel) {
        encoder.ensureCaches(upTo, cacheMask, session, cancel);
    }

    @Override
    public ShotContext open(NDManager job, ShotTarget shot, int from, CancellationToken cancel) {
        return new ShotContext() {
            @Override
            public Context context(NDManager scope, int chunk) {
                return Context.cached(encoder.window(scope, shot, chunk, shot.entry().cache));
            }

            @Override
            public void append(NDManager job, FrameSpan span, CancellationToken cancel) {
                cancel.throwIfCancelled();
                SessionShot entry = shot.entry();
                try (NDManager scope = job.newSubManager()) {
                    KvCache prefix = encoder.window(scope, shot, span.start() / chunkFrames, entry.cache);
                    KvCache kv = encoder.encode(scope, shot, span, prefix, false).copyTo(job);
                    if (entry.cache == null) {
                        entry.cache = new ShotKv();
                    }
                    entry.cache.add(kv);
                }
            }
        };
    }
}
