package dev.storyboard.domain.generation;

import java.util.Objects;

/**
 * One decoded RGB frame, as the engine hands it to the editor and to export.
 *
 * @param width  pixels
 * @param height pixels
 * @param argb   row-major pixels, 0xAARRGGBB with alpha 0xFF (JavaFX's and AWT's int ARGB layout)
 */
public record VideoFrame(int width, int height, int[] argb) {
    public VideoFrame {
        Objects.requireNonNull(argb, "argb");
        if (width <= 0 || height <= 0 || argb.length != width * height) {
            throw new IllegalArgumentException("frame " + width + "x" + height + " needs " + (width * height)
                    + " pixels, got " + argb.length);
        }
    }
}
