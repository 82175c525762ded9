package dev.storyboard.judge.report;

import dev.storyboard.judge.storyworld.StoryworldExport;
import dev.storyboard.judge.video.Clip;
import java.util.Objects;

/**
 * One shot to judge.
 *
 * @param id               shot id in reports
 * @param clip             its frames
 * @param chunkBoundaries  first frames of the generation chunks after the first (seam scores); may be empty
 * @param labels           what the shot should show (storyworld labels, or from a storyboard), or null
 */
public record ShotInput(String id, Clip clip, int[] chunkBoundaries, StoryworldExport.ShotLabels labels) {
    public ShotInput {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(clip, "clip");
        chunkBoundaries = chunkBoundaries == null ? new int[0] : chunkBoundaries.clone();
    }

    /** Boundaries every {@code chunk} frames (none for chunk &le; 0). */
    public static int[] everyChunk(int frames, int chunk) {
        if (chunk <= 0 || chunk >= frames) {
            return new int[0];
        }
        int[] b = new int[(frames - 1) / chunk];
        for (int i = 0; i < b.length; i++) {
            b[i] = (i + 1) * chunk;
        }
        return b;
    }
}
