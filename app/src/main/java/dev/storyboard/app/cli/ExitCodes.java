package dev.storyboard.app.cli;

/**
 * Process exit codes of the {@code storyboard} commands: one table for every command, documented in the
 * README ("Exit codes") and checked by {@code ExitCodeTableTest}.
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** A check or operation failed: a file could not be read or written (an invalid project, damaged media, a full disk). */
    public static final int FAILED = 1;
    /** Bad command-line input (picocli's own usage errors also use 2), or an output path the output rule refuses. */
    public static final int USAGE = 2;
    /** The input lacks what the command needs: a project without shots, or shots without takes and no usable model. */
    public static final int MISSING_INPUT = 3;

    private ExitCodes() {
    }
}
