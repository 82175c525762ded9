package dev.storyboard.media.timeline;

import dev.storyboard.domain.Shot;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import dev.storyboard.domain.export.EditorialRate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A single-track edit at an editorial rate: the storyboard's shots back to back, ready for OTIO, EDL or
 * FCPXML. Clip durations are in frames of {@link #rate}; the media each clip names are encoded at that rate
 * with exactly that many frames, so source and record durations agree.
 */
public record EditTimeline(String title, EditorialRate rate, int width, int height, List<TimelineClip> clips) {
    public EditTimeline {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(rate, "rate");
        clips = List.copyOf(clips);
    }

    /** A timeline at a whole number of frames per second. */
    public EditTimeline(String title, int fps, int width, int height, List<TimelineClip> clips) {
        this(title, EditorialRate.of(fps), width, height, clips);
    }

    /**
     * The storyboard as a timeline at {@code rate}: each shot's cuts are placed by
     * {@link EditorialRate#recordFrame} on the whole scene (cumulative rounding, never per shot).
     *
     * @param mediaPathOf where each shot's media lives, relative to the timeline file
     * @throws IllegalArgumentException when the rate is so low that a shot would have no frame
     */
    public static EditTimeline of(Storyboard storyboard, EditorialRate rate, Function<Shot, String> mediaPathOf) {
        List<TimelineClip> clips = new ArrayList<>();
        int n = 1;
        long start = 0;
        for (Shot shot : storyboard.shots()) {
            long end = start + shot.durationFrames();
            long frames = rate.recordFrames(start, end, storyboard.fps());
            if (frames <= 0 || frames > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shot " + n + " (" + shot.durationFrames() + " frames at "
                        + storyboard.fps() + " fps) has no whole frame at " + rate);
            }
            String take = shot.activeTakeId() == null ? "" : shot.activeTakeId();
            // the seed that made the frames in the cut: the active take's (a new take rolls its own seed, so the
            // shot's seed is only the one the next locked take would use)
            long seed = shot.activeTake().map(Take::seed).orElse(shot.seed());
            clips.add(new TimelineClip(shot.id(), "Shot " + n++, shot.prompt(), seed, shot.camera().name(),
                    shot.shotSize().name(), take, mediaPathOf.apply(shot), (int) frames));
            start = end;
        }
        return new EditTimeline(storyboard.title(), rate, storyboard.width(), storyboard.height(), clips);
    }

    /** The storyboard at its own (native) frame rate. */
    public static EditTimeline of(Storyboard storyboard, Function<Shot, String> mediaPathOf) {
        return of(storyboard, EditorialRate.of(storyboard.fps()), mediaPathOf);
    }

    public int totalFrames() {
        return clips.stream().mapToInt(TimelineClip::durationFrames).sum();
    }
}
