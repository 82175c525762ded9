package dev.storyboard.inference.layout;

import dev.storyboard.inference.config.StoryDiTConfig;

/**
 * The one rule that paints silhouettes the colour a model of {@code actor_layout = "painted"} reads
 * ({@code actor_silhouette.painted_masks}): each silhouette becomes {@link #CHANNELS} planes, the silhouette itself and
 * then the silhouette times the colour's red, green and blue. The first plane keeps a black actor apart from no actor;
 * zeros (no box) stay zeros in every plane, which the model reads as "no box given".
 *
 * <pre>
 *   silhouettes (N, H, W) in [0, 1] ({@link SilhouetteMasks}), rgb (3) in [0, 1]
 *     →  masks (N, 4, H, W):  [s, s·r, s·g, s·b]   (float32 products, as the reference multiplies)
 * </pre>
 */
public final class PaintedMasks {
    /** Planes per painted silhouette: the silhouette, then it times red, green and blue ({@code ActorLayout.PAINTED}). */
    public static final int CHANNELS = StoryDiTConfig.ActorLayout.PAINTED.channels();
    /** Values per colour: red, green, blue. */
    public static final int RGB = 3;

    private PaintedMasks() {
    }

    /**
     * N silhouettes of h · w floats, row-major, → N painted masks of {@link #CHANNELS} · h · w floats, row-major
     * (N, channel, y, x), all painted {@code rgb}.
     *
     * @param rgb the colour, red, green and blue (a palette row: the colour's mean fill)
     * @throws IllegalArgumentException naming what does not fit
     */
    public static float[] masks(float[] silhouettes, float[] rgb, int h, int w) {
        int plane = h * w;
        if (plane <= 0 || silhouettes.length % plane != 0) {
            throw new IllegalArgumentException("silhouettes hold " + silhouettes.length + " floats, not whole " + h + " x "
                    + w + " masks");
        }
        if (rgb.length != RGB) {
            throw new IllegalArgumentException("a colour is " + RGB + " values (red, green, blue), got " + rgb.length);
        }
        int n = silhouettes.length / plane;
        float[] out = new float[n * CHANNELS * plane];
        for (int i = 0; i < n; i++) {
            int from = i * plane;
            int to = i * CHANNELS * plane;
            System.arraycopy(silhouettes, from, out, to, plane);
            for (int c = 0; c < RGB; c++) {
                int at = to + (1 + c) * plane;
                for (int p = 0; p < plane; p++) {
                    out[at + p] = silhouettes[from + p] * rgb[c];
                }
            }
        }
        return out;
    }
}
