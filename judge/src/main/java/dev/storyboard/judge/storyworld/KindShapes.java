package dev.storyboard.judge.storyworld;

import dev.storyboard.judge.storyworld.Vocabulary.Kind;
import java.util.EnumMap;
import java.util.Map;

/**
 * Signed distance functions of the actor kinds in local units (radius 1, x towards the facing direction,
 * y down), the same geometry as the renderer's figures (training/storyworld/actors.py): a negative distance
 * is inside. Birds flap and fish wag with {@code phase} (radians, 2&pi; per cycle).
 */
final class KindShapes {
    private static final double SQRT3 = Math.sqrt(3.0);
    private static final double[][] STAR = starPolygon(1.1, 0.48);
    private static final double[][] PYRAMID = {{-1.0, 1.0 / SQRT3}, {1.0, 1.0 / SQRT3}, {0.0, -2.0 / SQRT3}};

    /** Tabulated distance fields: grid over [-EXTENT, EXTENT]^2, bilinear lookups. */
    static final double EXTENT = 1.8;
    static final int GRID = 97;
    static final double[] PHASES = {0.0, 2 * Math.PI / 3, 4 * Math.PI / 3};
    private static final Map<Kind, float[][]> TABLES = new EnumMap<>(Kind.class);

    static {
        for (Kind k : Kind.values()) {
            int phases = hasFacing(k) ? PHASES.length : 1;
            float[][] t = new float[phases][GRID * GRID];
            for (int p = 0; p < phases; p++) {
                for (int i = 0; i < GRID; i++) {
                    double y = -EXTENT + 2 * EXTENT * i / (GRID - 1);
                    for (int j = 0; j < GRID; j++) {
                        double x = -EXTENT + 2 * EXTENT * j / (GRID - 1);
                        t[p][i * GRID + j] = (float) distance(k, x, y, PHASES[p]);
                    }
                }
            }
            TABLES.put(k, t);
        }
    }

    private KindShapes() {
    }

    /** The tabulated distance field of a kind and phase (row-major GRID x GRID over [-EXTENT, EXTENT]^2). */
    static float[] table(Kind k, int phaseIndex) {
        return TABLES.get(k)[phaseIndex];
    }

    /** Tabulated silhouette distance (bilinear); {@code phaseIndex} indexes {@link #PHASES} (0 for rigid kinds). */
    static double lookup(Kind k, int phaseIndex, double x, double y) {
        double gx = (x + EXTENT) * (GRID - 1) / (2 * EXTENT);
        double gy = (y + EXTENT) * (GRID - 1) / (2 * EXTENT);
        if (gx < 0 || gy < 0 || gx >= GRID - 1 || gy >= GRID - 1) {
            return 1.0;
        }
        int ix = (int) gx;
        int iy = (int) gy;
        double fx = gx - ix;
        double fy = gy - iy;
        float[] t = TABLES.get(k)[phaseIndex];
        int i = iy * GRID + ix;
        double top = t[i] + fx * (t[i + 1] - t[i]);
        double bottom = t[i + GRID] + fx * (t[i + GRID + 1] - t[i + GRID]);
        return top + fy * (bottom - top);
    }

    /** Rotational symmetry period of the silhouette in radians (2&pi; for none; 0 for full circles). */
    static double symmetry(Kind k) {
        return switch (k) {
            case BALL, RING -> 0.0;
            case CUBE -> Math.PI / 2;
            case STAR -> 2 * Math.PI / 5;
            case PYRAMID -> 2 * Math.PI / 3;
            case BIRD, FISH -> 2 * Math.PI;
        };
    }

    /** True for kinds drawn mirrored when they face left. */
    static boolean hasFacing(Kind k) {
        return k == Kind.BIRD || k == Kind.FISH;
    }

