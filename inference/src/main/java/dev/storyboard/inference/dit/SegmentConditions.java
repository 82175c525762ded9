package dev.storyboard.inference.dit;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;

/**
 * The conditions of one forward besides the timesteps, each optional: per segment the pooled caption and the shot
 * labels, per frame of the segments the actor's box and the previous frame.
 *
 * <pre>
 *   captions     (B, G, 384)        pooled caption per segment ({@link CaptionCondition}; caption_cond models). Null:
 *                                   derived from the layout's text segments (needed when a shot's caption is only in
 *                                   the cache)
 *   shotLabels   B × G              camera / shot-size labels per segment ({@link ShotCondition}; shot_cond models).
 *                                   Null: every label null
 *   actorBox     (B, F, Cb, H, W)   the actor's box of every frame of the forward, 1 inside, 0 outside, or what the
 *                                   model's actor layout draws there (Cb its channels: a silhouette, 1; a painted
 *                                   silhouette, 4) ({@link ConvEncoder}; actor_box_cond models only). Null: no box, the
 *                                   same as zeros
 *   prevFrame    (B, F, C, H, W)    per frame of the forward, the shot's final frame before the frame's target when
 *                                   the target continues its shot, zeros for the other frames ({@link ConvEncoder};
 *                                   prev_frame_cond models only). Null: none, the same as zeros
 * </pre>
 *
 * Models without the caption or label condition ignore those fields; a box or a previous frame given to a model
 * without that input is an error ({@link StoryDiT#forward}).
 */
public record SegmentConditions(NDArray captions, ShotLabel[][] shotLabels, NDArray actorBox, NDArray prevFrame) {
    /** Captions from the layout, null shot labels, no box, no previous frame. */
    public static final SegmentConditions NONE = new SegmentConditions(null, null, null, null);

    public SegmentConditions {
        if (shotLabels != null) {
            shotLabels = Arrays.stream(shotLabels).map(ShotLabel[]::clone).toArray(ShotLabel[][]::new);
        }
    }

    /** Captions and labels, no box, no previous frame. */
    public SegmentConditions(NDArray captions, ShotLabel[][] shotLabels) {
        this(captions, shotLabels, null, null);
    }

    /** Captions, labels and the actor's box, no previous frame. */
    public SegmentConditions(NDArray captions, ShotLabel[][] shotLabels, NDArray actorBox) {
        this(captions, shotLabels, actorBox, null);
    }

    public static SegmentConditions captions(NDArray captions) {
        return new SegmentConditions(captions, null, null, null);
    }

    public SegmentConditions withShotLabels(ShotLabel[][] labels) {
        return new SegmentConditions(captions, labels, actorBox, prevFrame);
    }

    /** The same conditions with the actor's box of every frame, (B, F, 1, H, W); null = no box. */
    public SegmentConditions withActorBox(NDArray box) {
        return new SegmentConditions(captions, shotLabels, box, prevFrame);
    }

    /** The same conditions with the previous frame of every frame, (B, F, C, H, W); null = none. */
    public SegmentConditions withPrevFrame(NDArray prev) {
        return new SegmentConditions(captions, shotLabels, actorBox, prev);
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
