package dev.storyboard.judge.storyworld;

import dev.storyboard.judge.storyworld.Vocabulary.Setting;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the actor in a storyworld frame by elimination: every pixel the setting's palette explains is
 * background ({@link SettingPalette}).
 *
 * <ol>
 *   <li>Seeds: pixels the palette (paints and their touching mixtures) does not explain; the largest
 *   8-connected component plus the components near it (within a quarter of its size + 2 px).</li>
 *   <li>Growth: pixels that are no pure paint of the setting (antialiased actor edges, actor pixels whose colour
 *   happens to equal a mixture) joined when 8-connected to the seeds and inside their box grown by 1 px.</li>
 *   <li>Holes: a hole is filled when most of its pixels are no pure paint (the inside of a white actor on snow),
 *   eye-dark, or on the actor's colour ray (pattern marks); in the first pass, without a colour model, also
 *   when it is small. Otherwise it is background seen through the actor (a ring).</li>
 * </ol>
 *
 * <p><b>Soft frames.</b> One rule, decided once per shot from the actor itself: a shot is soft when the first
 * pass's actor pixels scatter around their colour ray more than an exact render's ({@link ActorColour#soft}:
 * twice their median angle to the ray exceeds {@link ActorColour#MIN_ANGLE}). The palette's render-noise
 * measure cannot tell: a blurred or low-passed frame keeps its flat sky exact (median noise about 0.5, as an
 * exact render) while every edge and the actor's fill are off by 10&ndash;20 units. On a soft shot
 * <ul>
 *   <li>the colour ray's angle tolerance is that measured spread instead of 0.05 rad (pixels of a noisy fill
 *   stay on the ray, so the second pass does not carve the actor's body out as "background seen through
 *   it");</li>
 *   <li>candidates thinner than 3 px are dropped in both passes ({@link #dropThin}): the unexplained lines
 *   softening leaves along the setting's edges (horizon, crowns, trunks) no longer merge with the actor and
 *   pull its mask and colour ray off.</li>
 * </ul>
 * An exact render's actor lies on its ray (median angle far below 0.025 rad), so exact renders keep the
 * segmentation they had without this rule (the storyworld accuracy tests and the probes' ground-truth stills
 * give the same verdicts as before, docs/JUDGE.md).
 */
public final class ActorSegmenter {
    /** Geodesic regrowth (px) of the opened candidates, see {@link #dropThin}. */
    static final int REGROW = 3;

    private final SettingPalette palette;

    public ActorSegmenter(SettingPalette palette) {
        this.palette = palette;
    }

    public ActorSegmenter() {
        this(SettingPalette.standard());
    }

    /**
     * Actor masks of every frame of a shot: a first pass without a colour model, then the actor's colour ray
     * estimated from the first masks' pixels, then a second pass that also accepts thick regions of that colour
     * which the palette's mixtures happen to explain (white actors against pale mixtures).
     */
    public boolean[][] segmentShot(List<byte[]> frames, int w, int h, Setting setting) {
        ActorColour colour = firstPassColour(frames, w, h, setting, false);
        boolean soft = colour != null && colour.soft();
        if (soft) {
            colour = firstPassColour(frames, w, h, setting, true);
        }
        boolean[][] out = new boolean[frames.size()][];
        for (int f = 0; f < frames.size(); f++) {
            out[f] = segment(frames.get(f), w, h, setting, colour, soft);
        }
        return out;
    }

    /** The actor's colour ray from the first pass's masks (their cores when thick enough), or null. */
    private ActorColour firstPassColour(List<byte[]> frames, int w, int h, Setting setting, boolean dropThin) {
        List<int[]> pixels = new ArrayList<>();
        for (byte[] bgr : frames) {
            boolean[] m = segment(bgr, w, h, setting, null, dropThin);
            boolean[] core = Masks.erode(m, w, h, 1);
            boolean useCore = Masks.count(core) >= 12;
            for (int i = 0; i < m.length; i++) {
                if (useCore ? core[i] : m[i]) {
                    pixels.add(new int[] {bgr[3 * i + 2] & 0xFF, bgr[3 * i + 1] & 0xFF, bgr[3 * i] & 0xFF});
                }
            }
        }
        return ActorColour.estimate(pixels);
    }

    /**
     * On soft shots, candidates thinner than 3 px are not the actor. Softening (blur, a low-pass such as a PCA
     * patch projection, compression) leaves 1&ndash;2 px lines and speckle the palette does not explain along
     * every edge of the setting (horizon, tree crowns, trunks); they touch the
     * actor and would merge with it. So the candidates are opened with a 3x3 square and regrown geodesically
     * inside themselves by {@link #REGROW} px, which gives back the actor's thin tips and edges but only a
     * stub of any line leaving it. When nothing survives the opening (an actor thinner than 3 px), the
     * candidates are kept as they are.
     */
    static boolean[] dropThin(boolean[] cand, int w, int h) {
        boolean[] core = Masks.open3(cand, w, h);
        if (Masks.count(core) == 0) {
            return cand;
        }
        return Masks.grow(core, cand, w, h, REGROW);
    }

    /**
     * The actor mask of one BGR frame, or an all-false mask when nothing is left after elimination.
     *
     * @param colour the actor's colour ray, or null for the first pass; a {@link ActorColour#soft soft} ray
     *               also drops thin candidates ({@link #dropThin})
     */
    public boolean[] segment(byte[] bgr, int w, int h, Setting setting, ActorColour colour) {
        return segment(bgr, w, h, setting, colour, colour != null && colour.soft());
    }

    boolean[] segment(byte[] bgr, int w, int h, Setting setting, ActorColour colour, boolean dropThin) {
        int n = w * h;
        boolean[] unexplained = new boolean[n];
        boolean[] notPaint = new boolean[n];
        for (int i = 0, j = 0; i < n; i++, j += 3) {
            int b = bgr[j] & 0xFF;
            int g = bgr[j + 1] & 0xFF;
            int r = bgr[j + 2] & 0xFF;
            unexplained[i] = !palette.explains(setting, r, g, b);
            notPaint[i] = !palette.explainsPure(setting, r, g, b);
        }
        // candidates: unexplained pixels, plus thick (survive a 3x3 opening) regions of non-pure pixels on
        // the actor's colour ray
        boolean[] cand = unexplained.clone();
        if (colour != null) {
            boolean[] onRay = new boolean[n];
            for (int i = 0, j = 0; i < n; i++, j += 3) {
                onRay[i] = notPaint[i] && colour.matches(bgr[j + 2] & 0xFF, bgr[j + 1] & 0xFF, bgr[j] & 0xFF);
            }
            boolean[] thick = Masks.open3(onRay, w, h);
            for (int i = 0; i < n; i++) {
                cand[i] |= thick[i];
            }
        }
        if (dropThin) {
            cand = dropThin(cand, w, h);
        }
        List<Masks.Component> comps = Masks.components(cand, w, h);
        boolean[] mask = new boolean[n];
        if (comps.isEmpty()) {
            return mask;
        }
        Masks.Component main = comps.get(0);
        int size = Math.max(main.x1() - main.x0(), main.y1() - main.y0()) + 1;
        int margin = 2 + size / 4;
        int x0 = main.x0() - margin;
        int y0 = main.y0() - margin;
        int x1 = main.x1() + margin;
        int y1 = main.y1() + margin;
        for (Masks.Component c : comps) {
            if (c != main && (c.x1() < x0 || c.x0() > x1 || c.y1() < y0 || c.y0() > y1)) {
                continue;
            }
            for (int p : c.pixels()) {
                mask[p] = true;
            }
        }
        // the antialiased rim: non-pure pixels touching the mask
        boolean[] rim = Masks.dilate(mask, w, h, 1);
        for (int i = 0; i < n; i++) {
            if (rim[i] && notPaint[i]) {
                mask[i] = true;
            }
        }
        int area = Masks.count(mask);
        for (int[] hole : Masks.holes(mask, w, h)) {
            int fill = 0;
            for (int p : hole) {
                int r = bgr[3 * p + 2] & 0xFF;
                int g = bgr[3 * p + 1] & 0xFF;
                int b = bgr[3 * p] & 0xFF;
                boolean eye = Math.max(r, Math.max(g, b)) < 48 && Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) <= 8;
                if (notPaint[p] || eye || (colour != null && colour.matches(r, g, b))) {
                    fill++;
                }
            }
            boolean small = colour == null && hole.length <= Math.max(2, area / 20);
            if (small || fill * 2 > hole.length) {
                for (int p : hole) {
                    mask[p] = true;
                }
            }
        }
        if (colour != null) {
            // background seen through a small ring hole: pixels inside the silhouette (not on its rim) that are
            // off the actor's colour ray and not an eye
            boolean[] filled = mask.clone();
            for (int[] hole : Masks.holes(mask, w, h)) {
                for (int p : hole) {
                    filled[p] = true;
                }
            }
            boolean[] inner = Masks.erode(filled, w, h, 1);
            for (int p = 0; p < n; p++) {
                if (!inner[p]) {
                    continue;
                }
                int r = bgr[3 * p + 2] & 0xFF;
                int g = bgr[3 * p + 1] & 0xFF;
                int b = bgr[3 * p] & 0xFF;
                int max = Math.max(r, Math.max(g, b));
                boolean eye = max < 48 && max - Math.min(r, Math.min(g, b)) <= 8;
                if (!eye && !colour.matches(r, g, b)) {
                    mask[p] = false;
                }
            }
        }
        return mask;
    }
}
