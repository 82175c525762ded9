package dev.storyboard.domain.generation;

import java.util.concurrent.CompletionStage;

/** Handle of a queued or running job. */
public interface GenerationJob {
    String id();

    /**
     * Asks the job to stop. Returns at once; the job stops within one denoising step, leaves the scene's
     * caches as they were before it started, and finishes with {@link JobOutcome.Status#CANCELLED}.
     */
    void cancel();

    /** Completes with the same outcome the listener's {@code finished} receives. */
    CompletionStage<JobOutcome> outcome();
}
