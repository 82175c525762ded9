package dev.storyboard.ui.timeline;

import dev.storyboard.ui.EditorViewModel;
import java.util.Objects;
import java.util.Optional;
import javafx.scene.control.Control;
import javafx.scene.control.Skin;

/**
 * The shot timeline (a Control; its look and gestures are in {@link ShotTimelineSkin}): shots as cards
 * laid end to end on a frame axis at the current zoom, a ruler with the playhead, selection and
 * multi-selection, drag to reorder, drag a card's right edge to change its length (Esc cancels).
 */
public final class ShotTimeline extends Control {
    public static final String ID = "timeline";
    private final EditorViewModel model;

    public ShotTimeline(EditorViewModel model) {
        this.model = Objects.requireNonNull(model, "model");
        setId(ID);
        getStyleClass().add("shot-timeline");
        setFocusTraversable(true);
    }

    public EditorViewModel model() {
        return model;
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new ShotTimelineSkin(this);
    }

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
}
