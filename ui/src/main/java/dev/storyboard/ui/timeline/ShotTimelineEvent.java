package dev.storyboard.ui.timeline;

import java.util.List;
import javafx.event.Event;
import javafx.event.EventType;

/**
 * What a gesture on the {@link ShotTimeline} asks for, fired when the gesture is committed (on release, like
 * ControlsFX's RangeSlider records a change when {@code lowValueChanging} flips back). The timeline itself changes
 * no storyboard: its owner turns each event into one command, or into a selection or playhead change.
 */
public final class ShotTimelineEvent extends Event {
    public static final EventType<ShotTimelineEvent> ANY = new EventType<>(Event.ANY, "SHOT_TIMELINE");
    /** An edge drag ended: {@link #shotId()} should become {@link #frames()} long. */
    public static final EventType<ShotTimelineEvent> RESIZE_COMMITTED = new EventType<>(ANY, "RESIZE_COMMITTED");
    /** A card drag ended: {@link #shotIds()} move to the gap before index {@link #frames()}. */
    public static final EventType<ShotTimelineEvent> MOVE_COMMITTED = new EventType<>(ANY, "MOVE_COMMITTED");
    /** A click on a card: select it ({@link #selectMode()}). */
    public static final EventType<ShotTimelineEvent> SELECT = new EventType<>(ANY, "SELECT");
    /** A click on the ruler or the empty track, or a double click on a card: the playhead to {@link #frames()}. */
    public static final EventType<ShotTimelineEvent> SEEK = new EventType<>(ANY, "SEEK");
    /** Ctrl+wheel: zoom in ({@link #frames()} &gt; 0) or out (&lt; 0). */
    public static final EventType<ShotTimelineEvent> ZOOM = new EventType<>(ANY, "ZOOM");

    /** How a click changes the selection. */
    public enum SelectMode { ONLY, TOGGLE, EXTEND }

    private final String shotId;
    private final List<String> shotIds;
    private final int frames;
    private final SelectMode selectMode;
    private final boolean snapToSeconds;
    private final boolean pausePlayback;

    private ShotTimelineEvent(EventType<ShotTimelineEvent> type, String shotId, List<String> shotIds, int frames,
                              SelectMode selectMode, boolean snapToSeconds, boolean pausePlayback) {
        super(type);
        this.shotId = shotId;
        this.shotIds = List.copyOf(shotIds);
        this.frames = frames;
        this.selectMode = selectMode;
        this.snapToSeconds = snapToSeconds;
        this.pausePlayback = pausePlayback;
    }

    public static ShotTimelineEvent resize(String shotId, int frames) {
        return new ShotTimelineEvent(RESIZE_COMMITTED, shotId, List.of(shotId), frames, null, false, false);
    }

    public static ShotTimelineEvent move(List<String> shotIds, int gap) {
        return new ShotTimelineEvent(MOVE_COMMITTED, null, shotIds, gap, null, false, false);
    }

    public static ShotTimelineEvent select(String shotId, SelectMode mode) {
        return new ShotTimelineEvent(SELECT, shotId, List.of(shotId), 0, mode, false, false);
    }

    public static ShotTimelineEvent seek(int frame, boolean snapToSeconds, boolean pausePlayback) {
        return new ShotTimelineEvent(SEEK, null, List.of(), frame, null, snapToSeconds, pausePlayback);
    }

    public static ShotTimelineEvent zoom(int direction) {
        return new ShotTimelineEvent(ZOOM, null, List.of(), direction, null, false, false);
    }

    @Override
    @SuppressWarnings("unchecked")
    public EventType<ShotTimelineEvent> getEventType() {
        return (EventType<ShotTimelineEvent>) super.getEventType();
    }

    /** The shot resized or clicked (null for other events). */
    public String shotId() {
        return shotId;
    }

    /** The shots moved (in timeline order), or the one shot resized or clicked. */
    public List<String> shotIds() {
        return shotIds;
    }

    /** The new length (resize), the gap (move), the frame (seek) or the zoom direction. */
    public int frames() {
        return frames;
    }

    public SelectMode selectMode() {
        return selectMode;
    }

    public boolean snapToSeconds() {
        return snapToSeconds;
    }

    /** True for a click on the ruler or the track: playback stops before the playhead moves. */
    public boolean pausePlayback() {
        return pausePlayback;
    }
}
