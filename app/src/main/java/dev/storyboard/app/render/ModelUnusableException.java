package dev.storyboard.app.render;

/**
 * The model is there but cannot be used (damaged, unloadable, or the engine did not start); the exit code is
 * {@link dev.storyboard.app.cli.ExitCodes#unusableModel}'s. A model that is simply absent is not an exception:
 * {@link LocalEngine#start} returns no engine then.
 */
public final class ModelUnusableException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public ModelUnusableException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
