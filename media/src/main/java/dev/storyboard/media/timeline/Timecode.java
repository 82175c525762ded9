package dev.storyboard.media.timeline;

import java.util.Locale;

/** SMPTE non-drop-frame timecode HH:MM:SS:FF at an integer frame rate. */
public final class Timecode {
    private Timecode() {
    }

    public static String of(long frames, int fps) {
        if (frames < 0) {
            throw new IllegalArgumentException("timecode of a negative frame count: " + frames);
        }
        long ff = frames % fps;
        long totalSeconds = frames / fps;
        return String.format(Locale.ROOT, "%02d:%02d:%02d:%02d", totalSeconds / 3600, (totalSeconds / 60) % 60,
                totalSeconds % 60, ff);
    }

    /** Inverse of {@link #of}. */
    public static long parse(String timecode, int fps) {
        String[] p = timecode.split(":");
        if (p.length != 4) {
            throw new IllegalArgumentException("not a timecode: " + timecode);
        }
        long h = Long.parseLong(p[0]);
        long m = Long.parseLong(p[1]);
        long s = Long.parseLong(p[2]);
        long f = Long.parseLong(p[3]);
        if (m >= 60 || s >= 60 || f >= fps) {
            throw new IllegalArgumentException("timecode out of range at " + fps + " fps: " + timecode);
        }
        return ((h * 60 + m) * 60 + s) * fps + f;
    }
}
