package dev.storyboard.judge.storyworld;

import java.util.ArrayList;
import java.util.List;

/** Binary image helpers on row-major boolean masks: connected components, holes, dilation, moments. */
final class Masks {
    private Masks() {
    }

    /** A connected component: its pixel indices and bounding box (inclusive). */
    record Component(int[] pixels, int x0, int y0, int x1, int y1) {
        int area() {
            return pixels.length;
        }
    }

    /** 8-connected components of {@code mask}, largest first. */
    static List<Component> components(boolean[] mask, int w, int h) {
        int[] label = new int[w * h];
        List<Component> out = new ArrayList<>();
        int[] stack = new int[w * h];
        int next = 1;
        for (int start = 0; start < mask.length; start++) {
            if (!mask[start] || label[start] != 0) {
                continue;
            }
            int sp = 0;
            stack[sp++] = start;
            label[start] = next;
            List<Integer> px = new ArrayList<>();
            int x0 = w;
            int y0 = h;
            int x1 = -1;
            int y1 = -1;
            while (sp > 0) {
                int p = stack[--sp];
                px.add(p);
                int x = p % w;
                int y = p / w;
                x0 = Math.min(x0, x);
                x1 = Math.max(x1, x);
                y0 = Math.min(y0, y);
                y1 = Math.max(y1, y);
                for (int dy = -1; dy <= 1; dy++) {
                    int yy = y + dy;
                    if (yy < 0 || yy >= h) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = x + dx;
                        if (xx < 0 || xx >= w) {
                            continue;
                        }
                        int q = yy * w + xx;
                        if (mask[q] && label[q] == 0) {
                            label[q] = next;
                            stack[sp++] = q;
                        }
                    }
                }
            }
            next++;
            out.add(new Component(px.stream().mapToInt(Integer::intValue).toArray(), x0, y0, x1, y1));
        }
        out.sort((a, b) -> Integer.compare(b.area(), a.area()));
        return out;
    }

    /**
     * Holes of a mask: 4-connected regions of unset pixels that do not touch the image border. Each hole is
     * returned as its pixel indices.
     */
    static List<int[]> holes(boolean[] mask, int w, int h) {
        boolean[] outside = new boolean[w * h];
        int[] stack = new int[w * h];
        int sp = 0;
        for (int x = 0; x < w; x++) {
            for (int y : new int[] {0, h - 1}) {
                int p = y * w + x;
                if (!mask[p] && !outside[p]) {
                    outside[p] = true;
                    stack[sp++] = p;
                }
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x : new int[] {0, w - 1}) {
                int p = y * w + x;
                if (!mask[p] && !outside[p]) {
                    outside[p] = true;
                    stack[sp++] = p;
                }
            }
        }
        sp = flood(mask, outside, stack, sp, w, h);
        List<int[]> holes = new ArrayList<>();
        boolean[] seen = outside.clone();
        for (int p = 0; p < mask.length; p++) {
            if (mask[p] || seen[p]) {
                continue;
            }
            List<Integer> px = new ArrayList<>();
            int s = 0;
            stack[s++] = p;
            seen[p] = true;
            while (s > 0) {
                int q = stack[--s];
                px.add(q);
                int x = q % w;
                int y = q / w;
                int[][] nb = {{x - 1, y}, {x + 1, y}, {x, y - 1}, {x, y + 1}};
                for (int[] n : nb) {
                    if (n[0] < 0 || n[1] < 0 || n[0] >= w || n[1] >= h) {
                        continue;
                    }
                    int r = n[1] * w + n[0];
                    if (!mask[r] && !seen[r]) {
                        seen[r] = true;
                        stack[s++] = r;
                    }
                }
            }
            holes.add(px.stream().mapToInt(Integer::intValue).toArray());
        }
        return holes;
    }

    private static int flood(boolean[] mask, boolean[] reached, int[] stack, int sp, int w, int h) {
        while (sp > 0) {
            int q = stack[--sp];
            int x = q % w;
            int y = q / w;
            if (x > 0) {
                sp = push(mask, reached, stack, sp, q - 1);
            }
            if (x < w - 1) {
                sp = push(mask, reached, stack, sp, q + 1);
            }
            if (y > 0) {
                sp = push(mask, reached, stack, sp, q - w);
            }
            if (y < h - 1) {
                sp = push(mask, reached, stack, sp, q + w);
            }
        }
        return sp;
    }

    private static int push(boolean[] mask, boolean[] reached, int[] stack, int sp, int p) {
        if (!mask[p] && !reached[p]) {
            reached[p] = true;
            stack[sp++] = p;
        }
        return sp;
    }

    /** Square dilation by {@code r} pixels. */
    static boolean[] dilate(boolean[] mask, int w, int h, int r) {
        boolean[] out = new boolean[mask.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (!mask[y * w + x]) {
                    continue;
                }
                for (int yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
                    for (int xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
                        out[yy * w + xx] = true;
                    }
                }
            }
        }
        return out;
    }

    /** Square erosion by {@code r} pixels (pixels outside the image count as unset). */
    static boolean[] erode(boolean[] mask, int w, int h, int r) {
        boolean[] out = new boolean[mask.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean all = true;
                for (int yy = y - r; yy <= y + r && all; yy++) {
                    for (int xx = x - r; xx <= x + r; xx++) {
                        if (xx < 0 || yy < 0 || xx >= w || yy >= h || !mask[yy * w + xx]) {
                            all = false;
                            break;
                        }
                    }
                }
                out[y * w + x] = all;
            }
        }
        return out;
    }

    /** Opening with a 3x3 square: removes structures thinner than 3 pixels. */
    static boolean[] open3(boolean[] mask, int w, int h) {
        return dilate(erode(mask, w, h, 1), w, h, 1);
    }

    /**
     * Geodesic growth of {@code seed} inside {@code within}: {@code steps} times, the 8-neighbours of the
     * current set that lie in {@code within} are added (the seed itself is kept).
     */
    static boolean[] grow(boolean[] seed, boolean[] within, int w, int h, int steps) {
        boolean[] out = seed.clone();
        for (int s = 0; s < steps; s++) {
            boolean[] d = dilate(out, w, h, 1);
            for (int i = 0; i < out.length; i++) {
                out[i] |= d[i] && within[i];
            }
        }
        return out;
    }

    static int count(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) {
            if (b) {
                n++;
            }
        }
        return n;
    }
}
