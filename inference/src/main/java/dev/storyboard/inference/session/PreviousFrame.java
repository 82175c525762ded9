package dev.storyboard.inference.session;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.storyboard.inference.config.StoryDiTConfig;
import java.util.Arrays;

/**
 * The shot's final frame before a target: the one rule for which frame a target that does not begin its shot (a
 * later chunk of a streamed shot, the first chunk of an extension of a take, a seam-blending window) continues, and
 * the input a model that reads it is given ({@code prev_frame_cond}; others get none, and their forwards are what they
 * were). Two readers of the same frame:
 *
 * <ul>
 *   <li>{@link ContinuationStart}: the target's start mixes it with the target's noise ({@link Sampling#start});</li>
 *   <li>{@link #input}: every denoising forward of the target gives it to the model as the previous frame of each
 *       target frame, whether the continuation start is on or not, the same in every CFG row (the null-caption stream
 *       of {@link ChunkGuidance#EVERY_CHUNK} included); inline context frames get zeros, context forwards none, and a
 *       target that begins its shot none ({@code stream_probe.stream_shot}, {@code train_dit.prev_frames}).</li>
 * </ul>
 *
 * The frame is the shot's latents as the session keeps them: the sampler's output, unclamped.
 */
final class PreviousFrame {
    /** A model without the input: no inputs. */
    static final PreviousFrame NONE = new PreviousFrame(null);

    private final StoryDiTConfig cfg;          // null = the model reads no previous frame

    private PreviousFrame(StoryDiTConfig cfg) {
        this.cfg = cfg;
    }

    /** The model's input: given when it reads the previous frame, else {@link #NONE}. */
    static PreviousFrame of(StoryDiTConfig cfg) {
        return cfg.prevFrameCond() ? new PreviousFrame(cfg) : NONE;
    }

    /**
     * The shot's final frame before frame {@code firstFrame}, {@code frameSize} floats of {@code shotLatents}
     * (frame-major); null when {@code firstFrame} is 0: a target that begins its shot continues nothing.
     */
    static float[] before(float[] shotLatents, int firstFrame, int frameSize) {
        if (firstFrame == 0) {
            return null;
        }
        if (firstFrame < 0 || firstFrame * frameSize > shotLatents.length) {
            throw new IllegalArgumentException("no frame before frame " + firstFrame + " in a shot of "
                    + shotLatents.length / frameSize + " frames");
        }
        return Arrays.copyOfRange(shotLatents, (firstFrame - 1) * frameSize, firstFrame * frameSize);
    }

    /**
     * The previous-frame input (rows, F, C, H, W) of a forward over {@code contextFrames} inline context frames and then
     * the frames of {@code target} of a shot whose latents are {@code shotLatents}, in scope: zeros for the context
     * frames, the shot's frame before the target ({@link #before}) for every target frame, the same in every row. Null
     * for a model without the input, and for a target that begins its shot (zeros everywhere: none).
     */
    NDArray input(NDManager scope, float[] shotLatents, FrameSpan target, int contextFrames, int rows) {
        if (cfg == null) {
            return null;
        }
        int frameSize = cfg.latentFrameSize();
        float[] previous = before(shotLatents, target.start(), frameSize);
        if (previous == null) {
            return null;
        }
        int frames = contextFrames + target.count();
        float[] all = new float[rows * frames * frameSize];                          // (rows, F, C·H·W), zeros
        for (int r = 0; r < rows; r++) {
            for (int f = contextFrames; f < frames; f++) {
                System.arraycopy(previous, 0, all, (r * frames + f) * frameSize, frameSize);
            }
        }
        return scope.create(all, new Shape(rows, frames, cfg.latentChannels(), cfg.latentH(), cfg.latentW()));
    }
}
