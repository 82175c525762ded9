package dev.storyboard.judge.storyworld;

import dev.storyboard.judge.metrics.GlobalMotion;
import dev.storyboard.judge.storyworld.Vocabulary.Action;
import dev.storyboard.judge.storyworld.Vocabulary.Camera;
import dev.storyboard.judge.storyworld.Vocabulary.Colour;
import dev.storyboard.judge.storyworld.Vocabulary.Kind;
import dev.storyboard.judge.storyworld.Vocabulary.Pattern;
import dev.storyboard.judge.storyworld.Vocabulary.Setting;
import dev.storyboard.judge.video.Clip;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Analyses one storyworld shot: setting fit, actor masks, colour, kind, pattern, camera and action. See
 * docs/JUDGE.md for the method and the measured accuracy. Thresholds are constants below; they were set on
 * clips rendered from seeds 0..299 and are evaluated on other seeds.
 */
public final class ShotAnalyzer {
    /** Cap of the per-pixel paint distance (8-bit RGB units) in the setting fit. */
    static final double SETTING_CAP = 12.0;
    /** Saturation below which the actor counts as white or black. */
    static final double ACHROMATIC_SATURATION = 0.25;
    /** Brightest-pixel value separating white (above) from black actors. */
    static final double WHITE_VALUE = 0.75;
    /** |log zoom| over a shot above which the camera zooms. */
    static final double ZOOM_LOG = Math.log(1.15);
    /** |background shift| (fraction of the width) above which the camera pans. */
    static final double PAN_SHIFT = 0.08;
    /** |log size ratio| above which the actor grows or shrinks. */
    static final double SIZE_LOG = 0.3;
    /** Horizontal travel (frame heights) of a move. */
    static final double MOVE_DX = 0.15;
    /** Downward travel (frame heights) of a fall. */
    static final double FALL_DY = 0.2;
    /** Rise (frame heights) of a bounce. */
    static final double BOUNCE_LIFT = 0.1;
    /** Mid-shot share of the growth above which growth is eased (approaches) rather than steady (grows). */
    static final double APPROACH_MID = 0.64;
    /** Frames used for kind fitting and pattern. */
    static final int SHAPE_FRAMES = 4;

    /** Render noise (median paint distance, 8-bit units) below which the exact palette (tolerance 1) is used. */
    static final double NOISE_EXACT = 1.0;
    /** Render noise below which tolerance 2 is used; above it, 3. */
    static final double NOISE_MILD = 2.5;

    private final SettingPalette palette;
    private final Integer fixedTolerance;

    /** An analyser that always uses this palette (and its tolerance). */
    public ShotAnalyzer(SettingPalette palette) {
        this.palette = palette;
        this.fixedTolerance = palette.tolerance();
    }

    /** An analyser that picks the palette tolerance from the frames' render noise ({@link #toleranceFor}). */
    public ShotAnalyzer() {
        this.palette = SettingPalette.standard();
        this.fixedTolerance = null;
    }

    /**
     * Palette tolerance for a render noise: exact renders (noise about 0.4) get 1 cell, compressed or generated
     * frames 2 or 3 cells; an analyser built with a fixed palette always uses that one.
     */
    public int toleranceFor(double noise) {
        if (fixedTolerance != null) {
            return fixedTolerance;
        }
        return noise < NOISE_EXACT ? 1 : noise < NOISE_MILD ? 2 : 3;
    }

    /**
     * How far the shot's pixels are from the setting's paints: the median of the exact distance (8-bit RGB
     * units, capped at 12) over every other pixel of the first, middle and last frame. About 0.4 for exact
     * renders (rounding), 1.5&ndash;3 for MPEG-4 at q=2, more for blurrier or noisier frames. The actor's pixels
     * are a minority and do not move the median.
     */
    public double renderNoise(Clip shot, Setting setting) {
        List<Double> d = new ArrayList<>();
        int n = shot.frameCount();
        int[] frames = n >= 3 ? new int[] {0, n / 2, n - 1} : (n == 2 ? new int[] {0, 1} : new int[] {0});
        for (int f : frames) {
            byte[] bgr = shot.bgr(f);
            for (int j = 0; j < bgr.length; j += 6) {
                d.add(Math.sqrt(palette.paintDistance2(setting, bgr[j + 2] & 0xFF, bgr[j + 1] & 0xFF, bgr[j] & 0xFF,
                        SETTING_CAP)));
            }
        }
        d.sort(null);
        return d.get(d.size() / 2);
    }