    /** Silhouette distance (body and details, as the renderer's outline and alpha use). */
    static double distance(Kind k, double x, double y, double phase) {
        switch (k) {
            case BALL:
                return Math.hypot(x, y) - 1.0;
            case CUBE:
                return roundedBox(x, y, 0.86, 0.86, 0.14);
            case PYRAMID:
                return triangle(x, y, PYRAMID[0][0], PYRAMID[0][1], PYRAMID[1][0], PYRAMID[1][1], PYRAMID[2][0],
                        PYRAMID[2][1]);
            case STAR:
                return polygon(x, y, STAR);
            case RING:
                return Math.abs(Math.hypot(x, y) - (1.0 - 0.275)) - 0.275;
            case BIRD: {
                double flap = 0.5 + 0.5 * Math.sin(phase);
                double d = ellipse(x + 0.12, y - 0.12, 0.8, 0.52);
                d = Math.min(d, Math.hypot(x - 0.56, y + 0.22) - 0.4);
                d = Math.min(d, triangle(x, y, -0.72, 0.0, -1.22, -0.3, -1.16, 0.32));
                d = Math.min(d, triangle(x, y, -0.55, 0.02, 0.25, 0.02, -0.38, -0.3 - 0.62 * flap));
                d = Math.min(d, triangle(x, y, 0.86, -0.36, 0.86, -0.1, 1.26, -0.23));
                return d;
            }
            case FISH: {
                double wag = 0.14 * Math.sin(phase);
                double d = ellipse(x - 0.12, y, 0.86, 0.56);
                d = Math.min(d, triangle(x, y, -0.6, 0.0, -1.15, -0.52 + wag, -1.15, 0.52 + wag));
                d = Math.min(d, triangle(x, y, -0.2, -0.4, 0.35, -0.45, -0.12, -0.78));
                return d;
            }
            default:
                throw new IllegalStateException(k.name());
        }
    }

    private static double[][] starPolygon(double r, double innerRatio) {
        double[][] p = new double[10][2];
        for (int i = 0; i < 10; i++) {
            double a = Math.PI * i / 5.0;
            double rr = i % 2 == 0 ? r : r * innerRatio;
            p[i][0] = rr * Math.sin(a);
            p[i][1] = -rr * Math.cos(a);
        }
        return p;
    }

    /** The renderer's ellipse distance: implicit function over its gradient length. */
    static double ellipse(double x, double y, double a, double b) {
        double k0 = Math.hypot(x / a, y / b);
        double k1 = Math.max(Math.hypot(x / (a * a), y / (b * b)), 1e-6);
        return k0 * (k0 - 1.0) / k1;
    }

    static double roundedBox(double x, double y, double hw, double hh, double corner) {
        double qx = Math.abs(x) - (hw - corner);
        double qy = Math.abs(y) - (hh - corner);
        double outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
        double inside = Math.min(Math.max(qx, qy), 0);
        return outside + inside - corner;
    }

    static double triangle(double x, double y, double x0, double y0, double x1, double y1, double x2, double y2) {
        double d = Double.MAX_VALUE;
        boolean inside = false;
        double[] xs = {x0, x1, x2};
        double[] ys = {y0, y1, y2};
        for (int i = 0, j = 2; i < 3; j = i++) {
            double ex = xs[j] - xs[i];
            double ey = ys[j] - ys[i];
            double wx = x - xs[i];
            double wy = y - ys[i];
            double t = Math.max(0, Math.min(1, (wx * ex + wy * ey) / (ex * ex + ey * ey)));
            double bx = wx - ex * t;
            double by = wy - ey * t;
            d = Math.min(d, bx * bx + by * by);
            boolean c1 = y >= ys[i];
            boolean c2 = y < ys[j];
            boolean c3 = ex * wy > ey * wx;
            if ((c1 && c2 && c3) || (!c1 && !c2 && !c3)) {
                inside = !inside;
            }
        }
        double dist = Math.sqrt(d);
        return inside ? -dist : dist;
    }

    /** Exact signed distance to a simple polygon (negative inside). */
    static double polygon(double x, double y, double[][] v) {
        double d = Double.MAX_VALUE;
        boolean inside = false;
        for (int i = 0, j = v.length - 1; i < v.length; j = i++) {
            double ex = v[j][0] - v[i][0];
            double ey = v[j][1] - v[i][1];
            double wx = x - v[i][0];
            double wy = y - v[i][1];
            double t = Math.max(0, Math.min(1, (wx * ex + wy * ey) / (ex * ex + ey * ey)));
            double bx = wx - ex * t;
            double by = wy - ey * t;
            d = Math.min(d, bx * bx + by * by);
            boolean c1 = y >= v[i][1];
            boolean c2 = y < v[j][1];
            boolean c3 = ex * wy > ey * wx;
            if ((c1 && c2 && c3) || (!c1 && !c2 && !c3)) {
                inside = !inside;
            }
        }
        double dist = Math.sqrt(d);
        return inside ? -dist : dist;
    }
}
