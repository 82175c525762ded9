package dev.storyboard.ui.inspector;

import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Guidance;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import dev.storyboard.domain.TimelineInvariants;
import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.ui.command.Shots;
import dev.storyboard.ui.edit.EditModel;
import dev.storyboard.ui.generation.FrameImages;
import dev.storyboard.ui.generation.GenerationModel;
import dev.storyboard.ui.generation.JobEntry;
import dev.storyboard.ui.notice.Notice;
import dev.storyboard.ui.notice.NoticeBoard;
import dev.storyboard.ui.selection.SelectionModel;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.InvalidationListener;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.VPos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.controlsfx.control.SegmentedButton;

/**
 * Edits the selected shot. Every change becomes one command: choices apply at once, typed text when the
 * field loses focus or on Ctrl+Enter (one undo step per edit, not per keystroke). Also lists the shot's
 * takes: pick the active one, extend any of them, delete.
 */
public final class ShotInspector extends ScrollPane {
    public static final String ID = "inspector";

    private final SelectionModel selection;
    private final EditModel edits;
    private final GenerationModel generation;
    private final NoticeBoard notices;
    private final ObservableValue<Storyboard> storyboard;
    private final Label heading = new Label("Shot");
    private final Label staleBadge = new Label("stale");
    private final TextArea prompt = new TextArea();
    private final ComboBox<CameraMove> camera = new ComboBox<>();
    private final Map<ShotSize, ToggleButton> sizeButtons;
    private final SegmentedButton shotSize;
    private final Spinner<Integer> duration = new Spinner<>();
    private final Label durationSeconds = new Label();
    private final TextField seed = new TextField();
    private final ToggleButton seedLock = new ToggleButton("Lock seed");
    private final Button reroll = new Button("Reroll");
    private final Spinner<Double> guidance = new Spinner<>();
    private final Button generate = new Button("Generate take");
    private final Button cancel = new Button("Cancel");
    private final ProgressBar progress = new ProgressBar(0);
    private final Label progressText = new Label();
    private final ListView<Take> takes = new ListView<>();
    private final Label takesHeading = new Label("Takes");
    private final Spinner<Integer> extendBy = new Spinner<>(1, TimelineInvariants.MAX_SHOT_FRAMES, 8);
    private final VBox body;
    private PromptCompletion completion;
    private Shot shown;
    private boolean updating;
    private final Set<String> takesWithThumbnail = new HashSet<>();
    private String shownActiveTake;