    /**
     * Mean capped squared distance of the shot's pixels (every other pixel of the first, middle and last
     * frame) to each setting's paints; lower fits better.
     */
    public double[] settingFit(Clip shot) {
        double[] fit = new double[Setting.values().length];
        int n = shot.frameCount();
        int[] frames = n >= 3 ? new int[] {0, n / 2, n - 1} : (n == 2 ? new int[] {0, 1} : new int[] {0});
        int count = 0;
        for (int f : frames) {
            byte[] bgr = shot.bgr(f);
            for (int i = 0, j = 0; j < bgr.length; i += 2, j += 6) {
                int b = bgr[j] & 0xFF;
                int g = bgr[j + 1] & 0xFF;
                int r = bgr[j + 2] & 0xFF;
                for (Setting s : Setting.values()) {
                    fit[s.ordinal()] += palette.paintDistance2(s, r, g, b, SETTING_CAP);
                }
                count++;
            }
        }
        for (int s = 0; s < fit.length; s++) {
            fit[s] /= count;
        }
        return fit;
    }

    static Setting best(double[] fit) {
        int best = 0;
        for (int i = 1; i < fit.length; i++) {
            if (fit[i] < fit[best]) {
                best = i;
            }
        }
        return Setting.values()[best];
    }

    /** Full analysis of a shot whose setting is known (or was decided for the whole scene). */
    public ShotVerdict analyse(Clip shot, int index, Setting setting, double[] settingFit) {
        double noise = renderNoise(shot, setting);
        return analyse(shot, index, setting, settingFit, noise, toleranceFor(noise));
    }

