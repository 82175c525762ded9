package dev.storyboard.app.cli;

/** Process exit codes of the {@code storyboard} commands. */
public final class ExitCodes {
    public static final int OK = 0;
    /** A check or operation failed; the message says what is missing. */
    public static final int FAILED = 1;
    /** Bad command-line input (picocli's own usage errors also use 2). */
    public static final int USAGE = 2;
    /** The project lacks what the command needs (e.g. shots without takes and no model to generate them). */
    public static final int MISSING_INPUT = 3;

    private ExitCodes() {
    }
}
