package dev.storyboard.media.export;

import dev.storyboard.domain.export.EditorialRate;
import dev.storyboard.domain.generation.VideoFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * Conforms frames at a scene's own rate to an editorial rate by holding each frame, with the rounding rule
 * of {@link EditorialRate#recordFrame} (source frame {@code k} starts at record frame
 * {@code round(k · rate / sourceFps)}): 8 → 24 fps shows every frame exactly 3 times; 8 → 25 fps shows
 * frames 3 or 4 times so that every frame, and so every cut, starts within half a frame of its true time.
 * The result holds references to the same frames (nothing is copied).
 */
public final class FrameHold {
    private FrameHold() {
    }

    /** One continuous run of frames (a rendered scene) at {@code rate}. */
    public static List<VideoFrame> conform(List<VideoFrame> frames, int sourceFps, EditorialRate rate) {
        return shots(List.of(frames), sourceFps, rate).get(0);
    }

    /**
     * Shots back to back from source frame 0, each conformed to {@code rate}: shot {@code i} gets
     * {@code recordFrame(end) − recordFrame(start)} frames, the same count {@code EditTimeline.of} gives its clip.
     *
     * @throws IllegalArgumentException when a shot would get no frame at all (a rate far below the source's)
     */
    public static List<List<VideoFrame>> shots(List<List<VideoFrame>> shots, int sourceFps, EditorialRate rate) {
        List<List<VideoFrame>> result = new ArrayList<>(shots.size());
        long start = 0;
        for (int i = 0; i < shots.size(); i++) {
            List<VideoFrame> shot = shots.get(i);
            long end = start + shot.size();
            long from = rate.recordFrame(start, sourceFps);
            long to = rate.recordFrame(end, sourceFps);
            if (to <= from) {
                throw new IllegalArgumentException("shot " + (i + 1) + " (" + shot.size() + " frames at " + sourceFps
                        + " fps) has no whole frame at " + rate);
            }
            List<VideoFrame> out = new ArrayList<>((int) (to - from));
            for (long g = from; g < to; g++) {
                long k = rate.sourceFrameAt(g, sourceFps);
                if (k < start || k >= end) {
                    throw new IllegalStateException("record frame " + g + " maps to source frame " + k
                            + " outside shot " + (i + 1) + " [" + start + ", " + end + ")");
                }
                out.add(shot.get((int) (k - start)));
            }
            result.add(List.copyOf(out));
            start = end;
        }
        return List.copyOf(result);
    }
}