    /**
     * Full analysis with a given palette tolerance (a scene uses one tolerance for all its shots).
     *
     * @param noise     the render noise measured for the shot or scene (reported as is)
     * @param tolerance palette tolerance in cells of 4 intensity units, 1..3
     */
    public ShotVerdict analyse(Clip shot, int index, Setting setting, double[] settingFit, double noise,
                               int tolerance) {
        SettingPalette palette = SettingPalette.forTolerance(tolerance);
        ActorSegmenter segmenter = new ActorSegmenter(palette);
        int w = shot.width();
        int h = shot.height();
        int n = shot.frameCount();
        List<String> notes = new ArrayList<>();
        List<byte[]> frames = new ArrayList<>(n);
        for (int f = 0; f < n; f++) {
            frames.add(shot.bgr(f));
        }
        boolean[][] masks = segmenter.segmentShot(frames, w, h, setting);
        Track track = Track.of(masks, w, h);
        double adherence = paintAdherence(frames, masks, setting, w, h, palette);

        // colour
        List<int[]> pixels = new ArrayList<>();
        List<Integer> values = new ArrayList<>();
        for (int f = 0; f < n; f++) {
            boolean[] core = Masks.erode(masks[f], w, h, 1);
            boolean useCore = Masks.count(core) >= 12;
            byte[] bgr = frames.get(f);
            for (int i = 0; i < w * h; i++) {
                if (useCore ? core[i] : masks[f][i]) {
                    int r = bgr[3 * i + 2] & 0xFF;
                    int g = bgr[3 * i + 1] & 0xFF;
                    int b = bgr[3 * i] & 0xFF;
                    pixels.add(new int[] {r, g, b});
                    values.add(Math.max(r, Math.max(g, b)));
                }
            }
        }
        ActorColour ray = ActorColour.estimate(pixels);
        double hue = 0;
        double sat = 0;
        double value = 0;
        Colour colour = Colour.WHITE;
        if (ray == null) {
            notes.add("no actor found: colour, kind and action are guesses");
        } else {
            double[] d = ray.direction();
            double max = Math.max(d[0], Math.max(d[1], d[2]));
            double min = Math.min(d[0], Math.min(d[1], d[2]));
            sat = max <= 0 ? 0 : (max - min) / max;
            hue = hueDegrees(d[0], d[1], d[2]);
            values.sort(null);
            value = values.get((int) Math.floor(0.95 * (values.size() - 1))) / 255.0;
            colour = classifyColour(hue, sat, value);
        }

        // kind and pattern from the best frames
        int[] shapeFrames = track.shapeFrames(SHAPE_FRAMES);
        double outline = h / 64.0;
        Map<String, Double> kindFit = new LinkedHashMap<>();
        Kind kind = Kind.BALL;
        double bestFit = -1;
        for (Kind k : Kind.values()) {
            double sum = 0;
            for (int f : shapeFrames) {
                sum += ShapeFit.fit(masks[f], w, h, k, outline).iou();
            }
            double mean = shapeFrames.length == 0 ? 0 : sum / shapeFrames.length;
            kindFit.put(k.label(), mean);
            if (mean > bestFit) {
                bestFit = mean;
                kind = k;
            }
        }
        if (bestFit < 0.6 && ray != null) {
            notes.add(String.format(Locale.ROOT, "actor shape fits no kind well (best IoU %.2f)", bestFit));
        }
        double[] pat = patternShare(frames, masks, shapeFrames, w, h);
        Pattern pattern = pat[0] < PLAIN_SHARE ? Pattern.PLAIN : (pat[2] >= STRIPE_ELONGATION ? Pattern.STRIPES : Pattern.DOTS);
        boolean patternReliable = pat[1] >= 80;

        // camera
        boolean[][] ignore = new boolean[n][];
        for (int f = 0; f < n; f++) {
            ignore[f] = Masks.dilate(masks[f], w, h, 2);
        }
        GlobalMotion.Result gm = GlobalMotion.estimate(shot, ignore);
        CameraEstimate cam = CameraEstimate.of(gm);
        // actor motion in the first frame's coordinates
        Motion motion = Motion.of(track, cam, w, h, outline);
        Decision decision = decide(motion, cam);
        Camera camera = decision.camera();
        Action action = decision.action();
        if (!cam.horizontalObservable && !isZoom(camera)) {
            notes.add("background has no horizontal texture: pan judged from the actor's travel");
        }
        if (track.visibleFrames() < n / 2) {
            notes.add("actor visible in only " + track.visibleFrames() + " of " + n + " frames");
        }
        Map<String, Double> motionMap = new LinkedHashMap<>();
        motionMap.put("dx", motion.dx);
        motionMap.put("dy", motion.dy);
        motionMap.put("lift", motion.lift);
        motionMap.put("logSize", motion.logSize);
        motionMap.put("screenDx", motion.screenDx);
        motionMap.put("startOffset", motion.startOffset);
        motionMap.put("endOffset", motion.endOffset);
        motionMap.put("midFraction", motion.midFraction);
        motionMap.put("bounce", motion.bounce);
        Map<String, Double> settingMap = new LinkedHashMap<>();
        for (Setting s : Setting.values()) {
            settingMap.put(s.label(), settingFit[s.ordinal()]);
        }
        return new ShotVerdict(index, setting, settingMap, noise, tolerance, adherence, track.visibleFrames(), colour, hue, sat, value,
                kind, kindFit, pattern, pat[0], pat[2], patternReliable, camera, Math.exp(cam.logZoom), cam.shiftX,
                cam.shiftY, cam.horizontalObservable, action, action.direction(), motionMap, notes);
    }

    // ------------------------------------------------------------------ colour

    static double hueDegrees(double r, double g, double b) {
        double max = Math.max(r, Math.max(g, b));
        double min = Math.min(r, Math.min(g, b));
        double d = max - min;
        if (d <= 1e-9) {
            return 0;
        }
        double hh;
        if (max == r) {
            hh = 60 * (((g - b) / d) % 6);
        } else if (max == g) {
            hh = 60 * ((b - r) / d + 2);
        } else {
            hh = 60 * ((r - g) / d + 4);
        }
        return hh < 0 ? hh + 360 : hh;
    }

