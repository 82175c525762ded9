package dev.storyboard.media.export;

import java.io.IOException;

/** An export failed or was cancelled; the message names the output and the reason. No partial file is left. */
public class ExportException extends IOException {
    private static final long serialVersionUID = 1L;

    public ExportException(String message, Throwable cause) {
        super(message, cause);
    }

    public ExportException(String message) {
        super(message);
    }
}
