package dev.storyboard.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A scene directed shot by shot: the shots in timeline order plus the settings they share.
 * Immutable; every edit returns a new storyboard.
 *
 * @param title        shown in the window title
 * @param scenePrompt  global prompt (characters, setting) shared by every shot; may be empty
 * @param fps          frames per second of the scene
 * @param width        native frame width in pixels
 * @param height       native frame height in pixels
 * @param shots        shots in timeline order
 */
public record Storyboard(String title, String scenePrompt, int fps, int width, int height, List<Shot> shots) {

    public Storyboard {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(scenePrompt, "scenePrompt");
        shots = List.copyOf(Objects.requireNonNull(shots, "shots"));
        if (fps <= 0 || fps > 240) {
            throw new IllegalArgumentException("fps must be in 1..240, was " + fps);
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size must be positive, was " + width + "x" + height);
        }
        long distinctIds = shots.stream().map(Shot::id).distinct().count();
        if (distinctIds != shots.size()) {
            throw new IllegalArgumentException("shot ids must be unique within a storyboard");
        }
    }

    public static Storyboard empty(String title, int fps, int width, int height) {
        return new Storyboard(title, "", fps, width, height, List.of());
    }

    public int totalFrames() {
        return shots.stream().mapToInt(Shot::durationFrames).sum();
    }

    public double durationSeconds() {
        return totalFrames() / (double) fps;
    }

    public Optional<Shot> shot(String id) {
        return shots.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    public Storyboard withShots(List<Shot> newShots) {
        return new Storyboard(title, scenePrompt, fps, width, height, newShots);
    }

    /** Replaces the shot with the same id. */
    public Storyboard withShot(Shot replacement) {
        List<Shot> copy = new ArrayList<>(shots);
        for (int i = 0; i < copy.size(); i++) {
            if (copy.get(i).id().equals(replacement.id())) {
                copy.set(i, replacement);
                return withShots(copy);
            }
        }
        throw new IllegalArgumentException("no shot with id " + replacement.id());
    }
}
