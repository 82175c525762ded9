package dev.storyboard.domain.quality;

import dev.storyboard.domain.generation.VideoFrame;
import java.util.List;

/**
 * Looks at a shot's newest chunk while it generates and says what a viewer would notice: a seam at the chunk's
 * start, a cut inside the shot, a flash, drift. Implemented by the judge ({@code judge.editor.EditorChunkCheck});
 * the editor runs it off the FX thread for every chunk that arrives and marks the shot card.
 */
@FunctionalInterface
public interface ChunkCheck {
    /** Checks nothing (no judge wired in, and tests). */
    ChunkCheck NONE = (shotFrames, chunkStart, fps) -> List.of();

    /**
     * @param shotFrames the take's frames so far, from its first frame to the end of the new chunk
     * @param chunkStart index of the new chunk's first frame in {@code shotFrames}
     * @param fps        the scene's frame rate
     * @return what was found in the new chunk (empty when it looks right)
     */
    List<QualityFlag> inspect(List<VideoFrame> shotFrames, int chunkStart, double fps);
}
