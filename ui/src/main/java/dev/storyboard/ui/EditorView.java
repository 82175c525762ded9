package dev.storyboard.ui;

import dev.storyboard.domain.generation.EngineStatus;
import dev.storyboard.ui.preview.PreviewPane;
import dev.storyboard.ui.timeline.ShotTimeline;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.geometry.Orientation;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/**
 * The editor window's content: toolbar, preview and inspector side by side, the shot timeline below,
 * a status bar with the inference engine's state. Pure view: all state lives in {@link EditorViewModel}.
 */
public final class EditorView {
    public static final String STYLESHEET = EditorView.class.getResource("editor.css").toExternalForm();

    private final BorderPane root = new BorderPane();
    private final PreviewPane preview;
    private final ShotTimeline timeline;

    public EditorView(EditorViewModel model) {
        root.getStyleClass().add("editor");
        root.getStylesheets().add(STYLESHEET);

        preview = new PreviewPane(Bindings.createStringBinding(() -> placeholderText(model.engineStatusProperty().get(),
                model.storyboard().shots().isEmpty()), model.engineStatusProperty(), model.storyboardProperty()));
        ShotInspector inspector = new ShotInspector(model.selectedShotProperty());
        SplitPane center = new SplitPane(preview, inspector);
        center.setDividerPositions(0.68);
        timeline = new ShotTimeline(model.storyboardProperty(), model.selectedShotProperty());
        timeline.setPrefHeight(190);

        root.setTop(toolbar(model));
        SplitPane main = new SplitPane(center, timeline);
        main.setOrientation(Orientation.VERTICAL);
        main.setDividerPositions(0.7);
        root.setCenter(main);
        root.setBottom(statusBar(model));
    }

    public Parent root() {
        return root;
    }

    public PreviewPane preview() {
        return preview;
    }

    public ShotTimeline timeline() {
        return timeline;
    }

    private static ToolBar toolbar(EditorViewModel model) {
        Button generate = new Button("Generate shot");
        generate.setId("generate-button");
        generate.disableProperty().bind(Bindings.createBooleanBinding(
                () -> !model.engineStatusProperty().get().ready() || model.selectedShotProperty().get() == null,
                model.engineStatusProperty(), model.selectedShotProperty()));
        generate.setTooltip(new Tooltip("Generate the selected shot with the bundled model"));
        Button export = new Button("Export MP4");
        export.setId("export-button");
        export.setDisable(true);
        export.setTooltip(new Tooltip("Export arrives with the export pipeline"));
        Label title = new Label();
        title.textProperty().bind(Bindings.createStringBinding(() -> model.storyboard().title(), model.storyboardProperty()));
        title.getStyleClass().add("toolbar-title");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        return new ToolBar(title, new Separator(), generate, export, spacer);
    }

    private static HBox statusBar(EditorViewModel model) {
        Label engine = new Label();
        engine.setId("engine-status");
        engine.textProperty().bind(Bindings.createStringBinding(() -> {
            EngineStatus s = model.engineStatusProperty().get();
            return (s.ready() ? "● " : "○ ") + s.message() + (s.device().isEmpty() ? "" : "  [" + s.device() + "]");
        }, model.engineStatusProperty()));
        Label scene = new Label();
        scene.textProperty().bind(Bindings.createStringBinding(() -> {
            var sb = model.storyboard();
            return String.format(Locale.ROOT, "%d shots · %.1f s · %d fps · %d×%d", sb.shots().size(), sb.durationSeconds(),
                    sb.fps(), sb.width(), sb.height());
        }, model.storyboardProperty()));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(12, engine, spacer, scene);
        bar.getStyleClass().add("status-bar");
        return bar;
    }

    private static String placeholderText(EngineStatus status, boolean noShots) {
        if (noShots) {
            return "Add a shot to the timeline to start.";
        }
        if (!status.ready()) {
            return "Preview\n\n" + status.message();
        }
        return "Preview\n\nSelect a shot and generate it: each chunk appears here as soon as it is decoded.";
    }
}