    /** Colour class of a measured hue/saturation/value: achromatic by saturation, else the nearest hue range. */
    static Colour classifyColour(double hue, double sat, double value) {
        if (sat < ACHROMATIC_SATURATION) {
            return value >= WHITE_VALUE ? Colour.WHITE : Colour.BLACK;
        }
        Colour best = Colour.RED;
        double bestD = Double.MAX_VALUE;
        for (Colour c : Colour.values()) {
            if (!c.chromatic()) {
                continue;
            }
            double d = hueDistanceToRange(hue, c.hueLow(), c.hueHigh());
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return best;
    }

    static double hueDistanceToRange(double hue, double lo, double hi) {
        double centre = (lo + hi) / 2;
        double half = (hi - lo) / 2;
        double diff = Math.abs(((hue - centre) % 360 + 540) % 360 - 180);
        return Math.max(0, diff - half);
    }

    /** Hue difference in degrees on the circle (0..180). */
    public static double hueDifference(double a, double b) {
        return Math.abs(((a - b) % 360 + 540) % 360 - 180);
    }

    // ------------------------------------------------------------------ pattern

    static final double PLAIN_SHARE = 0.025;
    static final double STRIPE_ELONGATION = 2.4;
    static final double PATTERN_RATIO = 0.62;

    /**
     * {share of inner actor pixels at pattern brightness, inner pixel count per frame, elongation of the dark
     * marks} over the given frames. Elongation is the area-weighted mean of sqrt(major/minor second moment) of
     * the 8-connected dark components of at least 4 pixels: stripes are long bands, dots round blobs.
     */
    static double[] patternShare(List<byte[]> frames, boolean[][] masks, int[] use, int w, int h) {
        int dark = 0;
        int inner = 0;
        double elongSum = 0;
        double elongWeight = 0;
        for (int f : use) {
            boolean[] in = Masks.erode(masks[f], w, h, 2);
            byte[] bgr = frames.get(f);
            int[] v = new int[w * h];
            for (int i = 0; i < w * h; i++) {
                v[i] = Math.max(bgr[3 * i] & 0xFF, Math.max(bgr[3 * i + 1] & 0xFF, bgr[3 * i + 2] & 0xFF));
            }
            boolean[] darkMask = new boolean[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    if (!in[i]) {
                        continue;
                    }
                    int local = 0;
                    for (int yy = Math.max(0, y - 2); yy <= Math.min(h - 1, y + 2); yy++) {
                        for (int xx = Math.max(0, x - 2); xx <= Math.min(w - 1, x + 2); xx++) {
                            if (masks[f][yy * w + xx]) {
                                local = Math.max(local, v[yy * w + xx]);
                            }
                        }
                    }
                    inner++;
                    if (v[i] < 48) {
                        continue; // eyes
                    }
                    if (v[i] < PATTERN_RATIO * local) {
                        dark++;
                        darkMask[i] = true;
                    }
                }
            }
            for (Masks.Component c : Masks.components(darkMask, w, h)) {
                if (c.area() < 4) {
                    continue;
                }
                double mx = 0;
                double my = 0;
                for (int p : c.pixels()) {
                    mx += p % w;
                    my += p / w;
                }
                mx /= c.area();
                my /= c.area();
                double sxx = 0;
                double syy = 0;
                double sxy = 0;
                for (int p : c.pixels()) {
                    double dx = p % w - mx;
                    double dy = p / w - my;
                    sxx += dx * dx;
                    syy += dy * dy;
                    sxy += dx * dy;
                }
                sxx = sxx / c.area() + 1.0 / 12;
                syy = syy / c.area() + 1.0 / 12;
                sxy /= c.area();
                double tr = sxx + syy;
                double det = sxx * syy - sxy * sxy;
                double disc = Math.sqrt(Math.max(0, tr * tr / 4 - det));
                double l1 = tr / 2 + disc;
                double l2 = Math.max(1e-6, tr / 2 - disc);
                elongSum += c.area() * Math.sqrt(l1 / l2);
                elongWeight += c.area();
            }
        }
        return new double[] {inner == 0 ? 0 : dark / (double) inner, inner / (double) Math.max(1, use.length),
            elongWeight == 0 ? 1.0 : elongSum / elongWeight};
    }

    /** Share of non-actor pixels that the setting's paints explain. */
    private static double paintAdherence(List<byte[]> frames, boolean[][] masks, Setting setting, int w, int h,
                                         SettingPalette palette) {
        long ok = 0;
        long all = 0;
        for (int f = 0; f < frames.size(); f++) {
            byte[] bgr = frames.get(f);
            boolean[] near = Masks.dilate(masks[f], w, h, 2);
            for (int i = 0; i < masks[f].length; i++) {
                if (near[i]) {
                    continue;
                }
                all++;
                if (palette.explains(setting, bgr[3 * i + 2] & 0xFF, bgr[3 * i + 1] & 0xFF, bgr[3 * i] & 0xFF)) {
                    ok++;
                }
            }
        }
        return all == 0 ? 1.0 : ok / (double) all;
    }

    // ------------------------------------------------------------------ track, camera, motion

    /** Per-frame actor statistics. */
    static final class Track {
        final int n;
        final int[] area;
        final double[] cx;
        final double[] cy;
        final int[] x0;
        final int[] y0;
        final int[] x1;
        final int[] y1;
        final boolean[] border;
        final int w;
        final int h;

