package dev.storyboard.ui.timeline;

import dev.storyboard.domain.Shot;
import dev.storyboard.domain.Storyboard;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.HBox;

/**
 * The shot timeline: shots as cards in order, each as wide as its duration at the current zoom.
 * Rebuilds its cards whenever the storyboard value changes (storyboards are immutable values).
 */
public final class ShotTimeline extends ScrollPane {
    public static final String ID = "timeline";
    private static final PseudoClass SELECTED = PseudoClass.getPseudoClass(ShotCard.SELECTED_PSEUDO);

    private final HBox track = new HBox(4);
    private final DoubleProperty pixelsPerFrame = new SimpleDoubleProperty(12);
    private final ObjectProperty<Shot> selectedShot;
    private Storyboard current;

    public ShotTimeline(javafx.beans.value.ObservableValue<Storyboard> storyboard, ObjectProperty<Shot> selectedShot) {
        this.selectedShot = selectedShot;
        setId(ID);
        getStyleClass().add("shot-timeline");
        track.getStyleClass().add("timeline-track");
        track.setPadding(new Insets(8));
        setContent(track);
        setFitToHeight(true);
        setHbarPolicy(ScrollBarPolicy.AS_NEEDED);
        setVbarPolicy(ScrollBarPolicy.NEVER);
        storyboard.addListener((obs, old, now) -> rebuild(now));
        pixelsPerFrame.addListener((obs, old, now) -> rebuild(current));
        selectedShot.addListener((obs, old, now) -> refreshSelection());
        rebuild(storyboard.getValue());
    }

    /** Zoom: horizontal pixels per frame. */
    public DoubleProperty pixelsPerFrameProperty() {
        return pixelsPerFrame;
    }

    private void rebuild(Storyboard storyboard) {
        current = storyboard;
        track.getChildren().clear();
        if (storyboard.shots().isEmpty()) {
            Label empty = new Label("No shots yet: add one to start directing.");
            empty.getStyleClass().add("timeline-empty");
            track.getChildren().add(empty);
            return;
        }
        int number = 1;
        for (Shot shot : storyboard.shots()) {
            ShotCard card = new ShotCard(number++, shot, storyboard.fps(), pixelsPerFrame.get());
            card.setOnMouseClicked(e -> selectedShot.set(card.shot()));
            track.getChildren().add(card);
        }
        refreshSelection();
    }

    private void refreshSelection() {
        Shot selected = selectedShot.get();
        track.getChildren().stream()
                .filter(ShotCard.class::isInstance)
                .map(ShotCard.class::cast)
                .forEach(card -> card.pseudoClassStateChanged(SELECTED,
                        selected != null && card.shot().id().equals(selected.id())));
    }
}
