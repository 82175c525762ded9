package dev.storyboard.domain.generation;

/**
 * Receives a job's events on the inference thread; UI code must hop to its own thread and return fast.
 * Exactly one {@link #finished} per job, after its last chunk.
 */
public interface GenerationListener {
    default void progress(JobProgress progress) {
    }

    default void chunk(FrameChunk chunk) {
    }

    void finished(JobOutcome outcome);
}
