package dev.storyboard.domain.generation;

/**
 * Where a job is: chunk {@code chunk} of {@code chunks}, denoising step {@code step} of {@code steps}.
 */
public record JobProgress(String jobId, String shotId, int chunk, int chunks, int step, int steps) {
    /** Fraction done in [0, 1]. */
    public double fraction() {
        if (chunks == 0 || steps == 0) {
            return 0;
        }
        return (chunk + step / (double) steps) / chunks;
    }
}
