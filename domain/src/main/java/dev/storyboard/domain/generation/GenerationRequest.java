package dev.storyboard.domain.generation;

import dev.storyboard.domain.Storyboard;
import java.util.Objects;

/**
 * A unit of work for the generation service.
 *
 * <ul>
 *   <li>{@link Operation#GENERATE_TAKE}: a new take of {@code shotId} of {@code frames} frames, conditioned
 *       on the active takes of the shots before it (context-causal: later shots are not read).</li>
 *   <li>{@link Operation#EXTEND_TAKE}: {@code frames} more frames appended to take {@code sourceTakeId} of
 *       {@code shotId}, continuing it without a cut; only the new frames are computed. The new frames start
 *       right after the frames that take has <em>in {@code storyboard}</em> (its {@code generatedFrames}), even
 *       when the service holds more frames of it (an extension the editor undid).</li>
 * </ul>
 *
 * @param storyboard the scene as it is when the job is queued (prompts, shot order, active takes)
 * @param seed       noise seed; equal requests with equal seeds give equal frames
 * @param guidance   classifier-free guidance scale
 * @param steps      denoising steps per chunk, or 0 for the model's default
 */
public record GenerationRequest(Operation operation, Storyboard storyboard, String shotId, String sourceTakeId,
                                int frames, long seed, double guidance, int steps) {

    public enum Operation { GENERATE_TAKE, EXTEND_TAKE }

    public GenerationRequest {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(storyboard, "storyboard");
        Objects.requireNonNull(shotId, "shotId");
        if (storyboard.shot(shotId).isEmpty()) {
            throw new IllegalArgumentException("no shot " + shotId + " in the storyboard");
        }
        if (operation == Operation.EXTEND_TAKE && sourceTakeId == null) {
            throw new IllegalArgumentException("extending shot " + shotId + " needs the take to extend");
        }
        if (frames <= 0) {
            throw new IllegalArgumentException("frames must be > 0, was " + frames);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0 (0 = model default), was " + steps);
        }
    }

    /** A new take of the shot with its own duration, seed and guidance. */
    public static GenerationRequest newTake(Storyboard storyboard, String shotId) {
        var shot = storyboard.shot(shotId).orElseThrow(() -> new IllegalArgumentException("no shot " + shotId));
        return new GenerationRequest(Operation.GENERATE_TAKE, storyboard, shotId, null, shot.durationFrames(),
                shot.seed(), shot.guidance(), 0);
    }

    /** {@code frames} more frames for an existing take. */
    public static GenerationRequest extend(Storyboard storyboard, String shotId, String takeId, int frames, long seed) {
        var shot = storyboard.shot(shotId).orElseThrow(() -> new IllegalArgumentException("no shot " + shotId));
        return new GenerationRequest(Operation.EXTEND_TAKE, storyboard, shotId, takeId, frames, seed, shot.guidance(), 0);
    }
}
