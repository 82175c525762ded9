package dev.storyboard.inference.session;

import java.util.Locale;
import java.util.Objects;

/**
 * How the seams between a shot's streamed chunks are sampled (docs/STORYDIT.md §7, docs/decisions/0008): each chunk
 * after the shot's first frames is sampled in a window behind the last {@code overlap} final frames, whose values are
 * inpainted step by step ({@link SeamBlend}). {@link #NONE} (overlap 0, the default) is the plain chunk loop.
 *
 * @param overlap O, latent frames re-sampled in front of every later chunk: 0 to chunk_frames − 1 (a window reaching
 *                frame 0 would carry the shot's caption; {@link #requireFits} checks it against the model)
 * @param split   which overlap frames are inpainted at each step
 */
public record SeamBlending(int overlap, Split split) {

    /** Which of the O overlap frames are replaced by the final frames (noised to t) before a step. */
    public enum Split {
        /**
         * StreamingT2V's randomized blending: the first l_k frames, l_k uniform in [0, O] per step, drawn from the
         * operation's seed; the rest follow the window's own trajectory.
         */
        RANDOM,
        /** Every overlap frame at every step (l_k = O): plain inpainting of the final frames. */
        FULL;

        /** The command-line spelling, e.g. "random". */
        public String spelling() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** No overlap: the plain chunk loop. */
    public static final SeamBlending NONE = new SeamBlending(0, Split.RANDOM);

    public SeamBlending {
        Objects.requireNonNull(split, "split");
        if (overlap < 0) {
            throw new IllegalArgumentException("blendOverlap must be >= 0 latent frames, was " + overlap);
        }
    }

    /** Throws, naming the option, when the overlap does not fit a model with chunks of {@code chunkFrames} frames. */
    public void requireFits(int chunkFrames) {
        if (overlap >= chunkFrames) {
            throw new IllegalArgumentException("blendOverlap must be below the model's chunk_frames (" + chunkFrames
                    + "), was " + overlap);
        }
    }

    /** Whether chunks are sampled behind an overlap at all. */
    public boolean enabled() {
        return overlap > 0;
    }

    /** The part of a generation-cache key that tells blended takes apart ("" when off, so old keys stay valid). */
    public String cacheKey() {
        return enabled() ? "/blend" + overlap + (split == Split.RANDOM ? "" : split.spelling()) : "";
    }
}
