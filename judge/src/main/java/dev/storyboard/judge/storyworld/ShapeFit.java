package dev.storyboard.judge.storyworld;

import dev.storyboard.judge.storyworld.Vocabulary.Kind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Fits each kind's silhouette ({@link KindShapes}) to an actor mask and scores the fit by intersection over
 * union. Like the renderer's alpha, a template pixel is set when its centre lies within the outline width of
 * the shape. Position comes from the mask's centroid (minus the kind's own centroid offset), size from the
 * mask's area, and angle, mirroring (birds, fish), wing/tail phase and a sub-pixel shift are searched.
 * Masks larger than {@link #WORK_RADIUS} px in radius are box-downsampled first, which keeps the cost per fit
 * bounded.
 */
final class ShapeFit {
    /** Radius (px) masks are reduced to before fitting. */
    static final double WORK_RADIUS = 8.0;

    /** One kind's best fit: IoU, centre (px), radius (px), angle (rad, clockwise), facing, phase index. */
    record Fit(Kind kind, double iou, double cx, double cy, double radius, double angle, int facing, int phase) {
    }

    /** Area of {d &le; delta} of the unit shape and its centroid, tabulated for a few delta. */
    private record UnitStats(double[] deltas, double[] areas, double ox, double oy) {
        double area(double delta) {
            if (delta <= deltas[0]) {
                return areas[0];
            }
            for (int i = 1; i < deltas.length; i++) {
                if (delta <= deltas[i]) {
                    double t = (delta - deltas[i - 1]) / (deltas[i] - deltas[i - 1]);
                    return areas[i - 1] + t * (areas[i] - areas[i - 1]);
                }
            }
            return areas[areas.length - 1];
        }
    }

    private static final Map<Kind, UnitStats> UNIT = new EnumMap<>(Kind.class);

    static {
        double[] deltas = {0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0};
        int n = 240;
        double ext = 1.9;
        double cell = 2 * ext / n;
        for (Kind k : Kind.values()) {
            double[] areas = new double[deltas.length];
            double sx = 0;
            double sy = 0;
            double sn = 0;
            for (int i = 0; i < n; i++) {
                double y = -ext + (i + 0.5) * cell;
                for (int j = 0; j < n; j++) {
                    double x = -ext + (j + 0.5) * cell;
                    double d = KindShapes.distance(k, x, y, 0.0);
                    for (int q = 0; q < deltas.length; q++) {
                        if (d <= deltas[q]) {
                            areas[q] += cell * cell;
                        }
                    }
                    if (d <= 0.1) {
                        sx += x;
                        sy += y;
                        sn++;
                    }
                }
            }
            UNIT.put(k, new UnitStats(deltas, areas, sx / sn, sy / sn));
        }
    }

    private ShapeFit() {
    }

    /**
     * Best fit of {@code kind} to the mask.
     *
     * @param outline outline width in pixels at the mask's resolution (1 px per 64 px of frame)
     */
    static Fit fit(boolean[] mask, int w, int h, Kind kind, double outline) {
        // reduce big masks
        int area0 = Masks.count(mask);
        if (area0 == 0) {
            return new Fit(kind, 0, 0, 0, 0, 0, 1, 0);
        }
        double approxR = Math.sqrt(area0 / Math.PI);
        int f = Math.max(1, (int) Math.floor(approxR / WORK_RADIUS));
        boolean[] m = mask;
        int mw = w;
        int mh = h;
        if (f > 1) {
            mw = w / f;
            mh = h / f;
            m = new boolean[mw * mh];
            for (int y = 0; y < mh; y++) {
                for (int x = 0; x < mw; x++) {
                    int c = 0;
                    for (int yy = 0; yy < f; yy++) {
                        for (int xx = 0; xx < f; xx++) {
                            if (mask[(y * f + yy) * w + x * f + xx]) {
                                c++;
                            }
                        }
                    }
                    m[y * mw + x] = 2 * c >= f * f;
                }
            }
        }
        double ol = outline / f;
        int area = 0;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < m.length; i++) {
            if (m[i]) {
                area++;
                mx += i % mw + 0.5;
                my += i / mw + 0.5;
            }
        }
        if (area == 0) {
            return new Fit(kind, 0, 0, 0, 0, 0, 1, 0);
        }
        mx /= area;
        my /= area;
        UnitStats u = UNIT.get(kind);
        double r = Math.sqrt(area / u.area(0.1));
        for (int it = 0; it < 4; it++) {
            r = Math.sqrt(area / u.area(ol / r));
        }
        double sym = KindShapes.symmetry(kind);
        double step = sym == 0 ? 0 : (sym >= Math.PI ? Math.toRadians(30) : Math.min(Math.toRadians(15), sym / 6));
        int nAngles = sym == 0 ? 1 : (int) Math.round(sym / step);
        int[] facings = KindShapes.hasFacing(kind) ? new int[] {1, -1} : new int[] {1};
        int phases = KindShapes.hasFacing(kind) ? KindShapes.PHASES.length : 1;
        // stage 1: coarse angle and facing at the area-derived radius
        List<Fit> coarse = new ArrayList<>();
        for (int a = 0; a < nAngles; a++) {
            double angle = a * step;
            for (int facing : facings) {
                double[] c = centre(u, mx, my, r, angle, facing);
                double iou = iou(m, mw, mh, area, kind, c[0], c[1], r, angle, facing, 0, ol);
                coarse.add(new Fit(kind, iou, c[0], c[1], r, angle, facing, 0));
            }
        }
        coarse.sort((p, q) -> Double.compare(q.iou(), p.iou()));
        // stage 2: around the two best, finer angle, radius and wing/tail phase
        Fit best = coarse.get(0);
        for (Fit start : coarse.subList(0, Math.min(2, coarse.size()))) {
            double[] angles = sym == 0 ? new double[] {0.0}
                    : new double[] {start.angle() - step / 2, start.angle(), start.angle() + step / 2};
            for (double angle : angles) {
                for (int phase = 0; phase < phases; phase++) {
                    for (double rs : new double[] {0.93, 1.0, 1.07}) {
                        double rr = r * rs;
                        double[] c = centre(u, mx, my, rr, angle, start.facing());
                        double iou = iou(m, mw, mh, area, kind, c[0], c[1], rr, angle, start.facing(), phase, ol);
                        if (iou > best.iou()) {
                            best = new Fit(kind, iou, c[0], c[1], rr, angle, start.facing(), phase);
                        }
                    }
                }
            }
        }
        // stage 3: sub-pixel shift and a last angle step
        Fit b = best;
        double[] angles = sym == 0 ? new double[] {b.angle()}
                : new double[] {b.angle() - step / 4, b.angle(), b.angle() + step / 4};
        for (double angle : angles) {
            for (double dx = -0.5; dx <= 0.5; dx += 0.5) {
                for (double dy = -0.5; dy <= 0.5; dy += 0.5) {
                    double iou = iou(m, mw, mh, area, kind, b.cx() + dx, b.cy() + dy, b.radius(), angle, b.facing(),
                            b.phase(), ol);
                    if (iou > best.iou()) {
                        best = new Fit(kind, iou, b.cx() + dx, b.cy() + dy, b.radius(), angle, b.facing(), b.phase());
                    }
                }
            }
        }
        return new Fit(kind, best.iou(), best.cx() * f, best.cy() * f, best.radius() * f, best.angle(), best.facing(),
                best.phase());
    }

    private static double[] centre(UnitStats u, double mx, double my, double r, double angle, int facing) {
        // local -> screen: dx = R (cos lx' - sin ly), dy = R (sin lx' + cos ly), lx' = lx * facing
        double lx = u.ox() * facing;
        double ly = u.oy();
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double ox = r * (cos * lx - sin * ly);
        double oy = r * (sin * lx + cos * ly);
        return new double[] {mx - ox, my - oy};
    }

    static double iou(boolean[] m, int w, int h, int maskArea, Kind kind, double cx, double cy, double r,
                      double angle, int facing, int phase, double outline) {
        double ext = 1.6 * r + outline + 1;
        int x0 = Math.max(0, (int) Math.floor(cx - ext));
        int x1 = Math.min(w - 1, (int) Math.ceil(cx + ext));
        int y0 = Math.max(0, (int) Math.floor(cy - ext));
        int y1 = Math.min(h - 1, (int) Math.ceil(cy + ext));
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        float[] t = KindShapes.table(kind, phase);
        int grid = KindShapes.GRID;
        double scale = (grid - 1) / (2 * KindShapes.EXTENT);
        double limit = outline / r;
        // grid coordinates are affine in the pixel position: g = g0 + x * gdx + y * gdy
        double ax = cos / r * facing * scale;
        double ay = sin / r * facing * scale;
        double bx = -sin / r * scale;
        double by = cos / r * scale;
        int inter = 0;
        int tmpl = 0;
        for (int y = y0; y <= y1; y++) {
            double dy = y + 0.5 - cy;
            double dx0 = x0 + 0.5 - cx;
            double gx = ax * dx0 + ay * dy + KindShapes.EXTENT * scale;
            double gy = bx * dx0 + by * dy + KindShapes.EXTENT * scale;
            int row = y * w;
            for (int x = x0; x <= x1; x++, gx += ax, gy += bx) {
                if (gx < 0 || gy < 0 || gx >= grid - 1 || gy >= grid - 1) {
                    continue;
                }
                int ix = (int) gx;
                int iy = (int) gy;
                double fx = gx - ix;
                double fy = gy - iy;
                int i = iy * grid + ix;
                double top = t[i] + fx * (t[i + 1] - t[i]);
                double bottom = t[i + grid] + fx * (t[i + grid + 1] - t[i + grid]);
                if (top + fy * (bottom - top) <= limit) {
                    tmpl++;
                    if (m[row + x]) {
                        inter++;
                    }
                }
            }
        }
        int union = maskArea + tmpl - inter;
        return union == 0 ? 0 : inter / (double) union;
    }
}