    /**
     * @param selection  the shot it shows (the selected one)
     * @param edits      where its settings go
     * @param generation generate, extend, takes, jobs, staleness and the engine's status
     * @param notices    where a refused input says why
     * @param storyboard the storyboard shown
     */
    public ShotInspector(SelectionModel selection, EditModel edits, GenerationModel generation, NoticeBoard notices,
                         ObservableValue<Storyboard> storyboard) {
        this.selection = selection;
        this.edits = edits;
        this.generation = generation;
        this.notices = notices;
        this.storyboard = storyboard;
        setId(ID);
        getStyleClass().add("shot-inspector");
        setFitToWidth(true);
        setHbarPolicy(ScrollBarPolicy.NEVER);

        heading.getStyleClass().add("inspector-heading");
        heading.setId("inspector-heading");
        staleBadge.getStyleClass().add("stale-badge");
        staleBadge.setVisible(false);
        HBox head = new HBox(8, heading, staleBadge);
        head.setAlignment(Pos.CENTER_LEFT);

        prompt.setWrapText(true);
        prompt.setPrefRowCount(3); // with the rows below, the takes stay above the fold at 1280×720
        prompt.setId("inspector-prompt");
        prompt.setPromptText("What happens in this shot, e.g. “a red striped ball bounces in a meadow”");
        prompt.focusedProperty().addListener((o, was, focused) -> {
            if (!focused) {
                commitPrompt();
            }
        });
        prompt.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER && e.isShortcutDown()) {
                commitPrompt();
                e.consume();
            }
        });
        completion = PromptCompletion.install(prompt, generation.modelVocabularyProperty());
        Label hint = new Label("Ctrl+Space: vocabulary · Ctrl+Enter: apply");
        hint.getStyleClass().add("field-hint");

        camera.getItems().setAll(CameraMove.values());
        camera.setId("inspector-camera");
        camera.setMaxWidth(Double.MAX_VALUE);
        camera.setConverter(new StringConverter<>() {
            @Override
            public String toString(CameraMove c) {
                return c == null ? "" : c.promptPhrase();
            }

            @Override
            public CameraMove fromString(String s) {
                return null;
            }
        });
        camera.valueProperty().addListener((o, a, b) -> {
            if (!updating && shown != null && b != null) {
                edits.setCamera(shown.id(), b);
            }
        });

        ToggleButton wide = new ToggleButton("Wide");
        ToggleButton medium = new ToggleButton("Medium");
        ToggleButton close = new ToggleButton("Close-up");
        sizeButtons = Map.of(ShotSize.WIDE, wide, ShotSize.MEDIUM, medium, ShotSize.CLOSE_UP, close);
        sizeButtons.forEach((size, b) -> {
            b.setUserData(size);
            b.setId("size-" + size.name().toLowerCase(Locale.ROOT));
            b.setTooltip(new Tooltip(size.promptPhrase()));
        });
        shotSize = new SegmentedButton(wide, medium, close);
        shotSize.getStyleClass().add(SegmentedButton.STYLE_CLASS_DARK);
        shotSize.setId("inspector-size");
        shotSize.getToggleGroup().selectedToggleProperty().addListener((o, was, now) -> {
            if (updating || shown == null) {
                return;
            }
            if (now == null) {
                updating = true;
                was.setSelected(true);
                updating = false;
            } else {
                edits.setShotSize(shown.id(), (ShotSize) now.getUserData());
            }
        });

        duration.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(1, Shots.maxShotFrames(storyboard.getValue()), 16));
        duration.setEditable(true);
        // bounded as you type: digits only, and a number above the longest shot becomes that longest shot
        duration.getEditor().setTextFormatter(new TextFormatter<String>(change -> {
            String next = change.getControlNewText();
            if (next.isEmpty()) {
                return change;
            }
            if (!next.matches("\\d{1,9}")) {
                return null;
            }
            int max = Shots.maxShotFrames(storyboard.getValue());
            if (Long.parseLong(next) > max) {
                String text = Integer.toString(max);
                change.setRange(0, change.getControlText().length());
                change.setText(text);
                change.setCaretPosition(text.length());
                change.setAnchor(text.length());
                durationSeconds.setText(String.format(Locale.ROOT, "at most %d frames (%d s)", max,
                        Shots.MAX_SHOT_SECONDS));
            }
            return change;
        }));
        undoWhenCommitted(duration.getEditor(), () -> shown == null ? null : Integer.toString(shown.durationFrames()));
        duration.setId("inspector-duration");
        duration.setPrefWidth(100);
        duration.valueProperty().addListener((o, a, b) -> {
            if (b == null) { // an emptied field: back to the shot's length (or to the last value without a shot)
                boolean was = updating;
                updating = true;
                duration.getValueFactory().setValue(shown != null ? shown.durationFrames() : a != null ? a : 1);
                updating = was;
                return;
            }
            if (!updating && shown != null) {
                generation.resizeShot(shown.id(), b);
            }
        });
        durationSeconds.getStyleClass().add("field-hint");
        HBox durationRow = new HBox(8, duration, durationSeconds);
        durationRow.setAlignment(Pos.CENTER_LEFT);

        seed.setId("inspector-seed");
        seed.setPrefColumnCount(10);
        seed.setOnAction(e -> commitSeed());
        undoWhenCommitted(seed, () -> shown == null ? null : Long.toString(shown.seed()));
        seed.focusedProperty().addListener((o, was, focused) -> {
            if (!focused) {
                commitSeed();
            }
        });
        seedLock.setId("seed-lock");
        seedLock.setSelected(false);
        seedLock.setTooltip(new Tooltip("Unlocked (default): every new take rolls a new seed. "
                + "Locked: \"Generate take\" becomes \"Repeat take\" and repeats the take with this seed exactly."));
        seedLock.selectedProperty().addListener((o, a, locked) -> {
            seedLock.setText(locked ? "Locked" : "Lock seed");
            generate.setText(locked ? "Repeat take (same seed)" : "Generate take");
            if (!updating && shown != null) {
                generation.setSeedLocked(shown.id(), locked);
            }
        });
        reroll.setId("seed-reroll");
        reroll.setTooltip(new Tooltip("Pick a new random seed"));
        reroll.setOnAction(e -> {
            if (shown != null) {
                edits.rerollSeed(shown.id());
            }
        });
        HBox seedRow = new HBox(6, seed, seedLock, reroll);
        seedRow.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(seed, Priority.ALWAYS);

        guidance.setValueFactory(new SpinnerValueFactory.DoubleSpinnerValueFactory(Guidance.MIN, Guidance.MAX,
                Guidance.DEFAULT, 0.5));
        guidance.setEditable(true);
        guidance.setId("inspector-guidance");
        guidance.setPrefWidth(100);
        guidance.setTooltip(new Tooltip("Classifier-free guidance: higher follows the prompt more literally. When the shot streams chunk "
                + "by chunk it shapes the first chunk; later chunks and extensions continue from it"));
        guidance.valueProperty().addListener((o, a, b) -> {
            if (!updating && shown != null && b != null) {
                edits.setGuidance(shown.id(), b);
            }
        });

        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(6);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE);
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        fields.setFillWidth(true);
        grid.getColumnConstraints().addAll(labels, fields);
        VBox promptBox = new VBox(2, prompt, hint);
        grid.addRow(0, fieldLabel("Prompt"), promptBox);
        grid.addRow(1, fieldLabel("Camera"), camera);
        grid.addRow(2, fieldLabel("Framing"), shotSize);
        grid.addRow(3, fieldLabel("Length"), durationRow);
        grid.addRow(4, fieldLabel("Seed"), seedRow);
        grid.addRow(5, fieldLabel("Guidance"), guidance);
        GridPane.setValignment(grid.getChildren().get(0), VPos.TOP);

        generate.setId("inspector-generate");
        generate.getStyleClass().add("accent-button");
        generate.setTooltip(new Tooltip("Generate a new take of this shot (Ctrl+G)"));
        generate.disableProperty().bind(generation.canGenerateBinding().not());
        generate.setOnAction(e -> {
            commitEdits();
            if (shown != null) {
                generation.generate(List.of(shown.id()));
            }
        });
        cancel.setId("inspector-cancel");
        cancel.setTooltip(new Tooltip("Cancel this shot's jobs"));
        cancel.setOnAction(e -> {
            if (shown != null) {
                generation.cancelShot(shown.id());
            }
        });
        progress.setMaxWidth(Double.MAX_VALUE);
        progress.setId("inspector-progress");
        HBox.setHgrow(progress, Priority.ALWAYS);
        progressText.getStyleClass().add("field-hint");
        progressText.setId("inspector-progress-text");
        progressText.managedProperty().bind(progressText.textProperty().isNotEmpty()); // no empty line above the takes
        HBox actions = new HBox(8, generate, cancel, progress);
        actions.setAlignment(Pos.CENTER_LEFT);

        takesHeading.getStyleClass().add("inspector-subheading");
        takes.setId("inspector-takes");
        takes.setPrefHeight(130);
        takes.setCellFactory(v -> new TakeCell());
        Button use = new Button("Use");
        use.setId("take-use");
        use.setTooltip(new Tooltip("Show this take on the timeline"));
        use.setOnAction(e -> withSelectedTake(t -> edits.selectTake(shown.id(), t.id())));
        extendBy.setEditable(true);
        extendBy.setPrefWidth(80);
        extendBy.setId("take-extend-frames");
        Button extend = new Button("Extend");
        extend.setId("take-extend");
        extend.setTooltip(new Tooltip("Generate more frames continuing this take (it becomes the active take)"));
        extend.disableProperty().bind(generation.canGenerateBinding().not());
        extend.setOnAction(e -> withSelectedTake(t -> generation.extendFromTake(shown.id(), t.id(), extendBy.getValue())));
        Label frames = new Label("frames");
        frames.getStyleClass().add("field-hint");
        Button delete = new Button("Delete");
        delete.setId("take-delete");
        delete.setTooltip(new Tooltip("Remove this take from the shot (undoable)"));
        delete.setOnAction(e -> withSelectedTake(t -> generation.deleteTake(shown.id(), t.id())));
        use.disableProperty().bind(takes.getSelectionModel().selectedItemProperty().isNull());
        delete.disableProperty().bind(takes.getSelectionModel().selectedItemProperty().isNull());
        extend.disableProperty().unbind();
        extend.disableProperty().bind(takes.getSelectionModel().selectedItemProperty().isNull()
                .or(generation.canGenerateBinding().not()));
        HBox takeActions = new HBox(6, use, extend, extendBy, frames, delete);
        takeActions.setAlignment(Pos.CENTER_LEFT);

        body = new VBox(8, head, grid, actions, progressText, takesHeading, takes, takeActions);
        body.setPadding(new Insets(12));
        body.getStyleClass().add("inspector-body");
        setContent(body);

        selection.selectedShotProperty().addListener((o, old, now) -> {
            if (shown != null && (now == null || !now.id().equals(shown.id()))) {
                commitEdits();
            }
            show(selection.selectedShot());
        });
        generation.staleShots().addListener((InvalidationListener) o -> show(selection.selectedShot()));
        // the heading follows the shot's place (a reorder changes "Shot 3" into "Shot 1" without changing the shot)
        storyboard.addListener((InvalidationListener) o -> {
            if (shown != null) {
                heading.setText(Shots.label(storyboard.getValue(), shown.id()));
            }
        });
        generation.engineStatusProperty().addListener((InvalidationListener) o -> refreshJob()); // says what the status bar says
        generation.jobs().addListener((ListChangeListener<JobEntry>) c -> {
            while (c.next()) {
                c.getAddedSubList().forEach(j -> j.stateProperty().addListener((InvalidationListener) x -> refreshJob()));
            }
            refreshJob();
        });
        generation.frames().addListener(takeId -> {
            // Only the first frame is shown per take: refresh when a take of this shot gets or loses it.
            if (shown != null && Shots.take(shown, takeId).isPresent()
                    && (generation.frames().frame(takeId, 0) != null) != takesWithThumbnail.contains(takeId)) {
                takes.refresh();
            }
        });
        show(selection.selectedShot());
    }

    private static Label fieldLabel(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("field-label");
        return l;
    }

    private void withSelectedTake(Consumer<Take> action) {
        Take t = takes.getSelectionModel().getSelectedItem();
        if (shown != null && t != null) {
            action.accept(t);
        }
    }

    /** Applies typed text that has not been applied yet (before save, generate, undo…). */
    public void commitEdits() {
        commitPrompt();
        commitSeed();
        if (shown != null) {
            duration.increment(0); // commits typed text in the spinner editor
            guidance.increment(0);
        }
    }

    private void commitPrompt() {
        if (updating || shown == null) {
            return;
        }
        String text = prompt.getText();
        if (!text.equals(shown.prompt())) {
            String id = shown.id();
            edits.setPrompt(id, text);
        }
    }

    private void commitSeed() {
        if (updating || shown == null) {
            return;
        }
        try {
            long value = Long.parseLong(seed.getText().strip());
            if (value != shown.seed()) {
                edits.setSeed(shown.id(), value);
            }
        } catch (NumberFormatException e) {
            String typed = seed.getText().strip();
            seed.setText(Long.toString(shown.seed()));
            notices.show(Notice.warning("A seed is a whole number (up to 19 digits); “"
                    + (typed.length() > 24 ? typed.substring(0, 24) + "…" : typed) + "” is not one, so "
                    + Shots.label(storyboard.getValue(), shown.id()) + " keeps seed " + shown.seed() + "."));
        }
    }

    /**
     * Ctrl+Z / Ctrl+Shift+Z (Ctrl+Y) in a field whose text is applied undo and redo the editor's last edit (a
     * length typed and applied is an edit like any other); while the field holds unapplied typing they undo the
     * typing, as in any text field.
     */
    private void undoWhenCommitted(TextField field, Supplier<String> committed) {
        field.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (!e.isShortcutDown() || (e.getCode() != KeyCode.Z && e.getCode() != KeyCode.Y)) {
                return;
            }
            String applied = committed.get();
            if (applied == null || !applied.equals(field.getText().strip())) {
                return;
            }
            e.consume();
            if (e.getCode() == KeyCode.Y || e.isShiftDown()) {
                edits.redo();
            } else {
                edits.undo();
            }
        });
    }

    private void show(Shot shot) {
        updating = true;
        try {
            shown = shot;
            body.setDisable(shot == null);
            if (shot == null) {
                heading.setText("No shot selected");
                prompt.setText(""); // nothing of the previous project's shot stays in the disabled fields
                duration.getEditor().setText("");
                durationSeconds.setText("");
                seed.setText("");
                camera.setValue(null);
                sizeButtons.values().forEach(b -> b.setSelected(false));
                takes.getItems().clear();
                staleBadge.setVisible(false);
                return;
            }
            heading.setText(Shots.label(storyboard.getValue(), shot.id()));
            staleBadge.setVisible(generation.staleShots().contains(shot.id()));
            if (!prompt.getText().equals(shot.prompt())) {
                int caret = prompt.getCaretPosition();
                prompt.setText(shot.prompt());
                prompt.positionCaret(Math.min(caret, shot.prompt().length()));
            }
            camera.setValue(shot.camera());
            sizeButtons.get(shot.shotSize()).setSelected(true);
            ((SpinnerValueFactory.IntegerSpinnerValueFactory) duration.getValueFactory()).setMax(Shots.maxShotFrames(storyboard.getValue()));
            duration.getValueFactory().setValue(shot.durationFrames());
            duration.getEditor().setText(Integer.toString(shot.durationFrames()));
            durationSeconds.setText(String.format(Locale.ROOT, "frames · %.2f s at %d fps",
                    shot.durationFrames() / (double) storyboard.getValue().fps(), storyboard.getValue().fps()));
            seed.setText(Long.toString(shot.seed()));
            seedLock.setSelected(generation.isSeedLocked(shot.id()));
            guidance.getValueFactory().setValue(shot.guidance());
            Take selectedTake = takes.getSelectionModel().getSelectedItem();
            if (!takes.getItems().equals(shot.takes())) {
                takes.getItems().setAll(shot.takes());
            } else if (!Objects.equals(shownActiveTake, shot.activeTakeId())) {
                takes.refresh(); // the "active" badge moved
            }
            shownActiveTake = shot.activeTakeId();
            takesHeading.setText(shot.takes().isEmpty() ? "Takes — none yet" : "Takes (" + shot.takes().size() + ")");
            String keep = selectedTake != null ? selectedTake.id() : shot.activeTakeId();
            shot.takes().stream().filter(t -> t.id().equals(keep)).findFirst()
                    .ifPresent(t -> takes.getSelectionModel().select(t));
            extendBy.getValueFactory().setValue(storyboard.getValue().fps());
        } finally {
            updating = false;
        }
        refreshJob();
    }

    private void refreshJob() {
        progress.progressProperty().unbind();
        progressText.textProperty().unbind();
        JobEntry job = shown == null ? null : generation.controller().activeJob(shown.id()).orElse(null);
        cancel.setDisable(job == null);
        progress.setVisible(job != null);
        if (job != null) {
            progress.progressProperty().bind(job.fractionProperty());
            progressText.textProperty().bind(javafx.beans.binding.Bindings.concat(job.title(), " · ", job.stepTextProperty()));
        } else {
            progressText.setText(shown == null || !generation.engineStatusProperty().get().ready()
                    ? generation.engineStatusProperty().get().message() : "");
        }
    }

    public TextArea promptField() {
        return prompt;
    }

    public PromptCompletion completion() {
        return completion;
    }

    /** A take row: small first frame, "Take 2 · 24 f · seed 7", active marker. */
    private static final PseudoClass ACTIVE_TAKE = PseudoClass.getPseudoClass("active-take");

    private final class TakeCell extends ListCell<Take> {
        @Override
        protected void updateItem(Take take, boolean empty) {
            super.updateItem(take, empty);
            if (empty || take == null || shown == null) {
                pseudoClassStateChanged(ACTIVE_TAKE, false);
                setGraphic(null);
                setText(null);
                return;
            }
            int index = shown.takes().indexOf(take) + 1;
            boolean active = take.id().equals(shown.activeTakeId());
            pseudoClassStateChanged(ACTIVE_TAKE, active); // the active take is marked apart from the selected row
            VideoFrame first = generation.frames().frame(take.id(), 0);
            if (first != null) {
                takesWithThumbnail.add(take.id());
            } else {
                takesWithThumbnail.remove(take.id());
            }
            ImageView thumb = new ImageView(first == null ? null : FrameImages.image(first));
            thumb.setFitHeight(24);
            thumb.setFitWidth(24);
            Region placeholder = new Region();
            placeholder.getStyleClass().add("thumb-missing");
            placeholder.setMinSize(24, 24);
            Label text = new Label(String.format(Locale.ROOT, "Take %d · %d f · seed %d", index, take.generatedFrames(), take.seed()));
            Label badge = new Label(active ? "active" : "");
            badge.getStyleClass().add("take-active-badge");
            badge.setVisible(active);
            Region spacer = new Region();
            HBox.setHgrow(spacer, Priority.ALWAYS);
            HBox row = new HBox(8, first == null ? placeholder : thumb, text, spacer, badge);
            row.setAlignment(Pos.CENTER_LEFT);
            setGraphic(row);
            setText(null);
            setOnMouseClicked(e -> {
                if (e.getClickCount() == 2) {
                    edits.selectTake(shown.id(), take.id());
                }
            });
        }
    }
}
