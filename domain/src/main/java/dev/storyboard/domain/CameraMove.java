package dev.storyboard.domain;

/** How the camera moves during a shot. The phrase is what the prompt builder appends for the model. */
public enum CameraMove {
    STATIC("the camera stays static"),
    PAN_LEFT("the camera pans left"),
    PAN_RIGHT("the camera pans right"),
    ZOOM_IN("the camera zooms in"),
    ZOOM_OUT("the camera zooms out");

    private final String promptPhrase;

    CameraMove(String promptPhrase) {
        this.promptPhrase = promptPhrase;
    }

    public String promptPhrase() {
        return promptPhrase;
    }
}
