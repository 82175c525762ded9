package dev.storyboard.judge.storyworld;

import dev.storyboard.judge.storyworld.Vocabulary.Setting;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The colours each setting's background is painted with, taken from the renderer
 * (training/storyworld/backgrounds.py): flat colours, vertical gradients (a segment in RGB between two
 * colours) and props whose colour is a base times a per-prop shade in [0.8, 1.15] (a segment too).
 * Antialiased edges, sub-pixel stars and windows mix two of these, so the set a background pixel can take is
 * the union of the parts and of the mixtures of two parts that touch on screen (sky and sun, windows and
 * their building, ...).
 *
 * <p>That set is rasterised once per setting into a lookup table over RGB quantised to 64 levels per channel
 * (cells of 4 intensity units), dilated by {@code tolerance} cells. {@link #explains} is then one bit test.
 */
public final class SettingPalette {
    static final int LEVELS = 64;
    private static final int SHIFT = 2;

    private final Map<Setting, BitSet> tables = new EnumMap<>(Setting.class);
    private final Map<Setting, BitSet> pureTables = new EnumMap<>(Setting.class);
    private final int tolerance;
    private final Map<Setting, List<float[][]>> paintsRgb255 = new EnumMap<>(Setting.class);

    private static final SettingPalette[] SHARED = new SettingPalette[4];

    /** The palette with the default tolerance (1 cell = 4 intensity units), for exact renders. */
    public static SettingPalette standard() {
        return forTolerance(1);
    }

    /** A shared palette with a tolerance of 1 to 3 cells (built once, about 50 ms each). */
    public static synchronized SettingPalette forTolerance(int tolerance) {
        if (tolerance < 1 || tolerance >= SHARED.length) {
            throw new IllegalArgumentException("tolerance must be 1.." + (SHARED.length - 1) + ", was " + tolerance);
        }
        if (SHARED[tolerance] == null) {
            SHARED[tolerance] = new SettingPalette(tolerance);
        }
        return SHARED[tolerance];
    }

    /** @param tolerance dilation of the colour set in cells of 4 intensity units */
    public SettingPalette(int tolerance) {
        this.tolerance = tolerance;
        for (Setting s : Setting.values()) {
            Parts parts = parts(s);
            List<float[][]> scaled = new ArrayList<>();
            for (Part p : parts.parts()) {
                float[][] c = new float[p.colours().length][3];
                for (int i = 0; i < c.length; i++) {
                    for (int k = 0; k < 3; k++) {
                        c[i][k] = p.colours()[i][k] * 255f;
                    }
                }
                scaled.add(c);
            }
            paintsRgb255.put(s, scaled);
            BitSet pure = new BitSet(LEVELS * LEVELS * LEVELS);
            for (Part p : parts.parts()) {
                rasterise(p.colours(), p.colours(), pure);
            }
            BitSet mixed = (BitSet) pure.clone();
            for (String[] pair : parts.touching()) {
                rasterise(parts.get(pair[0]).colours(), parts.get(pair[1]).colours(), mixed);
            }
            pureTables.put(s, dilate(pure, tolerance));
            tables.put(s, dilate(mixed, tolerance));
        }
    }

    public int tolerance() {
        return tolerance;
    }

    /** True when the RGB colour (0..255) is a background colour of the setting or a mixture of two. */
    public boolean explains(Setting s, int r, int g, int b) {
        return tables.get(s).get(index(r >> SHIFT, g >> SHIFT, b >> SHIFT));
    }

    /** True when the RGB colour is one of the setting's own paints (no mixtures). */
    public boolean explainsPure(Setting s, int r, int g, int b) {
        return pureTables.get(s).get(index(r >> SHIFT, g >> SHIFT, b >> SHIFT));
    }

    /**
     * Squared distance (8-bit RGB units) from a colour to the nearest of the setting's own paints (points and
     * segments, exact, no lookup table), capped at {@code cap}&sup2;.
     */
    public double paintDistance2(Setting s, int r, int g, int b, double cap) {
        double best = cap * cap;
        for (float[][] part : paintsRgb255.get(s)) {
            double d;
            if (part.length == 1) {
                double dr = r - part[0][0];
                double dg = g - part[0][1];
                double db = b - part[0][2];
                d = dr * dr + dg * dg + db * db;
            } else {
                double ar = part[0][0];
                double ag = part[0][1];
                double ab = part[0][2];
                double vr = part[1][0] - ar;
                double vg = part[1][1] - ag;
                double vb = part[1][2] - ab;
                double len2 = vr * vr + vg * vg + vb * vb;
                double t = len2 == 0 ? 0 : ((r - ar) * vr + (g - ag) * vg + (b - ab) * vb) / len2;
                t = Math.max(0, Math.min(1, t));
                double dr = r - (ar + t * vr);
                double dg = g - (ag + t * vg);
                double db = b - (ab + t * vb);
                d = dr * dr + dg * dg + db * db;
            }
            if (d < best) {
                best = d;
            }
        }
        return best;
    }

    private static int index(int r, int g, int b) {
        return (r * LEVELS + g) * LEVELS + b;
    }

    /** A paint of the setting: one colour (a point) or two (a segment), RGB 0..1. */
    record Part(String name, float[][] colours) {
    }

    /** The setting's paints and the pairs that meet on screen (so antialiasing mixes them). */
    record Parts(List<Part> parts, List<String[]> touching) {
        Part get(String name) {
            return parts.stream().filter(p -> p.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalStateException(name));
        }
    }

    static Parts parts(Setting s) {
        List<Part> p = new ArrayList<>();
        List<String[]> t = new ArrayList<>();
        switch (s) {
            case MEADOW -> {
                seg(p, "sky", 0.36, 0.6, 0.93, 0.74, 0.87, 0.98);
                pt(p, "sun", 1.0, 0.93, 0.55);
                seg(p, "grass", 0.45, 0.74, 0.34, 0.25, 0.55, 0.2);
                pt(p, "trunk", 0.45, 0.3, 0.17);
                shaded(p, "crown", 0.14, 0.45, 0.17);
                touch(t, "sky-sun", "sky-grass", "sky-crown", "sky-trunk", "grass-trunk", "grass-crown",
                        "trunk-crown", "sun-crown");
            }
            case BEACH -> {
                seg(p, "sky", 0.33, 0.6, 0.95, 0.8, 0.9, 0.98);
                pt(p, "sun", 1.0, 0.95, 0.6);
                seg(p, "sea", 0.08, 0.36, 0.64, 0.2, 0.6, 0.78);
                pt(p, "foam", 0.93, 0.97, 1.0);
                seg(p, "sand", 0.95, 0.86, 0.63, 0.87, 0.74, 0.5);
                pt(p, "hull", 0.35, 0.22, 0.15);
                pt(p, "sail", 0.98, 0.97, 0.93);
                touch(t, "sky-sun", "sky-sea", "sea-foam", "foam-sand", "sea-sand", "sky-sail", "sea-sail",
                        "sky-hull", "sea-hull", "hull-sail", "sun-sail");
            }
            case NIGHT -> {
                seg(p, "sky", 0.01, 0.02, 0.09, 0.08, 0.11, 0.3);
                pt(p, "star", 1.0, 0.98, 0.85);
                pt(p, "moon", 0.97, 0.95, 0.8);
                seg(p, "hills", 0.06, 0.1, 0.14, 0.03, 0.06, 0.08);
                touch(t, "sky-star", "sky-moon", "sky-hills", "star-hills", "star-moon");
            }
            case DESERT -> {
                seg(p, "sky", 0.4, 0.6, 0.9, 0.97, 0.87, 0.68);
                pt(p, "sun", 1.0, 0.97, 0.72);
                pt(p, "dunes", 0.85, 0.64, 0.4);
                seg(p, "sand", 0.96, 0.8, 0.53, 0.88, 0.7, 0.44);
                shaded(p, "cactus", 0.24, 0.52, 0.28);
                touch(t, "sky-sun", "sky-dunes", "dunes-sand", "sky-sand", "sand-cactus", "dunes-cactus",
                        "sky-cactus");
            }
            case SNOW -> {
                seg(p, "sky", 0.66, 0.77, 0.9, 0.9, 0.93, 0.97);
                pt(p, "sun", 1.0, 1.0, 0.93);
                seg(p, "rock", 0.93, 0.95, 0.99, 0.6, 0.67, 0.8);
                seg(p, "snow", 0.98, 0.99, 1.0, 0.85, 0.88, 0.96);
                pt(p, "trunk", 0.38, 0.26, 0.17);
                shaded(p, "pine", 0.11, 0.34, 0.25);
                touch(t, "sky-sun", "sky-rock", "rock-snow", "sky-snow", "snow-trunk", "snow-pine", "rock-pine",
                        "sky-pine", "trunk-pine", "rock-sun");
            }
            case CITY -> {
                seg(p, "sky", 0.45, 0.62, 0.88, 0.88, 0.87, 0.9);
                shaded(p, "building", 0.36, 0.4, 0.5);
                pt(p, "lit", 1.0, 0.87, 0.5);
                pt(p, "dark", 0.2, 0.24, 0.32);
                pt(p, "pavement", 0.56, 0.56, 0.56);
                seg(p, "road", 0.34, 0.34, 0.37, 0.26, 0.26, 0.29);
                pt(p, "dashes", 0.92, 0.9, 0.75);
                touch(t, "sky-building", "building-lit", "building-dark", "lit-dark", "building-pavement",
                        "sky-pavement", "pavement-road", "road-dashes");
            }
            default -> throw new IllegalStateException(s.name());
        }
        return new Parts(p, t);
    }

    private static void touch(List<String[]> t, String... pairs) {
        for (String pair : pairs) {
            t.add(pair.split("-"));
        }
    }

    private static void pt(List<Part> p, String name, double r, double g, double b) {
        p.add(new Part(name, new float[][] {{(float) r, (float) g, (float) b}}));
    }

    private static void seg(List<Part> p, String name, double r0, double g0, double b0, double r1, double g1,
                            double b1) {
        p.add(new Part(name, new float[][] {{(float) r0, (float) g0, (float) b0}, {(float) r1, (float) g1, (float) b1}}));
    }

    private static void shaded(List<Part> p, String name, double r, double g, double b) {
        seg(p, name, r * 0.8, g * 0.8, b * 0.8, Math.min(1, r * 1.15), Math.min(1, g * 1.15), Math.min(1, b * 1.15));
    }

    /** Marks every cell of {λ a + (1-λ) b : a in part A, b in part B, λ in [0,1]}. */
    private static void rasterise(float[][] a, float[][] b, BitSet out) {
        int na = steps(a);
        int nb = steps(b);
        float[] pa = new float[3];
        float[] pb = new float[3];
        for (int i = 0; i <= na; i++) {
            lerp(a, na == 0 ? 0 : i / (float) na, pa);
            for (int j = 0; j <= nb; j++) {
                lerp(b, nb == 0 ? 0 : j / (float) nb, pb);
                float d = Math.max(Math.abs(pa[0] - pb[0]), Math.max(Math.abs(pa[1] - pb[1]), Math.abs(pa[2] - pb[2])));
                int nl = a == b ? 0 : (int) Math.ceil(d * LEVELS);
                for (int k = 0; k <= nl; k++) {
                    float l = nl == 0 ? 0 : k / (float) nl;
                    int r = cell(pa[0] + l * (pb[0] - pa[0]));
                    int g = cell(pa[1] + l * (pb[1] - pa[1]));
                    int bl = cell(pa[2] + l * (pb[2] - pa[2]));
                    out.set(index(r, g, bl));
                }
            }
        }
    }

    private static int steps(float[][] part) {
        if (part.length == 1) {
            return 0;
        }
        float d = Math.max(Math.abs(part[0][0] - part[1][0]),
                Math.max(Math.abs(part[0][1] - part[1][1]), Math.abs(part[0][2] - part[1][2])));
        return (int) Math.ceil(d * LEVELS);
    }

    private static void lerp(float[][] part, float t, float[] out) {
        if (part.length == 1) {
            out[0] = part[0][0];
            out[1] = part[0][1];
            out[2] = part[0][2];
            return;
        }
        for (int c = 0; c < 3; c++) {
            out[c] = part[0][c] + t * (part[1][c] - part[0][c]);
        }
    }

    private static int cell(float v) {
        int c = Math.round(v * 255f) >> SHIFT;
        return Math.max(0, Math.min(LEVELS - 1, c));
    }

    private static BitSet dilate(BitSet in, int radius) {
        if (radius <= 0) {
            return in;
        }
        BitSet out = new BitSet(LEVELS * LEVELS * LEVELS);
        for (int i = in.nextSetBit(0); i >= 0; i = in.nextSetBit(i + 1)) {
            int b = i % LEVELS;
            int g = (i / LEVELS) % LEVELS;
            int r = i / (LEVELS * LEVELS);
            for (int dr = -radius; dr <= radius; dr++) {
                for (int dg = -radius; dg <= radius; dg++) {
                    for (int db = -radius; db <= radius; db++) {
                        int rr = r + dr;
                        int gg = g + dg;
                        int bb = b + db;
                        if (rr >= 0 && gg >= 0 && bb >= 0 && rr < LEVELS && gg < LEVELS && bb < LEVELS) {
                            out.set(index(rr, gg, bb));
                        }
                    }
                }
            }
        }
        return out;
    }
}
