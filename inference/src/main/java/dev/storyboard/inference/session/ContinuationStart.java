package dev.storyboard.inference.session;

/**
 * Anchored continuation: a target that does not begin its shot (a later chunk of a streamed shot, the first chunk of
 * an extension, a seam-blending window) starts below t = 1, from the shot's final frame before it, noised to t₀,
 * <pre>
 *   x_{t₀} = (1 − t₀) · z_prev + t₀ · ε_f        for every frame f of the target
 * </pre>
 * and samples only the schedule's times below t₀ after one step from t₀ (SDEdit's start, Meng et al. 2022, applied to
 * each chunk seam). The composition at the noisiest times then comes from the frame the viewer has just seen, not from
 * noise the model must read against its context: the frames keep the actor and the setting and do not break into
 * patches, while the times below t₀ still draw the motion (docs/decisions/0010). ε_f is the target's INITIAL noise
 * ({@link ShotNoisePrior}). Under a moving camera the model's {@link dev.storyboard.inference.config.ContinuationAnchor
 * anchor} may carry z_prev to each frame f first ({@link AnchorFrames}, docs/decisions/0021). A shot's first chunk
 * always starts from noise at t = 1. Which frame z_prev is: {@link PreviousFrame}, which a {@code prev_frame_cond}
 * model also reads as an input, on or off.
 *
 * @param t t₀ in (0, 1]; 1 ({@link #OFF}) = every target starts from noise at t = 1, bit for bit the plain sampler
 */
public record ContinuationStart(double t) {
    /** Every target starts from noise at t = 1: the sampling of every model trained without the anchor in mind. */
    public static final ContinuationStart OFF = new ContinuationStart(1.0);

    public ContinuationStart {
        if (!(t > 0 && t <= 1)) {
            throw new IllegalArgumentException("continuation start must be in (0, 1], was " + t);
        }
    }

    /** Whether later chunks start from their previous frame (t₀ &lt; 1). */
    public boolean enabled() {
        return t < 1;
    }

    /**
     * x at t₀ of a target: {@code noise} mixed with {@code anchors}, one anchor per target frame ({@link AnchorFrames},
     * the same length); a new array.
     */
    float[] start(float[] noise, float[] anchors) {
        if (anchors.length != noise.length) {
            throw new IllegalArgumentException("one anchor per target frame: " + anchors.length + " anchor values for "
                    + noise.length + " noise values");
        }
        float[] x = new float[noise.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) ((1 - t) * anchors[i] + t * noise[i]);
        }
        return x;
    }
}
