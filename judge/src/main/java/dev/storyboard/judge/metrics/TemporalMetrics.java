package dev.storyboard.judge.metrics;

import dev.storyboard.judge.JudgeException;
import dev.storyboard.judge.video.Clip;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cheap per-frame statistics of a clip: flicker, luma and saturation drift, and seams at chunk boundaries.
 *
 * <ul>
 *   <li><b>Flicker</b>: mean absolute difference of consecutive frames over all pixels and B, G, R channels
 *   (0..255), averaged over pairs; also the maximum pair.</li>
 *   <li><b>Luma</b>: per-frame mean Rec. 601 luma Y (0..255). <b>Saturation</b>: per-frame mean HSV saturation
 *   (max&minus;min)/max (0..1, 0 for black pixels). <b>Drift</b> of a series: least-squares slope against
 *   the frame times (units per second), and end &minus; start, where start/end are the means of the first and
 *   last k = max(1, min(4, n/4)) frames.</li>
 *   <li><b>Seam score</b> at boundary b (frame b opens a new chunk): d(b) = frame difference between b&minus;1
 *   and b; m = median of d over the up to {@link #SEAM_CONTEXT} pairs on each side within the clip, excluding
 *   every boundary pair; score = d(b) / max(m, {@link #SEAM_FLOOR}); also the excess d(b) &minus; m. A seam
 *   is suspicious when score &ge; {@link #SEAM_RATIO} and excess &ge; {@link #SEAM_MIN_EXCESS}.</li>
 * </ul>
 */
public final class TemporalMetrics {
    /** Pairs on each side of a boundary used for the median. */
    public static final int SEAM_CONTEXT = 4;
    /** Median floor (grey levels), so a static clip does not divide by zero. */
    public static final double SEAM_FLOOR = 0.5;
    /** Ratio above which a seam is suspicious. */
    public static final double SEAM_RATIO = 3.0;
    /** Excess (grey levels) a suspicious seam must also have, so noise on a still clip is not flagged. */
    public static final double SEAM_MIN_EXCESS = 2.0;

    /** Slope (per second) and start-vs-end change of one per-frame series. */
    public record Drift(double slopePerSecond, double startToEnd, double start, double end) {
    }

    /** One chunk boundary: its frame, d(b), the neighbours' median, score, excess, verdict. */
    public record Seam(int frame, double difference, double neighbourMedian, double score, double excess,
                       boolean suspicious) {
    }

    /**
     * @param flicker         mean of {@code pairDifference}
     * @param maxPairDifference largest consecutive-frame difference
     * @param pairDifference  mean |frame(t+1) &minus; frame(t)| per pair (0..255)
     * @param luma            mean luma per frame (0..255)
     * @param saturation      mean saturation per frame (0..1)
     */
    public record Result(double flicker, double maxPairDifference, double[] pairDifference, double[] luma,
                         double[] saturation, Drift lumaDrift, Drift saturationDrift) {
    }

    private TemporalMetrics() {
    }

    public static Result compute(Clip clip) {
        int n = clip.frameCount();
        double[] luma = new double[n];
        double[] sat = new double[n];
        for (int i = 0; i < n; i++) {
            byte[] f = clip.bgr(i);
            double ys = 0;
            double ss = 0;
            int px = f.length / 3;
            for (int j = 0; j < f.length; j += 3) {
                int b = f[j] & 0xFF;
                int g = f[j + 1] & 0xFF;
                int r = f[j + 2] & 0xFF;
                ys += 0.114 * b + 0.587 * g + 0.299 * r;
                int max = Math.max(r, Math.max(g, b));
                int min = Math.min(r, Math.min(g, b));
                ss += max == 0 ? 0.0 : (max - min) / (double) max;
            }
            luma[i] = ys / px;
            sat[i] = ss / px;
        }
        double[] diffs = pairDifferences(clip);
        double flicker = MotionMetrics.mean(diffs);
        double max = 0;
        for (double d : diffs) {
            max = Math.max(max, d);
        }
        double[] times = new double[n];
        for (int i = 0; i < n; i++) {
            times[i] = clip.timeSeconds(i);
        }
        return new Result(flicker, max, diffs, luma, sat, drift(luma, times), drift(sat, times));
    }

    /** Mean absolute B, G, R difference of every consecutive pair (length frames &minus; 1; empty for 1 frame). */
    public static double[] pairDifferences(Clip clip) {
        int n = clip.frameCount();
        double[] out = new double[Math.max(0, n - 1)];
        for (int t = 0; t + 1 < n; t++) {
            out[t] = meanAbsDiff(clip.bgr(t), clip.bgr(t + 1));
        }
        return out;
    }

    public static double meanAbsDiff(byte[] a, byte[] b) {
        long s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
        }
        return s / (double) a.length;
    }

    /** Least-squares slope against {@code times} and the start/end means of a series (never NaN). */
    public static Drift drift(double[] values, double[] times) {
        int n = values.length;
        if (n == 0) {
            return new Drift(0, 0, 0, 0);
        }
        int k = Math.max(1, Math.min(4, n / 4));
        double start = 0;
        double end = 0;
        for (int i = 0; i < k; i++) {
            start += values[i];
            end += values[n - 1 - i];
        }
        start /= k;
        end /= k;
        double slope = 0;
        if (n >= 2) {
            double mt = 0;
            double mv = 0;
            for (int i = 0; i < n; i++) {
                mt += times[i];
                mv += values[i];
            }
            mt /= n;
            mv /= n;
            double num = 0;
            double den = 0;
            for (int i = 0; i < n; i++) {
                num += (times[i] - mt) * (values[i] - mv);
                den += (times[i] - mt) * (times[i] - mt);
            }
            slope = den > 0 ? num / den : 0.0;
        }
        return new Drift(slope, end - start, start, end);
    }

    /**
     * Seam scores at chunk boundaries.
     *
     * @param boundaries frames that open a new chunk (1 &le; b &lt; frames); others are rejected
     */
    public static List<Seam> seams(Clip clip, int[] boundaries) {
        double[] d = pairDifferences(clip);
        return seams(d, boundaries, clip.name());
    }

    /**
     * Seam scores from precomputed pair differences ({@code d[t]} = difference between frames t and t+1).
     */
    public static List<Seam> seams(double[] d, int[] boundaries, String what) {
        int frames = d.length + 1;
        boolean[] isBoundaryPair = new boolean[d.length];
        for (int b : boundaries) {
            if (b < 1 || b >= frames) {
                throw new JudgeException(what + ": chunk boundary " + b + " is outside frames 1.." + (frames - 1)
                        + " (a boundary is the first frame of a new chunk)");
            }
            isBoundaryPair[b - 1] = true;
        }
        List<Seam> out = new ArrayList<>();
        for (int b : boundaries) {
            int pair = b - 1;
            List<Double> ctx = new ArrayList<>();
            for (int p = pair - SEAM_CONTEXT; p <= pair + SEAM_CONTEXT; p++) {
                if (p >= 0 && p < d.length && !isBoundaryPair[p]) {
                    ctx.add(d[p]);
                }
            }
            double median = median(ctx);
            double score = d[pair] / Math.max(median, SEAM_FLOOR);
            double excess = d[pair] - median;
            out.add(new Seam(b, d[pair], median, score, excess, score >= SEAM_RATIO && excess >= SEAM_MIN_EXCESS));
        }
        return out;
    }

    /**
     * Mean pair difference across the chunk boundaries and inside the chunks: {@code [seam, inner]}, from
     * {@code d[t]} = difference between frames t and t+1 and boundaries checked as in {@link #seams}.
     * A clip whose every pair is a boundary has inner change 0.
     */
    public static double[] seamAndInnerChange(double[] d, int[] boundaries) {
        boolean[] isBoundaryPair = new boolean[d.length];
        for (Seam s : seams(d, boundaries, "seam change")) {
            isBoundaryPair[s.frame() - 1] = true;
        }
        double seam = 0;
        double inner = 0;
        int nSeam = 0;
        for (int p = 0; p < d.length; p++) {
            if (isBoundaryPair[p]) {
                seam += d[p];
                nSeam++;
            } else {
                inner += d[p];
            }
        }
        int nInner = d.length - nSeam;
        return new double[] {nSeam == 0 ? 0 : seam / nSeam, nInner == 0 ? 0 : inner / nInner};
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return 0.0;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2.0;
    }
}
