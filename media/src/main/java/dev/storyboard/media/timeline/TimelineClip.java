package dev.storyboard.media.timeline;

import java.util.Objects;

/**
 * One shot as other editors see it: a clip of a media file plus the generation metadata that made it.
 *
 * @param mediaPath      path of the shot's exported media, relative to the timeline file (forward slashes)
 * @param durationFrames length in frames of the timeline's editorial rate (the media hold exactly as many)
 */
public record TimelineClip(String shotId, String name, String prompt, long seed, String camera, String shotSize,
                           String takeId, String mediaPath, int durationFrames) {
    public TimelineClip {
        Objects.requireNonNull(shotId, "shotId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(camera, "camera");
        Objects.requireNonNull(shotSize, "shotSize");
        Objects.requireNonNull(mediaPath, "mediaPath");
        if (durationFrames <= 0) {
            throw new IllegalArgumentException("clip " + name + ": duration must be > 0 frames, was " + durationFrames);
        }
    }
}
