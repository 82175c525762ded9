package dev.storyboard.domain.generation;

import java.util.List;
import java.util.Objects;

/**
 * Frames decoded from one latent chunk, published the moment they exist.
 *
 * @param jobId      the job that produced them
 * @param shotId     the shot they belong to
 * @param takeId     the take they belong to (new take, or the take being extended)
 * @param firstFrame index of the first frame within the take
 * @param frames     the decoded frames, in order
 */
public record FrameChunk(String jobId, String shotId, String takeId, int firstFrame, List<VideoFrame> frames) {
    public FrameChunk {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(shotId, "shotId");
        Objects.requireNonNull(takeId, "takeId");
        frames = List.copyOf(frames);
        if (firstFrame < 0) {
            throw new IllegalArgumentException("firstFrame must be >= 0, was " + firstFrame);
        }
    }
}
