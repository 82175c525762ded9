package dev.storyboard.ui.timeline;

import dev.storyboard.domain.Storyboard;
import dev.storyboard.ui.generation.FrameCache;
import dev.storyboard.ui.generation.JobEntry;
import dev.storyboard.ui.generation.QualityMarks;
import java.util.Objects;
import java.util.Optional;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ListProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SetProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleListProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleSetProperty;
import javafx.collections.FXCollections;
import javafx.event.EventHandler;
import javafx.scene.control.Control;
import javafx.scene.control.Skin;

/**
 * The shot timeline, a Control in the manner of ControlsFX's RangeSlider: its state is in properties (the
 * storyboard's shots, the scale in pixels per frame, the selection, the playhead, stale shots, the jobs) and a
 * gesture is reported as a {@link ShotTimelineEvent} when it is committed; while an edge is dragged
 * {@link #resizingProperty()} is true and nothing is committed. Look and gestures are in {@link ShotTimelineSkin}:
 * shots as cards laid end to end on a frame axis, a ruler with the playhead, selection and multi-selection, drag to
 * reorder, drag a card's right edge to change its length (Esc cancels). It knows no view model.
 */
public final class ShotTimeline extends Control {
    public static final String ID = "timeline";

    private final ObjectProperty<Storyboard> storyboard = new SimpleObjectProperty<>(this, "storyboard");
    private final DoubleProperty pixelsPerFrame = new SimpleDoubleProperty(this, "pixelsPerFrame", 12);
    private final SetProperty<String> selection = new SimpleSetProperty<>(this, "selection", FXCollections.observableSet());
    private final SetProperty<String> staleShots = new SimpleSetProperty<>(this, "staleShots", FXCollections.observableSet());
    private final IntegerProperty playhead = new SimpleIntegerProperty(this, "playhead");
    private final BooleanProperty playing = new SimpleBooleanProperty(this, "playing");
    private final ListProperty<JobEntry> jobs = new SimpleListProperty<>(this, "jobs", FXCollections.observableArrayList());
    private final ReadOnlyBooleanWrapper resizing = new ReadOnlyBooleanWrapper(this, "resizing");
    private final FrameCache frames;
    private final QualityMarks qualityMarks;

    /**
     * @param frames       generated frames in memory (the cards' thumbnails)
     * @param qualityMarks live quality flags of takes (the cards' warnings)
     */
    public ShotTimeline(Storyboard initial, FrameCache frames, QualityMarks qualityMarks) {
        this.frames = Objects.requireNonNull(frames, "frames");
        this.qualityMarks = Objects.requireNonNull(qualityMarks, "qualityMarks");
        storyboard.set(Objects.requireNonNull(initial, "storyboard"));
        setId(ID);
        getStyleClass().add("shot-timeline");
        setFocusTraversable(true);
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new ShotTimelineSkin(this);
    }

    // ---- properties -----------------------------------------------------------------------------

    /** The storyboard whose shots are shown. */
    public ObjectProperty<Storyboard> storyboardProperty() {
        return storyboard;
    }

    public Storyboard getStoryboard() {
        return storyboard.get();
    }

    /** The scale: pixels per frame. */
    public DoubleProperty pixelsPerFrameProperty() {
        return pixelsPerFrame;
    }

    public double getPixelsPerFrame() {
        return pixelsPerFrame.get();
    }

    /** Ids of the selected shots (shown selected; clicks ask for changes through {@link ShotTimelineEvent#SELECT}). */
    public SetProperty<String> selectionProperty() {
        return selection;
    }

    /** Ids of the shots whose take is out of date. */
    public SetProperty<String> staleShotsProperty() {
        return staleShots;
    }

    /** The scene frame under the playhead. */
    public IntegerProperty playheadProperty() {
        return playhead;
    }

    /** True while playing: the view scrolls to keep the playhead visible. */
    public BooleanProperty playingProperty() {
        return playing;
    }

    /** The generation jobs: a card shows its shot's running job. */
    public ListProperty<JobEntry> jobsProperty() {
        return jobs;
    }

    /** True while a shot's edge is being dragged (nothing is committed until it turns false). */
    public ReadOnlyBooleanProperty resizingProperty() {
        return resizing.getReadOnlyProperty();
    }

    public boolean isResizing() {
        return resizing.get();
    }

    void setResizing(boolean value) {
        resizing.set(value);
    }

    public FrameCache frames() {
        return frames;
    }

    public QualityMarks qualityMarks() {
        return qualityMarks;
    }

    /** The newest queued or running job of a shot. */
    Optional<JobEntry> activeJob(String shotId) {
        for (int i = jobs.size() - 1; i >= 0; i--) {
            JobEntry e = jobs.get(i);
            if (e.isActive() && e.shotId().equals(shotId)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    // ---- events ---------------------------------------------------------------------------------

    public void setOnResizeCommitted(EventHandler<ShotTimelineEvent> handler) {
        setEventHandler(ShotTimelineEvent.RESIZE_COMMITTED, handler);
    }

    public void setOnMoveCommitted(EventHandler<ShotTimelineEvent> handler) {
        setEventHandler(ShotTimelineEvent.MOVE_COMMITTED, handler);
    }

    public void setOnSelect(EventHandler<ShotTimelineEvent> handler) {
        setEventHandler(ShotTimelineEvent.SELECT, handler);
    }

    public void setOnSeek(EventHandler<ShotTimelineEvent> handler) {
        setEventHandler(ShotTimelineEvent.SEEK, handler);
    }

    public void setOnZoomRequested(EventHandler<ShotTimelineEvent> handler) {
        setEventHandler(ShotTimelineEvent.ZOOM, handler);
    }

    // ---- skin queries ---------------------------------------------------------------------------

    private Optional<ShotTimelineSkin> timelineSkin() {
        return getSkin() instanceof ShotTimelineSkin s ? Optional.of(s) : Optional.empty();
    }

    /** True while an edge or a card is being dragged. */
    public boolean isDragging() {
        return timelineSkin().map(ShotTimelineSkin::isDragging).orElse(false);
    }

    /** Esc: abandons the drag in progress; nothing changes. */
    public void cancelDrag() {
        timelineSkin().ifPresent(ShotTimelineSkin::cancelDrag);
    }

    /** The card of a shot, if shown. */
    public Optional<ShotCard> card(String shotId) {
        return timelineSkin().flatMap(s -> s.card(shotId));
    }

    /** X of the playhead within the timeline's content (tests, scrolling). */
    public double playheadX() {
        return timelineSkin().map(ShotTimelineSkin::playheadX).orElse(0.0);
    }

    /** The width the whole scene should take to fit the visible part of the timeline (Fit). */
    public double fitWidth() {
        return timelineSkin().map(ShotTimelineSkin::fitWidth).orElse(Math.max(200, getWidth() - 40));
    }
}
