package dev.storyboard.domain;

import java.util.Objects;

/**
 * One generation of a shot. A take keeps all frames it ever generated ({@code generatedFrames});
 * the shot's duration may show fewer of them (a non-destructive trim).
 *
 * @param id              stable identifier within the project
 * @param seed            noise seed the take was generated with
 * @param generatedFrames number of frames that exist for this take
 * @param mediaFile       file of the take's frames, relative to the project's media folder (may be empty before rendering)
 */
public record Take(String id, long seed, int generatedFrames, String mediaFile) {
    public Take {
        Objects.requireNonNull(id, "take id");
        Objects.requireNonNull(mediaFile, "take mediaFile (use \"\" when none)");
        if (id.isBlank()) {
            throw new IllegalArgumentException("take id must not be blank");
        }
        if (generatedFrames < 0) {
            throw new IllegalArgumentException("take " + id + ": generatedFrames must be >= 0, was " + generatedFrames);
        }
    }
}
