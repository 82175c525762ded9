package dev.storyboard.ui;

import dev.storyboard.domain.generation.EngineStatus;
import dev.storyboard.ui.generation.GenerationModel;
import dev.storyboard.ui.generation.JobEntry;
import dev.storyboard.ui.generation.QueueView;
import dev.storyboard.ui.inspector.ScenePanel;
import dev.storyboard.ui.inspector.ShotInspector;
import dev.storyboard.ui.notice.Notice;
import dev.storyboard.ui.preview.PreviewPane;
import dev.storyboard.ui.project.EditorPreferences;
import dev.storyboard.ui.selection.SelectionModel;
import dev.storyboard.ui.timeline.ShotTimeline;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.beans.InvalidationListener;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.event.EventHandler;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBoxBase;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import javafx.util.Duration;
import org.controlsfx.control.NotificationPane;
import org.controlsfx.control.action.Action;

/**
 * The editor window's content: menu and toolbar, the preview (with the notification bar) beside the
 * shot inspector / scene / queue tabs, the shot timeline below, a status bar. Pure view: state and
 * behaviour live in {@link EditorViewModel}; this class wires nodes to it and maps keys to its actions.
 */
public final class EditorView {
    public static final String STYLESHEET = EditorView.class.getResource("editor.css").toExternalForm();
    /** How often unsaved changes are autosaved for crash recovery. */
    public static final Duration AUTOSAVE_INTERVAL = Duration.seconds(30);

    private final EditorViewModel model;
    private final BorderPane root = new BorderPane();
    private final PreviewPane preview;
    private final ShotTimeline timeline;
    private final ShotInspector inspector;
    private final ScenePanel scenePanel;
    private final NotificationPane notifications;
    private final SplitPane center;
    private final SplitPane main;
    private final Timeline autosave;
    /** True until the creator zooms: a short scene is widened to the timeline's width as the window sizes. */
    private boolean autoWiden = true;
    private boolean widening;
    /** True when the main divider came from the preferences or was dragged: it is then left where it is. */
    private boolean mainDividerSaved;
    private boolean mainDividerMoved;
    /** True while the main divider is placed for a short window (a taller one gets the usual split back). */
    private boolean shortWindowSplit;
    private static final double MAIN_DIVIDER = 0.66;
    private static final double SHORT_WINDOW_MAIN_HEIGHT = 640;
    private static final double SHORT_WINDOW_TIMELINE_HEIGHT = 175;

