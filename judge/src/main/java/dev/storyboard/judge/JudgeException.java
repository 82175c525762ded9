package dev.storyboard.judge;

/**
 * Bad input to the judge: an unreadable or empty video, frames of different sizes, a clip too short for a
 * metric, a malformed labels file. The message names the input and the problem, so a CLI can print it as is.
 */
public class JudgeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JudgeException(String message) {
        super(message);
    }

    public JudgeException(String message, Throwable cause) {
        super(message, cause);
    }
}
