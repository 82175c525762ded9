package dev.storyboard.inference.session;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.inference.codec.FrameCodec;
import dev.storyboard.inference.config.StoryDiTConfig;
import dev.storyboard.inference.dit.AttentionMask;
import java.util.Arrays;
import java.util.List;

/**
 * The production flow ({@link ContextMode#CHUNK_CAUSAL}): a shot's frames are sampled one chunk at a time. Each
 * chunk is denoised against its context (global ++ earlier shots ++ the shot's earlier chunks, at t_c), decoded and
 * handed to the listener, then appended to the context. An extension is the same loop continued.
 *
 * <p>With seam blending (an overlap O &gt; 0, {@link SeamBlending}) every chunk after the shot's first frames is
 * sampled as a window of the shot's last O final frames plus its own, bidirectional inside the window
 * ({@link AttentionMask#CONTEXT_CAUSAL}: its context is still earlier shots and chunks only), with {@link SeamBlend}'s
 * inpainting of the overlap; only the new frames are kept, delivered and appended. O = 0 is the plain chunk loop.
 */
final class ChunkCausalFlow implements ShotFlow {
    private final TargetDenoiser denoiser;
    private final FrameCodec codec;                // null = the session does not decode
    private final StoryDiTConfig cfg;
    private final SeamBlending blending;           // NONE = the plain chunk loop

    ChunkCausalFlow(TargetDenoiser denoiser, FrameCodec codec, StoryDiTConfig cfg, SeamBlending blending) {
        this.denoiser = denoiser;
        this.codec = codec;
        this.cfg = cfg;
        this.blending = blending;
    }

    @Override
    public void generate(ShotOperation op) {
        stream(op, 0);
    }

    @Override
    public void extend(ShotOperation op, int from) {
        stream(op, from);
    }

    private void stream(ShotOperation op, int from) {
        int cf = cfg.chunkFrames();
        SessionShot entry = op.shot().entry();
        int chunks = (entry.frames - from) / cf;
        for (int c = 0; c < chunks; c++) {
            FrameSpan chunk = new FrameSpan(from + c * cf, cf, AttentionMask.CHUNK_CAUSAL);
            float[] x;
            try (NDManager scope = op.job().newSubManager()) {
                Context ctx = op.context().context(scope, chunk.start() / cf);
                int chunkNo = c;
                TargetDenoiser.StepProgress progress = (step, steps) -> op.listener().progress(chunkNo, chunks, step, steps);
                x = blending.enabled() && chunk.start() > 0 ? blended(scope, ctx, op, chunk, progress)
                        : denoiser.denoise(scope, ctx, op, chunk, progress);
            }
            System.arraycopy(x, 0, entry.latents, chunk.start() * cfg.latentFrameSize(), x.length);
            deliver(op, chunk.start(), x);
            op.context().append(op.job(), chunk, op.cancel());
        }
    }

    /** The chunk's frames, sampled in a window behind the last O final frames of the shot ({@link SeamBlend}). */
    private float[] blended(NDManager scope, Context ctx, ShotOperation op, FrameSpan chunk, TargetDenoiser.StepProgress progress) {
        int fs = cfg.latentFrameSize();
        int overlap = blending.overlap();           // < chunk_frames ≤ chunk.start() (SceneSession checks)
        int first = chunk.start() - overlap;
        float[] finalOverlap = Arrays.copyOfRange(op.shot().entry().latents, first * fs, chunk.start() * fs);
        SeamBlend blend = SeamBlend.before(chunk.start(), finalOverlap, blending.split(), op.sampling(), fs);
        FrameSpan window = new FrameSpan(first, overlap + chunk.count(), AttentionMask.CONTEXT_CAUSAL);
        float[] x = denoiser.denoise(scope, ctx, op, window, progress, blend);
        return Arrays.copyOfRange(x, overlap * fs, x.length);
    }

    /** Decodes final latents (whole frames from {@code start} of the shot) and hands them to the listener. */
    void deliver(ShotOperation op, int start, float[] latents) {
        int frames = latents.length / cfg.latentFrameSize();
        List<VideoFrame> decoded = List.of();
        if (codec != null) {
            try (NDManager scope = op.job().newSubManager()) {
                NDArray z = scope.create(latents, new Shape(frames, cfg.latentChannels(), cfg.latentH(), cfg.latentW()));
                decoded = codec.decodeFrames(scope, z);
            }
        }
        op.listener().chunk(op.shot().index(), start, latents, decoded);
    }
}
