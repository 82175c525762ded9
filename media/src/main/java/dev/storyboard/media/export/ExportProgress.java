package dev.storyboard.media.export;

/** Progress callback of an export, called on the exporting thread after each frame. */
@FunctionalInterface
public interface ExportProgress {
    ExportProgress NONE = (done, total) -> { };

    void framesWritten(int done, int total);
}
