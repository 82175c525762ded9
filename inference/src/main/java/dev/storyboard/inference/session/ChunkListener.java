package dev.storyboard.inference.session;

import dev.storyboard.domain.generation.VideoFrame;
import java.util.List;

/** Receives a session's output while an operation runs (on the calling thread). */
public interface ChunkListener {
    /** Denoising step {@code step} (1-based, done) of {@code steps} in chunk {@code chunk} of {@code chunks}. */
    default void progress(int chunk, int chunks, int step, int steps) {
    }

    /**
     * A chunk is final and decoded.
     *
     * @param shot       shot index in the session
     * @param firstFrame index of its first frame within the shot
     * @param latents    its DiT latents, frames × C·H·W
     * @param frames     decoded frames (empty when the session does not decode)
     */
    default void chunk(int shot, int firstFrame, float[] latents, List<VideoFrame> frames) {
    }

    ChunkListener NONE = new ChunkListener() { };
}