        private Track(int n, int w, int h) {
            this.n = n;
            this.w = w;
            this.h = h;
            area = new int[n];
            cx = new double[n];
            cy = new double[n];
            x0 = new int[n];
            y0 = new int[n];
            x1 = new int[n];
            y1 = new int[n];
            border = new boolean[n];
        }

        static Track of(boolean[][] masks, int w, int h) {
            Track t = new Track(masks.length, w, h);
            for (int f = 0; f < masks.length; f++) {
                int a = 0;
                double sx = 0;
                double sy = 0;
                int bx0 = w;
                int by0 = h;
                int bx1 = -1;
                int by1 = -1;
                for (int i = 0; i < w * h; i++) {
                    if (masks[f][i]) {
                        int x = i % w;
                        int y = i / w;
                        a++;
                        sx += x + 0.5;
                        sy += y + 0.5;
                        bx0 = Math.min(bx0, x);
                        by0 = Math.min(by0, y);
                        bx1 = Math.max(bx1, x);
                        by1 = Math.max(by1, y);
                    }
                }
                t.area[f] = a;
                t.cx[f] = a == 0 ? w / 2.0 : sx / a;
                t.cy[f] = a == 0 ? h / 2.0 : sy / a;
                t.x0[f] = bx0;
                t.y0[f] = by0;
                t.x1[f] = bx1;
                t.y1[f] = by1;
                t.border[f] = a > 0 && (bx0 == 0 || by0 == 0 || bx1 == w - 1 || by1 == h - 1);
            }
            return t;
        }

        int visibleFrames() {
            int v = 0;
            for (int a : area) {
                if (a > 0) {
                    v++;
                }
            }
            return v;
        }

        boolean visible(int f) {
            return area[f] > 0;
        }

