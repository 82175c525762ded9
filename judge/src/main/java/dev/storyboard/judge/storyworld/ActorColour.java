package dev.storyboard.judge.storyworld;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The actor's colour as the renderer paints it: every actor pixel (fill, light/shade, pattern marks at 55 %,
 * outline at 40 %, shaded pyramid face, wings) is the fill RGB times a factor, so all of them lie on one ray
 * from black in RGB. This class estimates the ray's direction from pixels believed to be the actor and tests
 * other pixels against it.
 */
public final class ActorColour {
    /** Angle tolerance (radians) of an exact render. */
    static final double MIN_ANGLE = 0.05;
    /** The angle tolerance is this many times the samples' median angle to the ray, when that exceeds MIN_ANGLE. */
    static final double SPREAD_FACTOR = 2.0;
    private final double[] dir;
    private final int samples;
    private final double maxBrightness;
    private final double angleTolerance;

    private ActorColour(double[] dir, int samples, double maxBrightness, double angleTolerance) {
        this.dir = dir;
        this.samples = samples;
        this.maxBrightness = maxBrightness;
        this.angleTolerance = angleTolerance;
    }

    /**
     * Angle (radians) a pixel may be off the ray, before the rounding allowance: {@link #MIN_ANGLE} for an exact
     * render, else twice the median angle of the samples to the ray (the actor's own measured noise).
     */
    public double angleTolerance() {
        return angleTolerance;
    }

    /**
     * True when the actor's own pixels scatter around the ray more than an exact render's do (their tolerance
     * is above {@link #MIN_ANGLE}): the frame is soft or noisy (blur, low-pass, compression, a generator).
     */
    public boolean soft() {
        return angleTolerance > MIN_ANGLE;
    }

    /** Brightest channel value (0..255) actor pixels reach: the 98th percentile of the samples. */
    public double maxBrightness() {
        return maxBrightness;
    }

    /** Unit RGB direction of the actor's colour ray. */
    public double[] direction() {
        return dir.clone();
    }

    public int samples() {
        return samples;
    }

    /**
     * Estimates the ray from BGR pixels: the per-channel median of the normalised RGB of the pixels whose
     * brightest channel is &ge; 24 (darker ones are mostly quantisation noise); null when there are none.
     * The angle tolerance follows the samples' spread around that ray ({@link #angleTolerance}).
     */
    public static ActorColour estimate(List<int[]> rgbPixels) {
        List<double[]> unit = new ArrayList<>();
        List<Integer> bright = new ArrayList<>();
        for (int[] p : rgbPixels) {
            int max = Math.max(p[0], Math.max(p[1], p[2]));
            bright.add(max);
            if (max < 24) {
                continue;
            }
            double len = Math.sqrt((double) p[0] * p[0] + (double) p[1] * p[1] + (double) p[2] * p[2]);
            unit.add(new double[] {p[0] / len, p[1] / len, p[2] / len});
        }
        if (unit.isEmpty()) {
            return null;
        }
        double[] d = new double[3];
        double[] col = new double[unit.size()];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < col.length; i++) {
                col[i] = unit.get(i)[c];
            }
            Arrays.sort(col);
            d[c] = col[col.length / 2];
        }
        double len = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
        double[] dir = {d[0] / len, d[1] / len, d[2] / len};
        bright.sort(null);
        double top = bright.get((int) Math.floor(0.98 * (bright.size() - 1)));
        double[] angles = new double[unit.size()];
        for (int i = 0; i < angles.length; i++) {
            double[] u = unit.get(i);
            angles[i] = Math.acos(Math.min(1.0, u[0] * dir[0] + u[1] * dir[1] + u[2] * dir[2]));
        }
        Arrays.sort(angles);
        double spread = SPREAD_FACTOR * angles[angles.length / 2];
        return new ActorColour(dir, unit.size(), top, Math.max(MIN_ANGLE, spread));
    }

    /**
     * True when the pixel lies on the ray: its angle to the direction is within {@link #angleTolerance} plus the
     * angle that rounding to 8 bits can cause at its brightness (2 / |rgb|), and it is not brighter than the actor gets
     * (so snow does not match a black actor's grey ray).
     */
    public boolean matches(int r, int g, int b) {
        double len = Math.sqrt((double) r * r + (double) g * g + (double) b * b);
        if (len < 8 || Math.max(r, Math.max(g, b)) > maxBrightness * 1.08 + 4) {
            return false;
        }
        double cos = (r * dir[0] + g * dir[1] + b * dir[2]) / len;
        double angle = Math.acos(Math.min(1.0, cos));
        return angle <= angleTolerance + 2.0 / len;
    }
}
