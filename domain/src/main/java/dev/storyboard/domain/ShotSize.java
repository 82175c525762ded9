package dev.storyboard.domain;

/** Framing of a shot, from the whole setting to the actor filling the frame. */
public enum ShotSize {
    WIDE("wide shot"),
    MEDIUM("medium shot"),
    CLOSE_UP("close-up");

    private final String promptPhrase;

    ShotSize(String promptPhrase) {
        this.promptPhrase = promptPhrase;
    }

    public String promptPhrase() {
        return promptPhrase;
    }
}