        /** Up to k frames for shape analysis: not touching the border first, then the largest. */
        int[] shapeFrames(int k) {
            Integer[] idx = new Integer[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            Arrays.sort(idx, (p, q) -> {
                if (border[p] != border[q]) {
                    return border[p] ? 1 : -1;
                }
                return Integer.compare(area[q], area[p]);
            });
            List<Integer> out = new ArrayList<>();
            for (Integer i : idx) {
                if (area[i] > 0 && out.size() < k) {
                    out.add(i);
                }
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /**
     * Camera motion over the shot from the reliable steps, then the camera class, and per-step transforms for
     * removing the camera from the actor's track under the storyworld's camera model: a zoom scales about a
     * point near the frame centre (x shift taken as 0, y shift as estimated), a pan only shifts x, a static
     * camera does nothing.
     */
    static final class CameraEstimate {
        double logZoom;
        double shiftX;
        double shiftY;
        /** Mean information on the x shift per step (see GlobalMotion.Step#textureX). */
        double infoX;
        boolean horizontalObservable;
        Camera camera;
        double[] stepScale;
        double[] stepTx;
        double[] stepTy;

        static CameraEstimate of(GlobalMotion.Result gm) {
            CameraEstimate c = new CameraEstimate();
            GlobalMotion.Step[] steps = gm.steps();
            int m = steps.length;
            int w = gm.width();
            int h = gm.height();
            double ls = 0;
            double tx = 0;
            double ty = 0;
            int reliable = 0;
            int textured = 0;
            double info = 0;
            for (GlobalMotion.Step s : steps) {
                if (s.reliable()) {
                    ls += Math.log(s.scale());
                    tx += s.tx();
                    ty += s.ty();
                    info += s.textureX();
                    reliable++;
                    if (s.textureX() >= GlobalMotion.MIN_TEXTURE) {
                        textured++;
                    }
                }
            }
            double meanLs = reliable == 0 ? 0 : ls / reliable;
            double meanTx = reliable == 0 ? 0 : tx / reliable;
            double meanTy = reliable == 0 ? 0 : ty / reliable;
            c.horizontalObservable = reliable > 0 && textured * 2 >= reliable;
            c.infoX = reliable == 0 ? 0 : info / reliable;
            double totalLs = meanLs * m;
            double totalTx = meanTx * m;
            double totalTy = meanTy * m;
            meanLs = totalLs / Math.max(1, m);
            meanTx = totalTx / Math.max(1, m);
            meanTy = totalTy / Math.max(1, m);
            c.logZoom = totalLs;
            c.shiftX = c.horizontalObservable ? totalTx / w : 0.0;
            c.shiftY = totalTy / h;
            if (c.logZoom > ZOOM_LOG) {
                c.camera = Camera.ZOOM_IN;
            } else if (c.logZoom < -ZOOM_LOG) {
                c.camera = Camera.ZOOM_OUT;
            } else if (c.shiftX > PAN_SHIFT) {
                c.camera = Camera.PAN_LEFT;
            } else if (c.shiftX < -PAN_SHIFT) {
                c.camera = Camera.PAN_RIGHT;
            } else {
                c.camera = Camera.STATIC;
            }
            c.stepScale = new double[m];
            c.stepTx = new double[m];
            c.stepTy = new double[m];
            boolean zoom = c.camera == Camera.ZOOM_IN || c.camera == Camera.ZOOM_OUT;
            boolean pan = c.camera == Camera.PAN_LEFT || c.camera == Camera.PAN_RIGHT;
            // the storyworld's cameras move at a constant rate: spread the total evenly over the steps
            double stepS = Math.exp(meanLs);
            double geo = Math.abs(stepS - 1) < 1e-9 ? m : (Math.pow(stepS, m) - 1) / (stepS - 1);
            for (int i = 0; i < m; i++) {
                c.stepScale[i] = zoom ? stepS : 1.0;
                c.stepTx[i] = pan ? meanTx : 0.0;
                c.stepTy[i] = zoom ? totalTy / geo : 0.0;
            }
            return c;
        }
    }

    /** Actor motion features, in frame heights. */
    static final class Motion {
        double dx;
        double dy;
        double lift;
        double logSize;
        double screenDx;
        double startOffset;
        double endOffset;
        /** Share of the size change reached at the middle frame, normalised to 0.5 for a steady change. */
        double midFraction;
        /**
         * Two-hump rise of a bounce: rise at a quarter plus rise at three quarters minus twice the rise at the
         * middle of the shot (a steady drift cancels out), frame heights.
         */
        double bounce;
        /** The first or last visible frame touches the left or right border (screen travel is then rough). */
        boolean sideTouch;
        boolean valid;

        static Motion of(Track t, CameraEstimate cam, int w, int h, double outline) {
            Motion m = new Motion();
            int n = t.n;
            // camera transform from frame 0 to frame f: p_f = c + S_f (p_0 - c) + T_f
            double[] sf = new double[n];
            double[] txf = new double[n];
            double[] tyf = new double[n];
            sf[0] = 1;
            double cx = w / 2.0;
            double cy = h / 2.0;
            for (int f = 1; f < n; f++) {
                double s = cam.stepScale[f - 1];
                sf[f] = sf[f - 1] * s;
                txf[f] = txf[f - 1] * s + cam.stepTx[f - 1];
                tyf[f] = tyf[f - 1] * s + cam.stepTy[f - 1];
            }
            int first = -1;
            int last = -1;
            int firstFree = -1;
            int lastFree = -1;
            for (int f = 0; f < n; f++) {
                if (t.visible(f)) {
                    if (first < 0) {
                        first = f;
                    }
                    last = f;
                    if (!t.border[f]) {
                        if (firstFree < 0) {
                            firstFree = f;
                        }
                        lastFree = f;
                    }
                }
            }
            if (first < 0 || first == last) {
                return m;
            }
            m.valid = true;
            double[] wx = new double[n];
            double[] wy = new double[n];
            double[] size = new double[n];
            for (int f = 0; f < n; f++) {
                wx[f] = cx + (t.cx[f] - cx - txf[f]) / sf[f];
                wy[f] = cy + (t.cy[f] - cy - tyf[f]) / sf[f];
                size[f] = Math.max(0.5, Math.sqrt(t.area[f] / Math.PI) - outline) / sf[f];
            }
            m.dx = displacement(t, wx, sf, txf, first, last, true, w) / h;
            m.dy = displacement(t, wy, sf, tyf, first, last, false, h) / h;
            double lift = 0;
            for (int f = first; f <= last; f++) {
                if (t.visible(f) && !t.border[f]) {
                    lift = Math.max(lift, (wy[first] - wy[f]) / h);
                }
            }
            m.lift = lift;
            // size change from frames that do not touch the border, extrapolated to the whole shot
            int a = firstFree >= 0 && lastFree > firstFree ? firstFree : first;
            int b = firstFree >= 0 && lastFree > firstFree ? lastFree : last;
            double span = b - a;
            m.logSize = Math.log(size[b] / size[a]) * (n - 1) / span;
            int mid = a + (int) Math.round(span / 2);
            while (mid < b && !t.visible(mid)) {
                mid++;
            }
            double total = Math.log(size[b] / size[a]);
            m.midFraction = Math.abs(total) < 1e-6 ? 0.5 : Math.log(size[mid] / size[a]) / total * span / Math.max(1, mid - a) * 0.5;
            double[] ones = new double[n];
            Arrays.fill(ones, 1.0);
            double[] zeros = new double[n];
            m.screenDx = displacement(t, t.cx, ones, zeros, first, last, true, w) / h;
            m.sideTouch = t.x0[first] == 0 || t.x1[first] == w - 1 || t.x0[last] == 0 || t.x1[last] == w - 1;
            if (m.sideTouch) {
                // linear screen travel fitted on the frames whose mask is clear of the side borders
                double sn = 0;
                double sk = 0;
                double sx = 0;
                double sff = 0;
                double sfx = 0;
                int fa = -1;
                int fb = -1;
                for (int f = 0; f < n; f++) {
                    if (t.visible(f) && t.x0[f] > 0 && t.x1[f] < w - 1) {
                        sn++;
                        sk += f;
                        sx += t.cx[f];
                        sff += (double) f * f;
                        sfx += f * t.cx[f];
                        fa = fa < 0 ? f : fa;
                        fb = f;
                    }
                }
                if (sn >= 3 && fb - fa >= (n - 1) / 4.0) {
                    double slope = (sn * sfx - sk * sx) / (sn * sff - sk * sk);
                    m.screenDx = slope * (n - 1) / h;
                    m.sideTouch = false;
                }
            }
            m.bounce = (rise(t, wy, first, n / 4) + rise(t, wy, first, 3 * n / 4) - 2 * rise(t, wy, first, n / 2)) / h;
            m.startOffset = Math.abs(t.cx[first] - cx) / h;
            m.endOffset = Math.abs(t.cx[last] - cx) / h;
            return m;
        }

        /** Rise (world, px) of the actor at the visible frame nearest to f, against the first frame. */
        private static double rise(Track t, double[] wy, int first, int f) {
            for (int d = 0; d < t.n; d++) {
                for (int g : new int[] {f - d, f + d}) {
                    if (g >= 0 && g < t.n && t.visible(g)) {
                        return wy[first] - wy[g];
                    }
                }
            }
            return 0;
        }

        /** Mean of up to 2 visible values from an end of the track. */
        private static double robustEnd(double[] v, Track t, int from, int dir) {
            double s = 0;
            int k = 0;
            for (int f = from; f >= 0 && f < t.n && k < 2; f += dir) {
                if (t.visible(f)) {
                    s += v[f];
                    k++;
                }
            }
            return k == 0 ? 0 : s / k;
        }

        /**
         * World displacement between two frames along x or y: the centroid's, unless the mask touches a border
         * along that axis in either frame; then the displacement of the box side away from that border.
         */
        private static double displacement(Track t, double[] world, double[] sf, double[] tf, int a, int b,
                                           boolean xAxis, int size) {
            boolean lowA = xAxis ? t.x0[a] == 0 : t.y0[a] == 0;
            boolean highA = xAxis ? t.x1[a] == size - 1 : t.y1[a] == size - 1;
            boolean lowB = xAxis ? t.x0[b] == 0 : t.y0[b] == 0;
            boolean highB = xAxis ? t.x1[b] == size - 1 : t.y1[b] == size - 1;
            if (!(lowA || highA || lowB || highB)) {
                return world[b] - world[a];
            }
            double c = size / 2.0;
            if (!highA && !highB) {
                double ea = (xAxis ? t.x1[a] : t.y1[a]) + 1.0;
                double eb = (xAxis ? t.x1[b] : t.y1[b]) + 1.0;
                return (c + (eb - c - tf[b]) / sf[b]) - (c + (ea - c - tf[a]) / sf[a]);
            }
            if (!lowA && !lowB) {
                double ea = xAxis ? t.x0[a] : t.y0[a];
                double eb = xAxis ? t.x0[b] : t.y0[b];
                return (c + (eb - c - tf[b]) / sf[b]) - (c + (ea - c - tf[a]) / sf[a]);
            }
            return world[b] - world[a];
        }
    }

    static boolean isZoom(Camera c) {
        return c == Camera.ZOOM_IN || c == Camera.ZOOM_OUT;
    }

    /** Actions read from size, fall and bounce alone; null when none of them shows. */
    static Action verticalAction(Motion m) {
        if (m.logSize > SIZE_LOG) {
            // approaches starts 0.28 off-centre and ends centred, easing in (3/4 of its growth by mid-shot);
            // grows stays put (a pan can carry it across the centre) and grows steadily
            if (m.startOffset >= 0.235 && m.endOffset <= 0.05) {
                return Action.APPROACHES;
            }
            boolean converges = m.startOffset >= 0.12 && m.endOffset <= 0.08;
            return converges && m.midFraction > APPROACH_MID ? Action.APPROACHES : Action.GROWS;
        }
        if (m.logSize < -SIZE_LOG) {
            return Action.SHRINKS;
        }
        if (m.dy > FALL_DY) {
            return Action.FALLS;
        }
        if (m.bounce > BOUNCE_LIFT) {
            return Action.BOUNCES;
        }
        return null;
    }

    /** Camera and action chosen together. */
    record Decision(Camera camera, Action action) {
    }

    /** Background travel of a pan over a shot, frame heights (0.24 of the view over 15 of 16 steps). */
    static final double PAN_TRAVEL = 0.225;
    /** Actor travel of moves_left/right over a shot, frame heights (0.32 over 15 of 16 steps). */
    static final double MOVE_TRAVEL = 0.30;
    /** Measurement noise of the actor's screen travel, frame heights. */
    static final double SIGMA_ACTOR = 0.04;

    /**
     * Zooms are decided by the background alone. Otherwise the camera (static, pan left, pan right) and the
     * actor's horizontal travel (none, left, right) are chosen together: the background shift should equal the
     * pan's travel (weighted by how much horizontal texture the background has) and the actor's screen travel
     * should equal the pan's travel plus its own; tracking pans (moving left with a left pan) are never
     * rendered.
     */
    static Decision decide(Motion m, CameraEstimate cam) {
        Action vertical = m.valid ? verticalAction(m) : null;
        if (isZoom(cam.camera)) {
            if (vertical != null) {
                return new Decision(cam.camera, vertical);
            }
            if (m.dx > MOVE_DX) {
                return new Decision(cam.camera, Action.MOVES_RIGHT);
            }
            if (m.dx < -MOVE_DX) {
                return new Decision(cam.camera, Action.MOVES_LEFT);
            }
            return new Decision(cam.camera, Action.SPINS);
        }
        double sigmaB = cam.infoX < GlobalMotion.MIN_TEXTURE ? Double.POSITIVE_INFINITY
                : 0.03 + 0.1 / (1.0 + cam.infoX);
        Camera[] cams = {Camera.STATIC, Camera.PAN_LEFT, Camera.PAN_RIGHT};
        double[] travel = {0.0, PAN_TRAVEL, -PAN_TRAVEL};
        Decision best = null;
        double bestScore = Double.POSITIVE_INFINITY;
        for (int c = 0; c < cams.length; c++) {
            double b = travel[c];
            double bg = Double.isInfinite(sigmaB) ? 0 : sq((cam.shiftX - b) / sigmaB);
            if (vertical == Action.APPROACHES || !m.valid) {
                // the actor converges on the frame centre whatever the camera does
                double score = bg + (c == 0 ? 0 : 1e-3);
                if (score < bestScore) {
                    bestScore = score;
                    best = new Decision(cams[c], vertical == null ? Action.SPINS : vertical);
                }
                continue;
            }
            int[] own = vertical != null ? new int[] {0} : new int[] {0, -1, 1};
            for (int o : own) {
                if ((o == -1 && cams[c] == Camera.PAN_LEFT) || (o == 1 && cams[c] == Camera.PAN_RIGHT)) {
                    continue;
                }
                double a = b + o * MOVE_TRAVEL;
                double sigmaA = m.sideTouch ? 4 * SIGMA_ACTOR : SIGMA_ACTOR;
                double score = bg + sq((m.screenDx - a) / sigmaA);
                if (score < bestScore) {
                    bestScore = score;
                    Action act = vertical != null ? vertical
                            : o < 0 ? Action.MOVES_LEFT : o > 0 ? Action.MOVES_RIGHT : Action.SPINS;
                    best = new Decision(cams[c], act);
                }
            }
        }
        return best;
    }

    private static double sq(double v) {
        return v * v;
    }
}
