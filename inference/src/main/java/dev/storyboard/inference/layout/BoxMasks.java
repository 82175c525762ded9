package dev.storyboard.inference.layout;

/**
 * The one rule that turns boxes into the box masks an {@code actor_box_cond} model reads
 * ({@code actor_box.boxes_to_masks} on boxes scaled by (W, H, W, H) of the latent grid, as {@code
 * box_planner.planned_masks} does): a box x0 y0 x1 y1 in shares of the frame covers the rows floor(y0·H) .. ceil(y1·H)
 * and the columns floor(x0·W) .. ceil(x1·W), the ends exclusive, as the renderer's labels cover the actor. A box of
 * NaN is no box: its mask is all zeros, which the model reads as "no box given".
 *
 * <pre>
 *   boxes (N, 4) shares  →  masks (N, H, W), 1 inside the box
 * </pre>
 */
public final class BoxMasks {
    private BoxMasks() {
    }

    /** N boxes ({@link BoxPlanner#BOX} floats each) → N masks of h · w floats, row-major. */
    public static float[] masks(float[] boxes, int h, int w) {
        if (boxes.length % BoxPlanner.BOX != 0) {
            throw new IllegalArgumentException("boxes hold " + boxes.length + " floats, not whole boxes of "
                    + BoxPlanner.BOX);
        }
        int n = boxes.length / BoxPlanner.BOX;
        float[] out = new float[n * h * w];
        for (int i = 0; i < n; i++) {
            int b = i * BoxPlanner.BOX;
            // float32 products as the reference scales the boxes; NaN compares false, so a NaN box covers nothing
            float x0 = (float) Math.floor(boxes[b] * (float) w);
            float y0 = (float) Math.floor(boxes[b + 1] * (float) h);
            float x1 = (float) Math.ceil(boxes[b + 2] * (float) w);
            float y1 = (float) Math.ceil(boxes[b + 3] * (float) h);
            for (int y = 0; y < h; y++) {
                if (!(y >= y0 && y < y1)) {
                    continue;
                }
                for (int x = 0; x < w; x++) {
                    if (x >= x0 && x < x1) {
                        out[(i * h + y) * w + x] = 1f;
                    }
                }
            }
        }
        return out;
    }
}
