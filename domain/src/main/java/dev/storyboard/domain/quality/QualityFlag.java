package dev.storyboard.domain.quality;

import java.util.Objects;

/**
 * One thing a {@link ChunkCheck} found.
 *
 * @param kind    what it is, one word: "seam", "cut", "flash", "drift"
 * @param frame   the frame of the take where it happens (a seam or cut: the first frame after it)
 * @param message one line for a tooltip
 */
public record QualityFlag(String kind, int frame, String message) {
    public QualityFlag {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }
}
