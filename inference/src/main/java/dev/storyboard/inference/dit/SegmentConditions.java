package dev.storyboard.inference.dit;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;

/**
 * The per-segment conditions of one forward besides the timesteps, each optional:
 *
 * <pre>
 *   captions     (B, G, 384)  pooled caption per segment ({@link CaptionCondition}; caption_cond models). Null:
 *                             derived from the layout's text segments (needed when a shot's caption is only in the cache)
 *   shotLabels   B × G        camera / shot-size labels per segment ({@link ShotCondition}; shot_cond models).
 *                             Null: every label null
 * </pre>
 *
 * Models without the matching condition ignore the field.
 */
public record SegmentConditions(NDArray captions, ShotLabel[][] shotLabels) {
    /** Captions from the layout, null shot labels. */
    public static final SegmentConditions NONE = new SegmentConditions(null, null);

    public SegmentConditions {
        if (shotLabels != null) {
            shotLabels = Arrays.stream(shotLabels).map(ShotLabel[]::clone).toArray(ShotLabel[][]::new);
        }
    }

    public static SegmentConditions captions(NDArray captions) {
        return new SegmentConditions(captions, null);
    }

    public SegmentConditions withShotLabels(ShotLabel[][] labels) {
        return new SegmentConditions(captions, labels);
    }

    /** One label for every segment of every batch row: B × G. */
    public static ShotLabel[][] repeat(ShotLabel[] perSegment, int batch) {
        ShotLabel[][] out = new ShotLabel[batch][];
        for (int b = 0; b < batch; b++) {
            out[b] = perSegment.clone();
        }
        return out;
    }

    @Override
    public ShotLabel[][] shotLabels() {
        return shotLabels == null ? null : Arrays.stream(shotLabels).map(ShotLabel[]::clone).toArray(ShotLabel[][]::new);
    }
}
