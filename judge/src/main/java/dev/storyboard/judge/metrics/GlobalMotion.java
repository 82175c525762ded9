package dev.storyboard.judge.metrics;

import dev.storyboard.judge.video.Clip;
import java.util.ArrayList;
import java.util.List;

/**
 * Global (camera) motion between consecutive frames as a 3-parameter similarity without rotation: a pixel at
 * p moves to {@code c + s (p - c) + t}, where c is the frame centre, s the zoom factor and t = (tx, ty) the
 * shift in pixels. Estimated directly from the pixels (Lucas&ndash;Kanade style Gauss&ndash;Newton on all
 * three colour channels, coarse to fine over a pyramid whose finest level is at most {@value #FINE_SIZE} px,
 * Geman&ndash;McClure-like robust weights, each step started from the previous one), so textureless
 * directions stay near zero instead of being guessed: the aperture problem is handled by the normal
 * equations, and a small ridge keeps an unobservable parameter at 0.
 *
 * <p>Pixels can be excluded (the actor, known overlays) with an ignore mask per frame.
 */
public final class GlobalMotion {

    /**
     * Motion from frame t to t+1.
     *
     * @param scale    zoom factor s
     * @param tx       x shift, px
     * @param ty       y shift, px
     * @param textureX information on the x shift that remains once zoom and y shift are fitted, per pixel used
     *                 (1 / (H<sup>-1</sup>)<sub>00</sub> of the Gauss&ndash;Newton normal matrix H, intensity&sup2;
     *                 per px&sup2;, 3 channels): near 0 on a plain sky or when only sloped lines are visible
     * @param textureY the same for the y shift
     * @param coverage share of the frame's pixels that were used (not ignored, inside after warping)
     * @param reliable the estimate stayed within bounds (|s-1| &le; 0.08, |t| &le; 10 % of the frame) and used
     *                 &ge; 15 % of the frame
     */
    public record Step(double scale, double tx, double ty, double textureX, double textureY, double coverage,
                       boolean reliable) {
    }

    /** Minimum texture (see {@link Step#textureX}) for a direction to count as observed. */
    public static final double MIN_TEXTURE = 0.02;

    /**
     * Motion of a whole clip.
     *
     * @param steps         per consecutive pair
     * @param totalScale    product of the step scales (&gt; 1: the picture grows, a zoom in)
     * @param totalShiftX   sum of the x shifts, px (&gt; 0: the picture moves right, the camera pans left)
     * @param totalShiftY   sum of the y shifts, px
     */
    public record Result(Step[] steps, double totalScale, double totalShiftX, double totalShiftY, int width,
                         int height) {
        /** Total x shift as a fraction of the frame width. */
        public double shiftXPerWidth() {
            return totalShiftX / width;
        }

        public double shiftYPerHeight() {
            return totalShiftY / height;
        }
    }

    private static final int ITERATIONS = 6;

    private GlobalMotion() {
    }

    /** Longest side (px) of the finest pyramid level used; bigger frames are estimated on a reduced copy. */
    static final int FINE_SIZE = 64;

    /** Global motion of a clip; {@code ignore[f]} (may be null, or null per frame) marks pixels to leave out. */
    public static Result estimate(Clip clip, boolean[][] ignore) {
        int n = clip.frameCount();
        int w = clip.width();
        int h = clip.height();
        Step[] steps = new Step[Math.max(0, n - 1)];
        double scale = 1;
        double sx = 0;
        double sy = 0;
        Level[] prev = pyramid(channels(clip.bgr(0), w, h), ignore == null ? null : ignore[0], w, h);
        double[] init = {0, 0, 0};
        for (int t = 0; t + 1 < n; t++) {
            Level[] next = pyramid(channels(clip.bgr(t + 1), w, h), ignore == null ? null : ignore[t + 1], w, h);
            Step s = step(prev, next, init, 0.08);
            // report in full-resolution pixels
            double f = w / (double) next[0].w;
            steps[t] = new Step(s.scale(), s.tx() * f, s.ty() * f, s.textureX(), s.textureY(), s.coverage(),
                    s.reliable());
            scale *= s.scale();
            sx += s.tx() * f;
            sy += s.ty() * f;
            init = s.reliable() ? new double[] {s.tx(), s.ty(), s.scale() - 1} : new double[] {0, 0, 0};
            prev = next;
        }
        return new Result(steps, scale, sx, sy, w, h);
    }

    /** One pyramid level: 3 channels, optional skip mask, size. */
    private record Level(float[][] img, boolean[] skip, int w, int h) {
    }

