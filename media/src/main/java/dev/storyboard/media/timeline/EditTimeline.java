package dev.storyboard.media.timeline;

import dev.storyboard.domain.Shot;
import dev.storyboard.domain.Storyboard;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** A single-track edit: the storyboard's shots back to back, ready for OTIO, EDL or FCPXML. */
public record EditTimeline(String title, int fps, int width, int height, List<TimelineClip> clips) {
    public EditTimeline {
        Objects.requireNonNull(title, "title");
        clips = List.copyOf(clips);
        if (fps <= 0) {
            throw new IllegalArgumentException("fps must be > 0, was " + fps);
        }
    }

    /**
     * The storyboard as a timeline.
     *
     * @param mediaPathOf where each shot's media lives, relative to the timeline file
     */
    public static EditTimeline of(Storyboard storyboard, Function<Shot, String> mediaPathOf) {
        List<TimelineClip> clips = new ArrayList<>();
        int n = 1;
        for (Shot shot : storyboard.shots()) {
            String take = shot.activeTakeId() == null ? "" : shot.activeTakeId();
            clips.add(new TimelineClip(shot.id(), "Shot " + n++, shot.prompt(), shot.seed(), shot.camera().name(),
                    shot.shotSize().name(), take, mediaPathOf.apply(shot), shot.durationFrames()));
        }
        return new EditTimeline(storyboard.title(), storyboard.fps(), storyboard.width(), storyboard.height(), clips);
    }

    public int totalFrames() {
        return clips.stream().mapToInt(TimelineClip::durationFrames).sum();
    }
}