    public EditorView(EditorViewModel model) {
        this.model = model;
        root.getStyleClass().add("editor");
        root.getStylesheets().add(STYLESHEET);
        root.setId("editor-root");

        preview = new PreviewPane(model.selectionModel(), model.generationModel(), model.storyboardProperty(),
                Bindings.createStringBinding(() -> placeholderText(model.engineStatusProperty().get(),
                model.storyboard().shots().isEmpty()), model.engineStatusProperty(), model.storyboardProperty()));
        StackPane previewStack = new StackPane(preview, emptyState());
        notifications = new NotificationPane(previewStack);
        notifications.setId("notifications");
        notifications.getStyleClass().add(NotificationPane.STYLE_CLASS_DARK);
        notifications.setShowFromTop(true);
        notifications.setOnHidden(e -> {
            if (model.noticeProperty().get() != null) {
                model.dismissNotice();
            }
        });
        model.noticeProperty().addListener((o, old, now) -> showNotice(now));

        inspector = new ShotInspector(model.selectionModel(), model.edits(), model.generationModel(), model.notices(),
                model.storyboardProperty());
        scenePanel = new ScenePanel(model.edits(), model.generationModel(), model.storyboardProperty());
        TabPane tabs = new TabPane();
        tabs.setId("side-tabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        Tab shotTab = new Tab("Shot", inspector);
        Tab sceneTab = new Tab("Scene", scenePanel);
        Tab queueTab = new Tab("Queue", new QueueView(model.generationModel()));
        queueTab.setId("queue-tab");
        queueTab.textProperty().bind(Bindings.createStringBinding(() -> {
            long active = model.jobs().stream().filter(JobEntry::isActive).count();
            return active == 0 ? "Queue" : "Queue (" + active + ")";
        }, model.jobs()));
        model.jobs().addListener((ListChangeListener<JobEntry>) c -> {
            while (c.next()) {
                c.getAddedSubList().forEach(j -> j.stateProperty().addListener((InvalidationListener) x -> {
                    queueTab.textProperty().unbind();
                    long active = model.jobs().stream().filter(JobEntry::isActive).count();
                    queueTab.setText(active == 0 ? "Queue" : "Queue (" + active + ")");
                }));
            }
        });
        tabs.getTabs().addAll(shotTab, sceneTab, queueTab);
        tabs.setMinWidth(300);

        center = new SplitPane(notifications, tabs);
        center.setDividerPositions(0.64);
        SplitPane.setResizableWithParent(tabs, false);
        timeline = shotTimeline();
        BorderPane timelinePane = new BorderPane(timeline);
        timelinePane.setTop(timelineToolbar());
        timelinePane.setMinHeight(150);
        timelinePane.setPrefHeight(250);
        // a click on the preview or anywhere on the timeline takes the keyboard from a text field (which applies
        // its text), so Space plays again instead of typing into the prompt
        EventHandler<MouseEvent> takeFocus = e -> {
            Scene scene = root.getScene();
            if (scene != null && scene.getFocusOwner() instanceof TextInputControl && !timeline.isFocused()) {
                timeline.requestFocus();
            }
        };
        preview.addEventFilter(MouseEvent.MOUSE_PRESSED, takeFocus);
        timeline.addEventFilter(MouseEvent.MOUSE_PRESSED, takeFocus);

        VBox top = new VBox(menuBar(), toolbar());
        root.setTop(top);
        main = new SplitPane(center, timelinePane);
        main.setOrientation(Orientation.VERTICAL);
        main.setDividerPositions(MAIN_DIVIDER);
        SplitPane.setResizableWithParent(timelinePane, false);
        // in a short window (1280×720) the timeline gives up height so the inspector shows the takes without scrolling
        main.heightProperty().addListener((o, was, now) -> {
            if (!mainDividerSaved && !mainDividerMoved) {
                // after this layout pass: SplitPane's own layout keeps the timeline's old height on a resize
                Platform.runLater(this::fitMainDividerToShortWindow);
            }
        });
        main.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> {
            for (Node n = e.getTarget() instanceof Node t ? t : null; n != null && n != main; n = n.getParent()) {
                if (n.getStyleClass().contains("split-pane-divider")) {
                    mainDividerMoved |= n.getParent() != null && n.getParent().getParent() == main; // not center's
                    break;
                }
            }
        });
        root.setCenter(main);
        root.setBottom(statusBar());
        root.addEventHandler(KeyEvent.KEY_PRESSED, this::onKey);
        root.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE && timeline.isDragging()) {
                timeline.cancelDrag();
                e.consume();
            }
        });

        // a short scene fills the timeline's width when the window first shows and when another project opens
        // (and as the window grows, until the creator zooms)
        timeline.widthProperty().addListener((o, was, now) -> {
            if (autoWiden && now.doubleValue() > 0) {
                Platform.runLater(this::widenToFit);
            }
        });
        model.pixelsPerFrameProperty().addListener((o, was, now) -> autoWiden &= widening);
        model.session().projectEpochProperty().addListener((o, was, now) -> {
            autoWiden = true;
            Platform.runLater(this::widenToFit);
        });

        autosave = new Timeline(new KeyFrame(AUTOSAVE_INTERVAL, e -> model.autosave()));
        autosave.setCycleCount(Timeline.INDEFINITE);
    }

    /** The timeline control bound to the view model: it shows the state; its committed gestures become commands. */
    private ShotTimeline shotTimeline() {
        SelectionModel selection = model.selectionModel();
        GenerationModel generation = model.generationModel();
        ShotTimeline t = new ShotTimeline(model.storyboard(), generation.frames(), generation.qualityMarks());
        t.storyboardProperty().bind(model.storyboardProperty());
        t.pixelsPerFrameProperty().bind(selection.pixelsPerFrameProperty());
        t.selectionProperty().set(selection.selection());
        t.staleShotsProperty().set(generation.staleShots());
        t.playheadProperty().bind(selection.playheadProperty());
        t.playingProperty().bind(selection.playback().playingProperty());
        t.jobsProperty().set(generation.jobs());
        t.setOnResizeCommitted(e -> generation.resizeShot(e.shotId(), e.frames()));
        t.setOnMoveCommitted(e -> model.edits().moveShots(e.shotIds(), e.frames()));
        t.setOnSelect(e -> {
            switch (e.selectMode()) {
                case TOGGLE -> selection.toggleSelection(e.shotId());
                case EXTEND -> selection.extendSelection(e.shotId());
                default -> selection.select(e.shotId());
            }
        });
        t.setOnSeek(e -> {
            if (e.pausePlayback()) {
                selection.playback().pause();
            }
            selection.movePlayhead(e.frames(), e.snapToSeconds());
        });
        t.setOnZoomRequested(e -> {
            if (e.frames() > 0) {
                selection.zoomIn();
            } else {
                selection.zoomOut();
            }
        });
        return t;
    }

    /** In a short window the timeline keeps {@value #SHORT_WINDOW_TIMELINE_HEIGHT} px; the rest goes to preview and inspector. */
    private void fitMainDividerToShortWindow() {
        double height = main.getHeight();
        if (height > 0 && height < SHORT_WINDOW_MAIN_HEIGHT) {
            main.setDividerPositions(Math.max(0.55, 1 - SHORT_WINDOW_TIMELINE_HEIGHT / height));
            shortWindowSplit = true;
        } else if (height > 0 && shortWindowSplit) {
            main.setDividerPositions(MAIN_DIVIDER);
            shortWindowSplit = false;
        }
    }

    /**
     * Zooms in until the scene fills the timeline's width, when it is shorter than that at the current zoom (a
     * longer scene keeps its zoom and scrolls). An empty scene is left alone.
     */
    void widenToFit() {
        int total = model.storyboard().totalFrames();
        double width = timeline.fitWidth();
        if (total > 0 && width > 0 && width / total > model.pixelsPerFrameProperty().get()) {
            widening = true;
            try {
                model.zoomToFit(width);
            } finally {
                widening = false;
            }
        }
    }

    private HBox timelineToolbar() {
        SelectionModel selection = model.selectionModel();
        Button add = timelineButton("+ Shot", "add-shot-button", "Add a shot at the end (Ctrl+T)", model::addShot);
        Button insert = timelineButton("Insert", "insert-shot-button", "Insert a shot after the selected one (Insert)",
                model::insertShotAfterSelection);
        Button duplicate = timelineButton("Duplicate", "duplicate-button", "Duplicate the selected shots (Ctrl+D)",
                model::duplicateSelection);
        Button delete = timelineButton("Delete", "delete-button", "Delete the selected shots (Delete)", model::deleteSelection);
        duplicate.disableProperty().bind(Bindings.isNull(selection.selectedShotProperty()));
        delete.disableProperty().bind(Bindings.isNull(selection.selectedShotProperty()));
        Button zoomOut = timelineButton("−", "zoom-out-button", "Zoom out (Ctrl+-, Ctrl+wheel)", selection::zoomOut);
        Button zoomIn = timelineButton("+", "zoom-in-button", "Zoom in (Ctrl+=, Ctrl+wheel)", selection::zoomIn);
        Button fit = timelineButton("Fit", "zoom-fit-button", "Fit the scene to the window (Ctrl+0)",
                () -> selection.zoomToFit(timeline.fitWidth()));
        Slider zoom = new Slider(SelectionModel.MIN_ZOOM, SelectionModel.MAX_ZOOM, selection.pixelsPerFrameProperty().get());
        zoom.setId("zoom-slider");
        zoom.setPrefWidth(110);
        zoom.setFocusTraversable(false);
        zoom.valueProperty().bindBidirectional(selection.pixelsPerFrameProperty());
        Tooltip.install(zoom, new Tooltip("Zoom: pixels per frame"));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Label summary = new Label();
        summary.getStyleClass().add("timeline-summary");
        summary.textProperty().bind(Bindings.createStringBinding(() -> timelineSummary(model.storyboard().shots().size(),
                model.storyboard().totalFrames(), selection.selection().size()), model.storyboardProperty(), selection.selection()));
        Region gap = new Region();
        gap.getStyleClass().add("toolbar-gap");
        gap.setPrefWidth(10);
        HBox bar = new HBox(6, add, insert, duplicate, delete, gap, zoomOut, zoom, zoomIn, fit, spacer, summary);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("timeline-toolbar");
        bar.setPadding(new Insets(4, 8, 4, 8));
        return bar;
    }

    /** "3 shots · 48 frames · 2 selected" (singular for one). */
    static String timelineSummary(int shots, int frames, int selected) {
        return String.format(Locale.ROOT, "%d %s · %d %s%s", shots, shots == 1 ? "shot" : "shots", frames,
                frames == 1 ? "frame" : "frames", selected > 1 ? " · " + selected + " selected" : "");
    }

    private static Button timelineButton(String text, String id, String tip, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setTooltip(new Tooltip(tip));
        b.setFocusTraversable(false);
        b.setOnAction(e -> action.run());
        return b;
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

    public ShotInspector inspector() {
        return inspector;
    }

    public EditorViewModel model() {
        return model;
    }

    /**
     * Makes {@code stage} the editor window: title, remembered bounds, close with the unsaved-changes
     * question, autosave, and the crash-recovery offer.
     */
    public void install(Stage stage) {
        stage.titleProperty().bind(model.windowTitle());
        if (stage.getScene() != null && !stage.getScene().getStylesheets().contains(STYLESHEET)) {
            stage.getScene().getStylesheets().add(STYLESHEET); // popups (menus, combo lists) follow the scene
        }
        EditorPreferences prefs = model.environment().preferences();
        if (prefs != null) {
            Rectangle2D screen = Screen.getPrimary().getVisualBounds(); // the first window fits a 1280×720 screen
            var state = prefs.windowState(new EditorPreferences.WindowState(Double.NaN, Double.NaN,
                    Math.min(1280, screen.getWidth()), Math.min(800, screen.getHeight()), false));
            stage.setWidth(state.width());
            stage.setHeight(state.height());
            if (!Double.isNaN(state.x()) && !Double.isNaN(state.y())) {
                stage.setX(state.x());
                stage.setY(state.y());
            }
            stage.setMaximized(state.maximized());
            center.setDividerPositions(prefs.dividerPosition("center", 0.64));
            double savedMain = prefs.dividerPosition("main", Double.NaN);
            if (!Double.isNaN(savedMain)) {
                main.setDividerPositions(savedMain);
                mainDividerSaved = true;
            }
        }
        stage.setOnCloseRequest(e -> {
            e.consume();
            act(() -> model.requestClose(() -> {
                rememberWindow(stage);
                autosave.stop();
                stage.close();
            }));
        });
        autosave.play();
        model.offerRecovery();
    }

    private void rememberWindow(Stage stage) {
        EditorPreferences prefs = model.environment().preferences();
        if (prefs == null) {
            return;
        }
        double centerDivider = center.getDividerPositions()[0];
        double mainDivider = main.getDividerPositions()[0];
        var state = new EditorPreferences.WindowState(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(),
                stage.isMaximized());
        model.environment().background().run("remember window", () -> { // prefs flush to disk: off the FX thread
            prefs.saveDividerPosition("center", centerDivider);
            prefs.saveDividerPosition("main", mainDivider);
            prefs.saveWindowState(state);
        });
    }

    /** Applies text typed in the inspector before running an action, so the action sees it. */
    public void act(Runnable action) {
        inspector.commitEdits();
        scenePanel.commitEdits();
        action.run();
    }

    // ---- menu, toolbar, status ---------------------------------------------------------------------

    private MenuBar menuBar() {
        Menu file = new Menu("_File");
        MenuItem newItem = item("_New storyboard", "Shortcut+N", model::newProject);
        MenuItem open = item("_Open…", "Shortcut+O", model::open);
        Menu recent = new Menu("Open _recent");
        recent.setId("recent-menu");
        recent.setOnShowing(e -> fillRecent(recent));
        fillRecent(recent);
        MenuItem sample = item("Open _sample storyboard", null, model::openSample);
        sample.setDisable(!model.hasSample());
        MenuItem save = item("_Save", "Shortcut+S", model::save);
        MenuItem saveAs = item("Save _as…", "Shortcut+Shift+S", model::saveAs);
        MenuItem exportMp4 = item("_Export MP4…", "Shortcut+E", model::exportMp4);
        MenuItem quit = item("_Quit", "Shortcut+Q", () -> {
            if (root.getScene() != null && root.getScene().getWindow() instanceof Stage stage) {
                stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST));
            }
        });
        file.getItems().addAll(newItem, open, recent, sample, new SeparatorMenuItem(), save, saveAs, new SeparatorMenuItem(),
                exportMp4, new SeparatorMenuItem(), quit);

        Menu edit = new Menu("_Edit");
        MenuItem undo = item("Undo", "Shortcut+Z", model::undo);
        undo.setId("undo-menu");
        undo.textProperty().bind(Bindings.createStringBinding(() -> model.commands().canUndo()
                ? "Undo " + model.commands().undoDescriptionProperty().get() : "Undo",
                model.commands().canUndoProperty(), model.commands().undoDescriptionProperty()));
        undo.disableProperty().bind(model.commands().canUndoProperty().not());
        MenuItem redo = item("Redo", "Shortcut+Shift+Z", model::redo);
        redo.textProperty().bind(Bindings.createStringBinding(() -> model.commands().canRedo()
                ? "Redo " + model.commands().redoDescriptionProperty().get() : "Redo",
                model.commands().canRedoProperty(), model.commands().redoDescriptionProperty()));
        redo.disableProperty().bind(model.commands().canRedoProperty().not());
        MenuItem selectAll = item("Select all shots", "Shortcut+A", model::selectAll);
        MenuItem deleteShots = item("Delete selected shots (Delete)", null, model::deleteSelection);
        edit.getItems().addAll(undo, redo, new SeparatorMenuItem(), selectAll, deleteShots);

        Menu shot = new Menu("_Shot");
        MenuItem add = item("_Add shot", "Shortcut+T", model::addShot);
        MenuItem insert = item("_Insert shot after selection (Insert)", null, model::insertShotAfterSelection);
        MenuItem duplicate = item("_Duplicate", "Shortcut+D", model::duplicateSelection);
        MenuItem earlier = item("Move _earlier", "Alt+Left", () -> model.moveSelectionBy(-1));
        MenuItem later = item("Move _later", "Alt+Right", () -> model.moveSelectionBy(1));
        MenuItem generate = item("_Generate new take", "Shortcut+G", model::generateSelection);
        generate.disableProperty().bind(model.canGenerateBinding().not());
        MenuItem missing = item("Generate _missing shots", "Shortcut+Shift+G", model::generateMissing);
        missing.disableProperty().bind(model.canGenerateBinding().not());
        MenuItem stale = item("Regenerate _stale shots", null, model::regenerateStale);
        stale.disableProperty().bind(Bindings.isEmpty(model.staleShots()));
        MenuItem cancelShot = item("_Cancel jobs of selected shot", null, () -> {
            if (model.selectedShot() != null) {
                model.cancelShot(model.selectedShot().id());
            }
        });
        MenuItem cancelAll = item("Cancel _all jobs", "Shortcut+Shift+PERIOD", model::cancelAll);
        shot.getItems().addAll(add, insert, duplicate, earlier, later, new SeparatorMenuItem(), generate, missing, stale,
                cancelShot, cancelAll);

        Menu view = new Menu("_View");
        MenuItem play = item("Play / pause (Space)", null, model::togglePlay);
        MenuItem loop = item("Loop playback (L)", null, () -> model.playback().loopProperty().set(!model.playback().loopProperty().get()));
        MenuItem zoomIn = item("Zoom in", "Shortcut+EQUALS", model::zoomIn);
        MenuItem zoomOut = item("Zoom out", "Shortcut+MINUS", model::zoomOut);
        MenuItem fit = item("Fit scene", null, this::zoomToFit);
        fit.setAccelerator(new javafx.scene.input.KeyCharacterCombination("0", KeyCombination.SHORTCUT_DOWN)); // "Ctrl+0"
        view.getItems().addAll(play, loop, new SeparatorMenuItem(), zoomIn, zoomOut, fit);

        MenuBar bar = new MenuBar(file, edit, shot, view);
        bar.setId("menu-bar");
        return bar;
    }

    private void zoomToFit() {
        model.zoomToFit(Math.max(200, timeline.getWidth() - 40));
    }

    private void fillRecent(Menu recent) {
        recent.getItems().clear();
        List<Path> files = model.recentFiles();
        if (files.isEmpty()) {
            MenuItem none = new MenuItem("No recent projects");
            none.setDisable(true);
            recent.getItems().add(none);
        }
        for (Path p : files) {
            MenuItem i = new MenuItem(p.getFileName() + "  —  " + p.getParent());
            i.setMnemonicParsing(false);
            i.setOnAction(e -> act(() -> model.openRecent(p)));
            recent.getItems().add(i);
        }
    }

    private MenuItem item(String text, String accelerator, Runnable action) {
        MenuItem item = new MenuItem(text);
        if (accelerator != null) {
            item.setAccelerator(KeyCombination.keyCombination(accelerator));
        }
        item.setOnAction(e -> act(action));
        return item;
    }

    private ToolBar toolbar() {
        Label title = new Label();
        title.textProperty().bind(Bindings.createStringBinding(() -> model.storyboard().title(), model.storyboardProperty()));
        title.getStyleClass().add("toolbar-title");
        title.setId("toolbar-title");
        Button generate = new Button("Generate shot");
        generate.setId("generate-button");
        generate.getStyleClass().add("accent-button");
        generate.disableProperty().bind(model.canGenerateBinding().not());
        generate.setTooltip(new Tooltip("Generate a new take of the selected shots (Ctrl+G)"));
        generate.setOnAction(e -> act(model::generateSelection));
        Button stale = new Button("Regenerate stale");
        stale.setId("regenerate-stale-button");
        stale.visibleProperty().bind(Bindings.isNotEmpty(model.staleShots()));
        stale.managedProperty().bind(stale.visibleProperty());
        stale.setTooltip(new Tooltip("Regenerate the shots generated against an earlier version of a previous shot"));
        stale.setOnAction(e -> act(model::regenerateStale));
        Button cancelAll = new Button("Cancel all");
        cancelAll.setId("toolbar-cancel-all");
        cancelAll.setTooltip(new Tooltip("Cancel every queued and running job"));
        cancelAll.disableProperty().bind(Bindings.createBooleanBinding(
                () -> model.jobs().stream().noneMatch(JobEntry::isActive), model.jobs()));
        model.jobs().addListener((ListChangeListener<JobEntry>) c -> {
            while (c.next()) {
                c.getAddedSubList().forEach(j -> j.stateProperty().addListener((InvalidationListener) x -> {
                    cancelAll.disableProperty().unbind();
                    cancelAll.setDisable(model.jobs().stream().noneMatch(JobEntry::isActive));
                }));
            }
        });
        cancelAll.setOnAction(e -> model.cancelAll());
        Button undo = new Button("↶");
        undo.setId("undo-button");
        undo.disableProperty().bind(model.commands().canUndoProperty().not());
        Tooltip undoTip = new Tooltip();
        undoTip.textProperty().bind(Bindings.concat("Undo ", model.commands().undoDescriptionProperty(), " (Ctrl+Z)"));
        undo.setTooltip(undoTip);
        undo.setOnAction(e -> act(model::undo));
        Button redo = new Button("↷");
        redo.setId("redo-button");
        redo.disableProperty().bind(model.commands().canRedoProperty().not());
        Tooltip redoTip = new Tooltip();
        redoTip.textProperty().bind(Bindings.concat("Redo ", model.commands().redoDescriptionProperty(), " (Ctrl+Shift+Z)"));
        redo.setTooltip(redoTip);
        redo.setOnAction(e -> act(model::redo));
        Button save = new Button("Save");
        save.setId("save-button");
        save.setTooltip(new Tooltip("Save the project (Ctrl+S)"));
        save.setOnAction(e -> act(model::save));
        Button export = new Button("Export MP4");
        export.setId("export-button");
        export.disableProperty().bind(Bindings.createBooleanBinding(() -> !model.canExport() || model.busyProperty().get(),
                model.storyboardProperty(), model.busyProperty()));
        // a disabled button gets no mouse events, so its reason is on a wrapper: it names the shots without frames
        Tooltip exportTip = new Tooltip();
        exportTip.setId("export-tooltip");
        exportTip.textProperty().bind(Bindings.createStringBinding(() -> {
            String problem = model.exportProblem();
            return problem.isEmpty() ? "Export the scene's active takes as an H.264 MP4 (Ctrl+E)" : problem;
        }, model.storyboardProperty()));
        export.setOnAction(e -> act(model::exportMp4));
        StackPane exportHolder = new StackPane(export);
        exportHolder.setId("export-holder");
        Tooltip.install(exportHolder, exportTip);
        for (Button b : List.of(generate, stale, cancelAll, undo, redo, save, export)) {
            b.setFocusTraversable(false);
        }
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        return new ToolBar(title, gap(), generate, stale, cancelAll, gap(), undo, redo, save, spacer, exportHolder);
    }

    private static Region gap() {
        Region r = new Region();
        r.setPrefWidth(12);
        return r;
    }

    private HBox statusBar() {
        Label engine = new Label();
        engine.setId("engine-status");
        engine.textProperty().bind(Bindings.createStringBinding(() -> {
            EngineStatus s = model.engineStatusProperty().get();
            return (s.ready() ? "● " : "○ ") + s.message() + (s.device().isEmpty() ? "" : "  [" + s.device() + "]");
        }, model.engineStatusProperty()));
        engine.getStyleClass().add("engine-status");
        model.engineStatusProperty().addListener((o, a, s) -> engine.pseudoClassStateChanged(
                javafx.css.PseudoClass.getPseudoClass("ready"), s.ready()));
        engine.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("ready"), model.engineStatusProperty().get().ready());
        Label jobs = new Label();
        jobs.setId("jobs-status");
        Runnable updateJobs = () -> {
            long active = model.jobs().stream().filter(JobEntry::isActive).count();
            jobs.setText(active == 0 ? "" : "Generating · " + active + (active == 1 ? " job" : " jobs") + " queued or running");
        };
        model.jobs().addListener((ListChangeListener<JobEntry>) c -> {
            while (c.next()) {
                c.getAddedSubList().forEach(j -> j.stateProperty().addListener((InvalidationListener) x -> updateJobs.run()));
            }
            updateJobs.run();
        });
        Label saved = new Label();
        saved.setId("dirty-status");
        saved.textProperty().bind(Bindings.when(model.dirtyProperty()).then("Unsaved changes").otherwise("Saved"));
        saved.getStyleClass().add("dirty-status");
        Label scene = new Label();
        scene.textProperty().bind(Bindings.createStringBinding(() -> {
            var sb = model.storyboard();
            return String.format(Locale.ROOT, "%d %s · %.1f s · %d fps · %d×%d", sb.shots().size(),
                    sb.shots().size() == 1 ? "shot" : "shots", sb.durationSeconds(),
                    sb.fps(), sb.width(), sb.height());
        }, model.storyboardProperty()));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(16, engine, jobs, spacer, saved, scene);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("status-bar");
        return bar;
    }

    private Node emptyState() {
        Label title = new Label("Start a storyboard");
        title.getStyleClass().add("empty-title");
        Label text = new Label("Direct a scene shot by shot: add a shot, describe what happens, generate it and watch the "
                + "frames arrive. Drag a shot's right edge to make it longer.");
        text.setWrapText(true);
        text.getStyleClass().add("empty-text");
        text.setMaxWidth(460);
        Button add = new Button("Add the first shot");
        add.setId("empty-add-shot");
        add.getStyleClass().add("accent-button");
        add.setOnAction(e -> act(model::addShot));
        Button sample = new Button("Open the sample storyboard");
        sample.setId("empty-open-sample");
        sample.setDisable(!model.hasSample());
        sample.setOnAction(e -> act(model::openSample));
        Button open = new Button("Open a project…");
        open.setId("empty-open");
        open.setOnAction(e -> act(model::open));
        HBox buttons = new HBox(10, add, sample, open);
        buttons.setAlignment(Pos.CENTER);
        VBox recent = new VBox(4);
        recent.setAlignment(Pos.CENTER);
        Runnable fillRecent = () -> {
            recent.getChildren().clear();
            List<Path> files = model.recentFiles();
            if (!files.isEmpty()) {
                Label heading = new Label("Recent");
                heading.getStyleClass().add("empty-text");
                recent.getChildren().add(heading);
            }
            for (Path p : files.subList(0, Math.min(5, files.size()))) {
                Hyperlink link = new Hyperlink(p.getFileName().toString());
                link.setTooltip(new Tooltip(p.toString()));
                link.setOnAction(e -> act(() -> model.openRecent(p)));
                recent.getChildren().add(link);
            }
        };
        VBox box = new VBox(16, title, text, buttons, recent);
        box.setAlignment(Pos.CENTER);
        box.getStyleClass().add("empty-state");
        box.setId("empty-state");
        box.visibleProperty().bind(model.showEmptyStateProperty());
        box.visibleProperty().addListener((o, a, visible) -> {
            if (visible) {
                fillRecent.run();
            }
        });
        fillRecent.run();
        return box;
    }

    private void showNotice(Notice notice) {
        if (notice == null) {
            if (notifications.isShowing()) {
                notifications.hide();
            }
            return;
        }
        notifications.getStyleClass().removeAll("notice-info", "notice-warning", "notice-error");
        notifications.getStyleClass().add("notice-" + notice.kind().name().toLowerCase(Locale.ROOT));
        notifications.getActions().setAll(notice.actions().stream()
                .map(c -> new Action(c.label(), e -> act(() -> {
                    model.dismissNotice();
                    c.action().run();
                })))
                .toList());
        notifications.setText(notice.text());
        notifications.show();
    }

    // ---- keys --------------------------------------------------------------------------------------

    /** Plain keys act on the timeline unless the user is typing in a field. */
    private void onKey(KeyEvent e) {
        Scene scene = root.getScene();
        Node focus = scene == null ? null : scene.getFocusOwner();
        boolean typing = focus instanceof TextInputControl || focus instanceof Spinner<?> || focus instanceof ComboBoxBase<?>
                || focus instanceof ListView<?>;
        if (e.isShortcutDown() && e.getCode() == KeyCode.Y) {
            act(model::redo); // Ctrl+Y, the other common redo
            e.consume();
            return;
        }
        if (typing || e.isShortcutDown() || e.isAltDown()) {
            return;
        }
        switch (e.getCode()) {
            case SPACE -> model.togglePlay();
            case LEFT -> model.stepPlayhead(-1, e.isShiftDown());
            case RIGHT -> model.stepPlayhead(1, e.isShiftDown());
            case HOME -> model.playheadToStart();
            case END -> model.playheadToEnd();
            case DELETE, BACK_SPACE -> model.deleteSelection();
            case INSERT -> model.insertShotAfterSelection();
            case L -> model.playback().loopProperty().set(!model.playback().loopProperty().get());
            case ESCAPE -> {
                if (timeline.isDragging()) {
                    timeline.cancelDrag();
                } else {
                    model.dismissNotice();
                }
            }
            default -> {
                return;
            }
        }
        e.consume();
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
