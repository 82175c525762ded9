package dev.storyboard.inference.session;

/** Thrown inside the session when its token is cancelled; the session's state is as before the operation. */
public final class CancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CancelledException() {
        super("cancelled", null, false, false);
    }
}
