package dev.storyboard.judge.editor;

import java.util.Locale;

/**
 * Something the editor should mark on the timeline.
 *
 * @param type    what it is
 * @param frame   the frame within the shot where it happens (a cut or seam: the first frame after it)
 * @param score   how strong (seam ratio, adaptive cut ratio, drift in grey levels or saturation units)
 * @param message one line for a tooltip
 */
public record ChunkFlag(Type type, int frame, double score, String message) {

    /** Kinds of flags. */
    public enum Type {
        /** The new chunk does not continue the previous one smoothly. */
        SEAM,
        /** A hard cut inside the shot (shots should be continuous). */
        CUT,
        /** A single-frame flash: one frame differs from both neighbours, which agree with each other. */
        FLASH,
        /** Brightness or colourfulness has wandered away from the shot's start. */
        DRIFT;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