    /** Levels from the finest used (long side &le; FINE_SIZE) down to about 16 px; index 0 = finest. */
    private static Level[] pyramid(float[][] img, boolean[] skip, int w, int h) {
        List<Level> levels = new ArrayList<>();
        Level l = new Level(img, skip, w, h);
        while (Math.max(l.w, l.h) > FINE_SIZE && Math.min(l.w, l.h) >= 16) {
            l = halve(l);
        }
        levels.add(l);
        while (Math.min(l.w, l.h) >= 32) {
            l = halve(l);
            levels.add(l);
        }
        return levels.toArray(new Level[0]);
    }

    private static Level halve(Level l) {
        return new Level(half(l.img, l.w, l.h), l.skip == null ? null : halfMask(l.skip, l.w, l.h), l.w / 2, l.h / 2);
    }

    private static boolean[] union(boolean[] a, boolean[] b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        boolean[] out = new boolean[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] || b[i];
        }
        return out;
    }

    /** Estimates the step between two frames, coarse to fine, starting from {@code init} (finest-level px). */
    private static Step step(Level[] a, Level[] b, double[] init, double maxZoom) {
        int top = a.length - 1;
        double f = Math.pow(2, top);
        double[] p = {init[0] / f, init[1] / f, init[2]};
        double[] stats = null;
        for (int lv = top; lv >= 0; lv--) {
            boolean[] skip = union(a[lv].skip, b[lv].skip);
            stats = solve(a[lv].img, b[lv].img, a[lv].w, a[lv].h, skip, p);
            if (lv > 0) {
                p[0] *= 2;
                p[1] *= 2;
            }
        }
        int w = a[0].w;
        int h = a[0].h;
        double limit = (maxZoom > 0.1 ? 0.6 : 0.1) * Math.max(w, h);
        boolean bounded = Math.abs(p[2]) <= maxZoom && Math.abs(p[0]) <= limit && Math.abs(p[1]) <= limit;
        if (!bounded) {
            return new Step(1, 0, 0, stats[0], stats[1], stats[2], false);
        }
        return new Step(1 + p[2], p[0], p[1], stats[0], stats[1], stats[2], stats[2] >= 0.15);
    }

    /**
     * Gauss-Newton iterations refining p in place.
     *
     * @return {textureX, textureY, coverage} of the last iteration
     */
    private static double[] solve(float[][] a, float[][] b, int w, int h, boolean[] skip, double[] p) {
        double cx = w / 2.0;
        double cy = h / 2.0;
        double[] stats = {0, 0, 0};
        double sigma = 16.0; // robust scale, intensity units
        float[][] gxb = new float[3][];
        float[][] gyb = new float[3][];
        for (int c = 0; c < 3; c++) {
            gxb[c] = new float[w * h];
            gyb[c] = new float[w * h];
            for (int y = 1; y < h - 1; y++) {
                for (int x = 1; x < w - 1; x++) {
                    int i = y * w + x;
                    gxb[c][i] = (b[c][i + 1] - b[c][i - 1]) * 0.5f;
                    gyb[c][i] = (b[c][i + w] - b[c][i - w]) * 0.5f;
                }
            }
        }
        for (int it = 0; it < ITERATIONS; it++) {
            double h00 = 0;
            double h01 = 0;
            double h02 = 0;
            double h11 = 0;
            double h12 = 0;
            double h22 = 0;
            double g0 = 0;
            double g1 = 0;
            double g2 = 0;
            int used = 0;
            double s = 1 + p[2];
            for (int y = 1; y < h - 1; y++) {
                double py = y + 0.5;
                double qy = cy + s * (py - cy) + p[1] - 0.5;
                if (qy < 1 || qy >= h - 2) {
                    continue;
                }
                int iy = (int) qy;
                double fy = qy - iy;
                for (int x = 1; x < w - 1; x++) {
                    int i = y * w + x;
                    if (skip != null && skip[i]) {
                        continue;
                    }
                    double px = x + 0.5;
                    double qx = cx + s * (px - cx) + p[0] - 0.5;
                    if (qx < 1 || qx >= w - 2) {
                        continue;
                    }
                    int ix = (int) qx;
                    double fx = qx - ix;
                    int j = iy * w + ix;
                    double rx = px - cx;
                    double ry = py - cy;
                    for (int c = 0; c < 3; c++) {
                        double r = bilinear(b[c], j, w, fx, fy) - a[c][i];
                        double gx = bilinear(gxb[c], j, w, fx, fy);
                        double gy = bilinear(gyb[c], j, w, fx, fy);
                        double wt = 1.0 / (1.0 + (r * r) / (sigma * sigma));
                        wt *= wt;
                        double j2 = gx * rx + gy * ry;
                        h00 += wt * gx * gx;
                        h01 += wt * gx * gy;
                        h02 += wt * gx * j2;
                        h11 += wt * gy * gy;
                        h12 += wt * gy * j2;
                        h22 += wt * j2 * j2;
                        g0 += wt * gx * r;
                        g1 += wt * gy * r;
                        g2 += wt * j2 * r;
                    }
                    used++;
                }
            }
            if (used == 0) {
                return new double[] {0, 0, 0};
            }
            // a tiny ridge only keeps a textureless parameter from blowing up
            double ridge = 1e-4 * used;
            double[][] hm = {{h00 + ridge, h01, h02}, {h01, h11 + ridge, h12}, {h02, h12, h22 + ridge * w * w / 16.0}};
            double[] d = solve3(hm, new double[] {g0, g1, g2});
            // damped steps: at most 1 px shift and 2 % zoom per iteration
            double d0 = Math.max(-1, Math.min(1, d[0]));
            double d1 = Math.max(-1, Math.min(1, d[1]));
            double d2 = Math.max(-0.02, Math.min(0.02, d[2]));
            p[0] -= d0;
            p[1] -= d1;
            p[2] -= d2;
            // information on tx (ty) left after the other two parameters are fitted: 1 / (H^-1)_00 per pixel
            double[] ex = solve3(hm, new double[] {1, 0, 0});
            double[] ey = solve3(hm, new double[] {0, 1, 0});
            double infoX = ex[0] > 0 ? 1.0 / ex[0] / used : 0.0;
            double infoY = ey[1] > 0 ? 1.0 / ey[1] / used : 0.0;
            stats = new double[] {infoX, infoY, used / (double) (w * h)};
            if (Math.abs(d0) < 1e-3 && Math.abs(d1) < 1e-3 && Math.abs(d2) < 1e-5) {
                break;
            }
        }
        return stats;
    }

    private static double bilinear(float[] img, int j, int w, double fx, double fy) {
        double top = img[j] + fx * (img[j + 1] - img[j]);
        double bottom = img[j + w] + fx * (img[j + w + 1] - img[j + w]);
        return top + fy * (bottom - top);
    }

    private static double[] solve3(double[][] m, double[] v) {
        double a = m[0][0];
        double b = m[0][1];
        double c = m[0][2];
        double d = m[1][0];
        double e = m[1][1];
        double f = m[1][2];
        double g = m[2][0];
        double h = m[2][1];
        double i = m[2][2];
        double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
        if (Math.abs(det) < 1e-12) {
            return new double[3];
        }
        double[] x = new double[3];
        x[0] = (v[0] * (e * i - f * h) - b * (v[1] * i - f * v[2]) + c * (v[1] * h - e * v[2])) / det;
        x[1] = (a * (v[1] * i - f * v[2]) - v[0] * (d * i - f * g) + c * (d * v[2] - v[1] * g)) / det;
        x[2] = (a * (e * v[2] - v[1] * h) - b * (d * v[2] - v[1] * g) + v[0] * (d * h - e * g)) / det;
        return x;
    }

    static float[][] channels(byte[] bgr, int w, int h) {
        float[][] c = new float[3][w * h];
        for (int i = 0, j = 0; i < w * h; i++, j += 3) {
            c[0][i] = bgr[j] & 0xFF;
            c[1][i] = bgr[j + 1] & 0xFF;
            c[2][i] = bgr[j + 2] & 0xFF;
        }
        return c;
    }

    private static float[][] half(float[][] img, int w, int h) {
        int w2 = w / 2;
        int h2 = h / 2;
        float[][] out = new float[img.length][w2 * h2];
        for (int c = 0; c < img.length; c++) {
            for (int y = 0; y < h2; y++) {
                for (int x = 0; x < w2; x++) {
                    int i = 2 * y * w + 2 * x;
                    out[c][y * w2 + x] = (img[c][i] + img[c][i + 1] + img[c][i + w] + img[c][i + w + 1]) / 4f;
                }
            }
        }
        return out;
    }

    private static boolean[] halfMask(boolean[] m, int w, int h) {
        int w2 = w / 2;
        int h2 = h / 2;
        boolean[] out = new boolean[w2 * h2];
        for (int y = 0; y < h2; y++) {
            for (int x = 0; x < w2; x++) {
                int i = 2 * y * w + 2 * x;
                out[y * w2 + x] = m[i] || m[i + 1] || m[i + w] || m[i + w + 1];
            }
        }
        return out;
    }
}
