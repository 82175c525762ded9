package dev.storyboard.ui.generation;

import dev.storyboard.domain.generation.VideoFrame;
import java.nio.IntBuffer;
import java.util.Map;
import java.util.WeakHashMap;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

/**
 * Decoded frames as JavaFX images, converted once per frame (a frame is an immutable value) and kept
 * while the frame is. A 64×64 frame converts in microseconds, so this runs on the FX thread.
 */
public final class FrameImages {
    private static final Map<VideoFrame, Image> CACHE = new WeakHashMap<>();

    private FrameImages() {
    }

    public static Image image(VideoFrame frame) {
        if (frame == null) {
            return null;
        }
        return CACHE.computeIfAbsent(frame, f -> {
            WritableImage image = new WritableImage(f.width(), f.height());
            image.getPixelWriter().setPixels(0, 0, f.width(), f.height(), PixelFormat.getIntArgbInstance(),
                    IntBuffer.wrap(f.argb()), f.width());
            return image;
        });
    }
}
