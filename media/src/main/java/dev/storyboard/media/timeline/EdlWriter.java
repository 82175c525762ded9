package dev.storyboard.media.timeline;

import java.util.Locale;

/**
 * CMX3600 EDL, non-drop-frame. One video event per shot, cut transitions, reel {@code AX} (a file-based
 * source) with {@code * FROM CLIP NAME} naming the media, and the prompt, seed, camera and take as comments.
 * The record side starts at {@value #RECORD_START_HOUR}:00:00:00, the usual programme start. Timecodes count
 * frames of the timeline's editorial rate with its nominal base (24 for 23.976, 30 for 29.97) and are always
 * non-drop-frame ({@code FCM: NON-DROP FRAME}, colons only): see {@link dev.storyboard.domain.export.EditorialRate}.
 * A CMX3600 file does not state its rate; the reader is told it (the timeline's rate, e.g. 24).
 */
public final class EdlWriter implements TimelineWriter {
    public static final int RECORD_START_HOUR = 1;
    private static final int MAX_COMMENT = 200;

    @Override
    public String write(EditTimeline t) {
        StringBuilder sb = new StringBuilder();
        sb.append("TITLE: ").append(ascii(t.title())).append('\n');
        sb.append("FCM: NON-DROP FRAME\n\n");
        int base = t.rate().timecodeBase();
        long record = (long) RECORD_START_HOUR * 3600 * base;
        int event = 1;
        for (TimelineClip c : t.clips()) {
            long dur = c.durationFrames();
            sb.append(String.format(Locale.ROOT, "%03d  AX       V     C        %s %s %s %s%n", event++,
                    Timecode.of(0, base), Timecode.of(dur, base),
                    Timecode.of(record, base), Timecode.of(record + dur, base)));
            sb.append("* FROM CLIP NAME: ").append(ascii(c.mediaPath())).append('\n');
            sb.append("* COMMENT: ").append(ascii(c.name())).append(" PROMPT: ").append(truncate(ascii(c.prompt()))).append('\n');
            sb.append("* COMMENT: SEED: ").append(c.seed()).append(" CAMERA: ").append(ascii(c.camera()))
                    .append(" SIZE: ").append(ascii(c.shotSize())).append(" TAKE: ").append(c.takeId().isEmpty() ? "-" : ascii(c.takeId()))
                    .append('\n');
            sb.append('\n');
            record += dur;
        }
        return sb.toString();
    }

    /** EDL readers expect ASCII on one line (every text field goes through here). */
    private static String ascii(String s) {
        return TimelineText.edl(s);
    }

    private static String truncate(String s) {
        return s.length() <= MAX_COMMENT ? s : s.substring(0, MAX_COMMENT - 3) + "...";
    }
}
