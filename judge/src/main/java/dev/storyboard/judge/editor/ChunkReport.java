package dev.storyboard.judge.editor;

import dev.storyboard.judge.metrics.TemporalMetrics;
import java.util.List;

/**
 * What {@link ChunkInspector} found after a chunk landed.
 *
 * @param chunkStart     first frame of the new chunk within the shot
 * @param chunkEnd       one past its last frame
 * @param seam           the seam score at {@code chunkStart}, or null for the first chunk
 * @param lumaShift      brightness change of the chunk against the shot's first frame, camera motion removed
 *                       (median per-pixel difference, mean over the chunk's frames; grey levels)
 * @param saturationShift the same for saturation (0..1)
 * @param flags          everything worth marking, in frame order
 */
public record ChunkReport(int chunkStart, int chunkEnd, TemporalMetrics.Seam seam, double lumaShift,
                          double saturationShift, List<ChunkFlag> flags) {
    public ChunkReport {
        flags = List.copyOf(flags);
    }

    public boolean suspiciousSeam() {
        return has(ChunkFlag.Type.SEAM);
    }

    public boolean unintendedCut() {
        return has(ChunkFlag.Type.CUT);
    }

    public boolean drift() {
        return has(ChunkFlag.Type.DRIFT);
    }

    public boolean flash() {
        return has(ChunkFlag.Type.FLASH);
    }

    private boolean has(ChunkFlag.Type t) {
        return flags.stream().anyMatch(f -> f.type() == t);
    }
}
