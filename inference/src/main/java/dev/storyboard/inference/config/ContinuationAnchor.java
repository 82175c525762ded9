package dev.storyboard.inference.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which picture a target that continues its shot starts from ({@code config.json → sampler.continuation_anchor}; the
 * session's {@code ContinuationStart} mixes it into the target's noise at t₀). The anchor is the shot's frame before
 * the target; with {@link #CAMERA} it is first carried by the shot's camera move to each target frame, so a pan or a
 * zoom goes on from the anchor instead of being held by it (docs/decisions/0021; the Python reference is {@code
 * flow.camera_carried_frames}).
 */
public enum ContinuationAnchor {
    /** The frame before the target, the same in every target frame (every model before session 36). */
    STILL,
    /**
     * The frame before the target carried by the shot's camera move ({@code sampler.camera_noise}'s rates, as the
     * shared noise moves): target frame f shows, at each pixel, what that frame showed at the world point there.
     */
    CAMERA;

    /** The config.json spelling: "still" or "camera". */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value spelt {@code key}; a clear error naming the accepted spellings otherwise. */
    public static ContinuationAnchor parse(String key) {
        return Arrays.stream(values()).filter(v -> v.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("sampler.continuation_anchor must be one of "
                        + Arrays.stream(values()).map(ContinuationAnchor::key).collect(Collectors.joining(", "))
                        + ", was '" + key + "'"));
    }
}
