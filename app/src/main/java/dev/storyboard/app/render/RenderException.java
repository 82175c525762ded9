package dev.storyboard.app.render;

/** A render cannot go on; the message says what is missing and what to do. */
public final class RenderException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public RenderException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
