package dev.storyboard.domain.export;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The frame rate video leaves the app at, as an exact rational {@code numerator/denominator} frames per
 * second (24/1, 24000/1001, …). The one place that maps the scene's own frames (8 fps for the bundled
 * model) onto an editorial rate; timelines, their per-shot media and MP4 export all go through it.
 *
 * <p><b>Rounding rule (conform by frame hold).</b> Source frame {@code k} of a scene at {@code s} fps starts
 * at source time {@code k/s}; on the editorial timeline it starts at record frame
 * {@code b(k) = round(k · rate / s)}, rounding halves up ({@link #recordFrame}). Each source frame is held
 * from {@code b(k)} until {@code b(k+1)}. A shot is a run of source frames, so its cuts are such
 * boundaries: every cut is rounded from its true time on the whole timeline (cumulative), never per shot,
 * so each cut lands within half an editorial frame of its true time and errors never add up. A shot's
 * editorial length is {@code b(end) − b(start)}. At a whole multiple of the scene rate (24 = 3 × 8) nothing
 * is rounded: every frame is held exactly {@code rate / s} times. See docs/decisions/0006-editorial-rate.md.
 *
 * <p><b>Timecode.</b> Timecode counts frames with the nominal integer base ({@link #timecodeBase}: 24 for
 * 23.976, 30 for 29.97) and is always non-drop-frame: for 23.976 there is no drop-frame timecode, and for
 * 29.97 NDF keeps timecode a plain frame count (it runs 0.1 % slow against the wall clock).
 *
 * @param numerator   frames (positive)
 * @param denominator per this many seconds (positive); the pair is kept in lowest terms
 */
public record EditorialRate(int numerator, int denominator) {
    public static final EditorialRate FPS_23_976 = new EditorialRate(24000, 1001);
    public static final EditorialRate FPS_24 = new EditorialRate(24, 1);
    public static final EditorialRate FPS_25 = new EditorialRate(25, 1);
    public static final EditorialRate FPS_29_97 = new EditorialRate(30000, 1001);
    public static final EditorialRate FPS_30 = new EditorialRate(30, 1);
    public static final EditorialRate FPS_50 = new EditorialRate(50, 1);
    public static final EditorialRate FPS_60 = new EditorialRate(60, 1);

    /** The rates an editor's timeline offers, in the order a chooser lists them. */
    public static final List<EditorialRate> STANDARD =
            List.of(FPS_23_976, FPS_24, FPS_25, FPS_29_97, FPS_30, FPS_50, FPS_60);

    /** The default of {@code export-timeline}: film rate, and exactly 3 × the model's 8 fps. */
    public static final EditorialRate DEFAULT_TIMELINE = FPS_24;

    public EditorialRate {
        if (numerator <= 0 || denominator <= 0) {
            throw new IllegalArgumentException("a frame rate must be positive, was " + numerator + "/" + denominator);
        }
        int g = gcd(numerator, denominator);
        numerator /= g;
        denominator /= g;
    }

    /** A whole number of frames per second (a scene's native rate). */
    public static EditorialRate of(int fps) {
        return new EditorialRate(fps, 1);
    }

    /**
     * One of {@link #STANDARD} by its name ({@code 23.976, 24, 25, 29.97, 30, 50, 60}; {@code 23.98} and
     * {@code 24000/1001}-style fractions are accepted too).
     */
    public static EditorialRate parse(String text) {
        String t = text.strip();
        for (EditorialRate r : STANDARD) {
            if (r.label().equals(t) || r.fraction().equals(t) || r == FPS_23_976 && t.equals("23.98")) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown frame rate '" + text + "', expected one of " + choices());
    }

    /** The standard rates' names, separated by {@code |}. */
    public static String choices() {
        return STANDARD.stream().map(EditorialRate::label).collect(Collectors.joining("|"));
    }

    /** Frames per second as a double (24000/1001 → 23.976023976…). */
    public double fps() {
        return (double) numerator / denominator;
    }

    /** Whether the rate is a whole number of frames per second. */
    public boolean integral() {
        return denominator == 1;
    }

    /** Nominal frames per timecode second: 24 for 23.976, 30 for 29.97, the rate itself otherwise. */
    public int timecodeBase() {
        return (int) Math.round(fps());
    }

    /** How people write it: "24", "23.976", "29.97". */
    public String label() {
        if (integral()) {
            return Integer.toString(numerator);
        }
        String s = String.format(Locale.ROOT, "%.3f", fps());
        return s.replaceFirst("0+$", "").replaceFirst("\\.$", "");
    }

    /** "24/1", "24000/1001". */
    public String fraction() {
        return numerator + "/" + denominator;
    }

    /**
     * The record frame at which source frame {@code sourceFrame} of a scene at {@code sourceFps} starts:
     * {@code round(sourceFrame · rate / sourceFps)}, halves rounded up. The one rounding rule (class comment).
     */
    public long recordFrame(long sourceFrame, int sourceFps) {
        checkSource(sourceFrame, sourceFps);
        // floor(k·n/(s·d) + 1/2) = floor((2·k·n + s·d) / (2·s·d))
        long sd = (long) sourceFps * denominator;
        return Math.floorDiv(2 * sourceFrame * numerator + sd, 2 * sd);
    }

    /**
     * The source frame shown at record frame {@code recordFrame}: the last {@code k} with
     * {@code recordFrame(k) <= recordFrame}. Inverse of {@link #recordFrame} for frame hold.
     */
    public long sourceFrameAt(long recordFrame, int sourceFps) {
        checkSource(recordFrame, sourceFps);
        // recordFrame(k) <= g  ⇔  k·n/(s·d) + 1/2 < g + 1  ⇔  k < (2g + 1)·s·d / (2n)
        long sd = (long) sourceFps * denominator;
        long num = (2 * recordFrame + 1) * sd;
        long den = 2L * numerator;
        return Math.floorDiv(num + den - 1, den) - 1; // ceil(num/den) − 1
    }

    /** Record frames of a run of source frames [{@code from}, {@code to}): {@code recordFrame(to) − recordFrame(from)}. */
    public long recordFrames(long from, long to, int sourceFps) {
        return recordFrame(to, sourceFps) - recordFrame(from, sourceFps);
    }

    /** The seconds one frame lasts as a reduced fraction {@code {num, den}}: 1/24, 1001/30000. */
    public long[] frameDuration() {
        return new long[] {denominator, numerator};
    }

    private static void checkSource(long frame, int sourceFps) {
        if (frame < 0) {
            throw new IllegalArgumentException("negative frame index " + frame);
        }
        if (sourceFps <= 0) {
            throw new IllegalArgumentException("source fps must be > 0, was " + sourceFps);
        }
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    @Override
    public String toString() {
        return label() + " fps";
    }
}
