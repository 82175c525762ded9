package dev.storyboard.domain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One shot of a storyboard: what the creator asked for and the takes generated for it. Immutable;
 * edits produce a new value so that undo can restore the previous one exactly.
 *
 * @param id             stable identifier within the project
 * @param prompt         what happens in the shot, in the creator's words
 * @param durationFrames how many frames the timeline shows (≤ the active take's frames is a trim)
 * @param camera         camera move
 * @param shotSize       framing
 * @param seed           seed for the next generation
 * @param guidance       classifier-free guidance scale
 * @param takes          generations kept for this shot, oldest first
 * @param activeTakeId   the take the timeline shows, or null when none
 */
public record Shot(
        String id,
        String prompt,
        int durationFrames,
        CameraMove camera,
        ShotSize shotSize,
        long seed,
        double guidance,
        List<Take> takes,
        String activeTakeId) {

    public Shot {
        Objects.requireNonNull(id, "shot id");
        Objects.requireNonNull(prompt, "shot prompt");
        Objects.requireNonNull(camera, "shot camera");
        Objects.requireNonNull(shotSize, "shot size");
        takes = List.copyOf(Objects.requireNonNull(takes, "shot takes"));
        if (id.isBlank()) {
            throw new IllegalArgumentException("shot id must not be blank");
        }
        if (durationFrames <= 0) {
            throw new IllegalArgumentException("shot " + id + ": durationFrames must be > 0, was " + durationFrames);
        }
        if (!Guidance.isValid(guidance)) {
            throw new IllegalArgumentException("shot " + id + ": " + Guidance.problem(guidance));
        }
        if (activeTakeId != null && takes.stream().noneMatch(t -> t.id().equals(activeTakeId))) {
            throw new IllegalArgumentException("shot " + id + ": active take " + activeTakeId + " is not one of its takes");
        }
    }

    /** A new shot with no takes yet. */
    public static Shot planned(String id, String prompt, int durationFrames, CameraMove camera, ShotSize shotSize, long seed) {
        return new Shot(id, prompt, durationFrames, camera, shotSize, seed, Guidance.DEFAULT, List.of(), null);
    }

    public Optional<Take> activeTake() {
        return takes.stream().filter(t -> t.id().equals(activeTakeId)).findFirst();
    }

    public Shot withPrompt(String newPrompt) {
        return new Shot(id, newPrompt, durationFrames, camera, shotSize, seed, guidance, takes, activeTakeId);
    }

    public Shot withDuration(int newDurationFrames) {
        return new Shot(id, prompt, newDurationFrames, camera, shotSize, seed, guidance, takes, activeTakeId);
    }

    /** The text the model is conditioned on: the creator's prompt plus camera and framing phrases. */
    public String modelPrompt() {
        return prompt.strip() + ", " + camera.promptPhrase() + ", " + shotSize.promptPhrase();
    }
}
