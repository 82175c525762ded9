package dev.storyboard.inference.session;

import ai.djl.ndarray.NDManager;
import dev.storyboard.inference.dit.AttentionMask;
import java.util.Arrays;

/**
 * The ablation behind {@link ContextMode#CONTEXT_CAUSAL}: a new shot is denoised as one segment (all its frames
 * jointly, better matmul efficiency) and its chunks are delivered after the last step; the session caches finished
 * shots under the context_causal mask. An extension streams chunk-causally: it re-encodes the shot's own frames
 * chunk-causally once, and the shot is cached again under context_causal when a later shot needs it.
 */
final class ContextCausalFlow implements ShotFlow {
    private final TargetDenoiser denoiser;
    private final ChunkCausalFlow chunks;
    private final int chunkFrames;
    private final int frameSize;

    ContextCausalFlow(TargetDenoiser denoiser, ChunkCausalFlow chunks, int chunkFrames, int frameSize) {
        this.denoiser = denoiser;
        this.chunks = chunks;
        this.chunkFrames = chunkFrames;
        this.frameSize = frameSize;
    }

    @Override
    public void generate(ShotOperation op) {
        SessionShot entry = op.shot().entry();
        FrameSpan whole = new FrameSpan(0, entry.frames, AttentionMask.CONTEXT_CAUSAL);
        float[] x;
        try (NDManager scope = op.job().newSubManager()) {
            Context ctx = op.context().context(scope, 0);
            x = denoiser.denoise(scope, ctx, op, whole, (step, steps) -> op.listener().progress(0, 1, step, steps));
        }
        System.arraycopy(x, 0, entry.latents, 0, x.length);
        for (int start = 0; start < entry.frames; start += chunkFrames) {
            chunks.deliver(op, start, Arrays.copyOfRange(x, start * frameSize, (start + chunkFrames) * frameSize));
        }
        op.context().append(op.job(), whole, op.cancel());
    }

    @Override
    public void extend(ShotOperation op, int from) {
        SessionShot entry = op.shot().entry();
        entry.cache = null;                     // the shot's context_causal K/V: not what a chunk-causal chunk attends to
        op.context().append(op.job(), new FrameSpan(0, from, AttentionMask.CHUNK_CAUSAL), op.cancel());
        chunks.extend(op, from);
        entry.cache = null;                     // job-owned; cached again under context_causal when needed
    }
}
