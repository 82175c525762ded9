package dev.storyboard.inference.layout;

/**
 * The one rule that turns boxes into the silhouette masks a {@code actor_layout = "silhouette"} model reads
 * ({@code actor_silhouette.silhouette_masks} of one named kind, on boxes scaled by (W, H, W, H) of the latent grid, as
 * {@code box_planner.planned_masks} does): the kind's template, mirrored left to right when the actor faces left, is
 * stretched over the box and sampled bilinearly at each pixel centre inside it; pixels whose centre is outside the box
 * are 0. A box of NaN, or of zero width or height, has no pixel centre inside it: its mask is all zeros, which the
 * model reads as "no box given".
 *
 * <pre>
 * Shape legend
 *   N boxes    K kinds    s = template side    H, W = the latent grid
 *
 *   boxes (N, 4) x0 y0 x1 y1 shares   →  pixels x0·W, y0·H, x1·W, y1·H (float32)
 *   templates (K, s, s), kind k, facing ±1  →  T = templates[k], T[i][s − 1 − j] where facing &lt; 0
 *   pixel (x, y): u = (x + 0.5 − x0) / (x1 − x0),  v = (y + 0.5 − y0) / (y1 − y0)
 *                 inside iff 0 ≤ u ≤ 1 and 0 ≤ v ≤ 1 (NaN compares false)
 *                 p = clamp(u·s − 0.5, 0, s − 1),  i0 = min(⌊p⌋, s − 2),  i1 = min(i0 + 1, s − 1),  f = p − i0
 *                 (likewise q, j0, j1, g from v)
 *                 top = T[j0][i0]·(1 − f) + T[j0][i1]·f,  bottom = T[j1][i0]·(1 − f) + T[j1][i1]·f
 *                 mask = top·(1 − g) + bottom·g inside, 0 outside                      →  masks (N, H, W)
 * </pre>
 *
 * Every step is float32, in the reference's order. The engine names one kind per shot ({@link BoxPlanner#name}), so
 * the reference's mixture of templates by kind probabilities is here one template (a one-hot mixture is exact).
 */
public final class SilhouetteMasks {
    private SilhouetteMasks() {
    }

    /**
     * N boxes ({@link BoxPlanner#BOX} floats each) → N masks of h · w floats, row-major, each the template of
     * {@code kind} facing {@code facing}.
     *
     * @param templates K · s · s floats, each kind's template facing right, row-major
     * @param size      s, the templates' side
     * @param kind      which template, 0 ≤ kind &lt; K
     * @param facing    +1 the actor faces right (the template as it is), −1 left (mirrored)
     * @throws IllegalArgumentException naming what does not fit
     */
    public static float[] masks(float[] boxes, float[] templates, int size, int kind, int facing, int h, int w) {
        if (boxes.length % BoxPlanner.BOX != 0) {
            throw new IllegalArgumentException("boxes hold " + boxes.length + " floats, not whole boxes of "
                    + BoxPlanner.BOX);
        }
        int texels = size * size;
        if (size <= 0 || templates.length == 0 || templates.length % texels != 0) {
            throw new IllegalArgumentException("templates hold " + templates.length + " floats, not whole " + size
                    + " x " + size + " templates");
        }
        int kinds = templates.length / texels;
        if (kind < 0 || kind >= kinds) {
            throw new IllegalArgumentException("kind " + kind + " is not one of the " + kinds + " templates");
        }
        if (facing != 1 && facing != -1) {
            throw new IllegalArgumentException("facing must be +1 (right) or -1 (left), got " + facing);
        }
        float[] tmpl = new float[texels];                               // the named kind, facing its way
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                tmpl[i * size + j] = templates[kind * texels + i * size + (facing < 0 ? size - 1 - j : j)];
            }
        }
        int n = boxes.length / BoxPlanner.BOX;
        float[] out = new float[n * h * w];
        int[] c0 = new int[w];
        int[] c1 = new int[w];
        float[] cf = new float[w];
        boolean[] cin = new boolean[w];
        for (int b = 0; b < n; b++) {
            int o = b * BoxPlanner.BOX;
            // float32 products as the reference scales the boxes
            float x0 = boxes[o] * (float) w;
            float y0 = boxes[o + 1] * (float) h;
            float x1 = boxes[o + 2] * (float) w;
            float y1 = boxes[o + 3] * (float) h;
            float bw = x1 - x0;
            float bh = y1 - y0;
            for (int x = 0; x < w; x++) {
                float u = ((float) x + 0.5f - x0) / bw;
                cin[x] = u >= 0f && u <= 1f;
                if (cin[x]) {
                    float p = tap(u, size);
                    c0[x] = lower(p, size);
                    c1[x] = Math.min(c0[x] + 1, size - 1);
                    cf[x] = p - (float) c0[x];
                }
            }
            for (int y = 0; y < h; y++) {
                float v = ((float) y + 0.5f - y0) / bh;
                if (!(v >= 0f && v <= 1f)) {
                    continue;
                }
                float q = tap(v, size);
                int r0 = lower(q, size);
                int r1 = Math.min(r0 + 1, size - 1);
                float g = q - (float) r0;
                int row = (b * h + y) * w;
                for (int x = 0; x < w; x++) {
                    if (!cin[x]) {
                        continue;
                    }
                    float f = cf[x];
                    float top = tmpl[r0 * size + c0[x]] * (1f - f) + tmpl[r0 * size + c1[x]] * f;
                    float bottom = tmpl[r1 * size + c0[x]] * (1f - f) + tmpl[r1 * size + c1[x]] * f;
                    out[row + x] = top * (1f - g) + bottom * g;
                }
            }
        }
        return out;
    }

    /** clamp(c·s − 0.5, 0, s − 1): where a share c of the box reads the template, in texels. */
    private static float tap(float c, int size) {
        float p = c * (float) size - 0.5f;
        return Math.min(Math.max(p, 0f), (float) (size - 1));
    }

    /** min(⌊p⌋, s − 2), the lower texel (0 for a one-texel template). */
    private static int lower(float p, int size) {
        return Math.min((int) Math.floor(p), Math.max(size - 2, 0));
    }
}
