package dev.storyboard.inference.session;

import ai.djl.ndarray.NDManager;
import dev.storyboard.inference.dit.AttentionMask;
import dev.storyboard.inference.dit.KvCache;

/**
 * The ablation behind {@link ChunkGuidance#EVERY_CHUNK}: the cached context plus the shot's null-caption stream, its
 * chunks encoded once more without its caption (zero tokens, zero pooled caption, null labels; what stage-2 caption
 * dropout trains). The unconditional row of every later chunk attends to that stream, so guidance acts on it too. The
 * stream is job-owned and dropped with the operation: an extension builds it once from the shot's old frames, then
 * each chunk's part is added before the next chunk needs it (the last chunk's is never needed).
 */
final class NullCaptionContext implements ContextStrategy {
    private final CachedContext cached;
    private final ContextEncoder encoder;
    private final int chunkFrames;

    NullCaptionContext(CachedContext cached, ContextEncoder encoder, int chunkFrames) {
        this.cached = cached;
        this.encoder = encoder;
        this.chunkFrames = chunkFrames;
    }

    @Override
    public void prepare(int upTo, CancellationToken cancel) {
        cached.prepare(upTo, cancel);
    }

    @Override
    public ShotContext open(NDManager job, ShotTarget shot, int from, CancellationToken cancel) {
        ShotContext captioned = cached.open(job, shot, from, cancel);
        ShotKv stream = new ShotKv();
        if (from > 0) {
            cancel.throwIfCancelled();
            KvCache prefix = encoder.window(job, shot, 0, null);
            stream.add(encoder.encode(job, shot, new FrameSpan(0, from, AttentionMask.CHUNK_CAUSAL), prefix, true).copyTo(job));
        }
        return new ShotContext() {
            private int streamed = from;           // frames of the shot in the null-caption stream

            @Override
            public Context context(NDManager scope, int chunk) {
                Context context = captioned.context(scope, chunk);
                if (chunk == 0) {
                    return context;
                }
                for (int start = streamed; start < chunk * chunkFrames; start += chunkFrames) {
                    streamChunk(start);
                }
                streamed = chunk * chunkFrames;
                return context.withNullCache(encoder.window(scope, shot, chunk, stream));
            }

            @Override
            public void append(NDManager job, FrameSpan span, CancellationToken cancel) {
                captioned.append(job, span, cancel);
            }

            /** Adds the shot's chunk at {@code start} to the stream (job-owned). */
            private void streamChunk(int start) {
                cancel.throwIfCancelled();
                try (NDManager scope = job.newSubManager()) {
                    KvCache prefix = encoder.window(scope, shot, start / chunkFrames, stream.size() == 0 ? null : stream);
                    FrameSpan span = new FrameSpan(start, chunkFrames, AttentionMask.CHUNK_CAUSAL);
                    stream.add(encoder.encode(scope, shot, span, prefix, true).copyTo(job));
                }
            }
        };
    }
}
