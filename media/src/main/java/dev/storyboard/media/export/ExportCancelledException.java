package dev.storyboard.media.export;

/** The export was cancelled by its caller; the partial output was deleted. */
public final class ExportCancelledException extends ExportException {
    private static final long serialVersionUID = 1L;

    public ExportCancelledException(String message) {
        super(message);
    }
}
