package dev.storyboard.ui.timeline;

import dev.storyboard.domain.Shot;
import java.util.Locale;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** One shot on the timeline: number, prompt, duration, camera and seed, with a thumbnail strip. */
public final class ShotCard extends VBox {
    public static final String STYLE_CLASS = "shot-card";
    public static final String SELECTED_PSEUDO = "selected";

    private final Shot shot;

    public ShotCard(int number, Shot shot, int fps, double pixelsPerFrame) {
        this.shot = shot;
        getStyleClass().add(STYLE_CLASS);
        setId("shot-card-" + shot.id());
        double width = Math.max(120, shot.durationFrames() * pixelsPerFrame);
        setPrefWidth(width);
        setMinWidth(width);
        setMaxWidth(width);

        Label title = new Label("Shot " + number);
        title.getStyleClass().add("shot-title");
        Label duration = new Label(String.format(Locale.ROOT, "%.1f s · %d f", shot.durationFrames() / (double) fps,
                shot.durationFrames()));
        duration.getStyleClass().add("shot-meta");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(6, title, spacer, duration);
        header.setAlignment(Pos.CENTER_LEFT);

        Region thumbnails = new Region();
        thumbnails.getStyleClass().add("thumbnail-strip");
        thumbnails.setPrefHeight(48);
        thumbnails.setMinHeight(48);

        Label prompt = new Label(shot.prompt());
        prompt.getStyleClass().add("shot-prompt");
        prompt.setWrapText(true);
        prompt.setMaxHeight(40);

        Label meta = new Label(shot.camera().promptPhrase() + " · " + shot.shotSize().promptPhrase() + " · seed " + shot.seed());
        meta.getStyleClass().add("shot-meta");

        Label takes = new Label(shot.takes().isEmpty() ? "not generated" : shot.takes().size() + " take(s)");
        takes.getStyleClass().add("shot-meta");

        getChildren().addAll(header, thumbnails, prompt, meta, takes);
    }

    public Shot shot() {
        return shot;
    }
}
