package dev.storyboard.ui.generation;

import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The generation queue: every job with its progress and step counter, cancel one or all. */
public final class QueueView extends BorderPane {
    private final ListView<JobEntry> list = new ListView<>();

    public QueueView(GenerationModel model) {
        setId("queue-view");
        getStyleClass().add("queue-view");
        list.setItems(model.jobs());
        list.setId("queue-list");
        list.setPlaceholder(new Label("No jobs. Generate a shot or drag a shot's edge to extend it."));
        list.setCellFactory(v -> new JobCell(model));
        Button cancelAll = new Button("Cancel all");
        cancelAll.setId("cancel-all-button");
        cancelAll.setTooltip(new Tooltip("Cancel every queued and running job (Ctrl+Shift+.)"));
        cancelAll.disableProperty().bind(Bindings.createBooleanBinding(
                () -> model.jobs().stream().noneMatch(JobEntry::isActive), model.jobs()));
        Button clear = new Button("Clear finished");
        clear.setId("clear-finished-button");
        clear.setOnAction(e -> model.controller().clearFinished());
        cancelAll.setOnAction(e -> model.cancelAll());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Label title = new Label("Generation queue");
        title.getStyleClass().add("inspector-heading");
        HBox top = new HBox(8, title, spacer, clear, cancelAll);
        top.setAlignment(Pos.CENTER_LEFT);
        top.setPadding(new Insets(8, 12, 8, 12));
        setTop(top);
        setCenter(list);
    }

    /** A job row; its nodes are created once per cell and re-bound to the job it shows. */
    private static final class JobCell extends ListCell<JobEntry> {
        private final GenerationModel model;
        private final Label title = new Label();
        private final Label step = new Label();
        private final ProgressBar bar = new ProgressBar();
        private final Button cancel = new Button("✕");
        private final HBox row;

        JobCell(GenerationModel model) {
            this.model = model;
            title.getStyleClass().add("job-title");
            step.getStyleClass().add("field-hint");
            bar.setMaxWidth(Double.MAX_VALUE);
            cancel.getStyleClass().add("job-cancel");
            cancel.setTooltip(new Tooltip("Cancel this job"));
            VBox text = new VBox(2, title, bar, step);
            HBox.setHgrow(text, Priority.ALWAYS);
            row = new HBox(8, text, cancel);
            row.setAlignment(Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(JobEntry job, boolean empty) {
            super.updateItem(job, empty);
            step.textProperty().unbind();
            bar.progressProperty().unbind();
            cancel.disableProperty().unbind();
            if (empty || job == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            title.setText(job.title());
            step.textProperty().bind(Bindings.createStringBinding(
                    () -> job.state().name().toLowerCase(Locale.ROOT) + " · " + job.stepTextProperty().get(),
                    job.stateProperty(), job.stepTextProperty()));
            bar.progressProperty().bind(Bindings.createDoubleBinding(
                    () -> job.fractionProperty().get(),
                    job.fractionProperty(), job.stateProperty()));
            cancel.disableProperty().bind(Bindings.createBooleanBinding(() -> !job.isActive(), job.stateProperty()));
            cancel.setOnAction(e -> model.cancelJob(job));
            setGraphic(row);
            setText(null);
        }
    }
}
