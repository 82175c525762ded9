package dev.storyboard.domain.export;

import dev.storyboard.domain.Storyboard;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Writes a storyboard's active takes (each trimmed to its shot's duration) as one video file. The editor
 * gets an implementation from the composition root and calls it off the UI thread; the file appears only
 * when complete.
 */
public interface SceneExporter {

    /** Progress after each encoded frame. */
    @FunctionalInterface
    interface Progress {
        void framesWritten(int done, int total);
    }

    /**
     * @param mediaDir  the project's media folder holding the takes' frames
     * @param rate      frame rate of the file: {@code EditorialRate.of(storyboard.fps())} for the scene's native
     *                  rate, or an editorial rate the frames are conformed to by holding them
     * @param cancelled polled between frames; true stops the export and leaves no file
     * @throws IOException with a message naming what is wrong (a shot without frames, an unwritable target…)
     */
    void exportMp4(Storyboard storyboard, Path mediaDir, Path target, EditorialRate rate, Progress progress,
                   BooleanSupplier cancelled) throws IOException;
}
