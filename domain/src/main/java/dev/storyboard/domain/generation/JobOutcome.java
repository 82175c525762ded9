package dev.storyboard.domain.generation;

import dev.storyboard.domain.Take;
import java.util.List;
import java.util.Objects;

/**
 * How a job ended.
 *
 * @param take              the new or extended take when {@link Status#COMPLETED}; null otherwise
 * @param staleShotIds      later shots whose context changed because of this job (they were generated
 *                          against the old take and may be regenerated)
 * @param message           human-readable reason for FAILED/CANCELLED, or a summary
 */
public record JobOutcome(String jobId, Status status, Take take, List<String> staleShotIds, String message) {
    public enum Status { COMPLETED, CANCELLED, FAILED }

    public JobOutcome {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(status, "status");
        staleShotIds = List.copyOf(staleShotIds);
        Objects.requireNonNull(message, "message");
        if ((status == Status.COMPLETED) != (take != null)) {
            throw new IllegalArgumentException("a take is present exactly when the job completed");
        }
    }
}
