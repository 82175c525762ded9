package dev.storyboard.ui;

import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import dev.storyboard.domain.TimelineInvariants;
import dev.storyboard.domain.export.EditorialRate;
import dev.storyboard.domain.generation.EngineStatus;
import dev.storyboard.domain.generation.FrameChunk;
import dev.storyboard.domain.generation.GenerationRequest;
import dev.storyboard.domain.generation.JobOutcome;
import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.domain.project.MediaPaths;
import dev.storyboard.domain.project.MediaStore;
import dev.storyboard.domain.project.ProjectFiles;
import dev.storyboard.domain.project.ProjectLoader;
import dev.storyboard.domain.vocabulary.ModelVocabulary;
import dev.storyboard.ui.command.BatchCommand;
import dev.storyboard.ui.command.Command;
import dev.storyboard.ui.command.CommandStack;
import dev.storyboard.ui.command.Shots;
import dev.storyboard.ui.command.StoryboardDocument;
import dev.storyboard.ui.command.TimelineCommands;
import dev.storyboard.ui.dialog.EditorDialogs.Choice;
import dev.storyboard.ui.generation.FrameCache;
import dev.storyboard.ui.generation.GenerationController;
import dev.storyboard.ui.generation.JobEntry;
import dev.storyboard.ui.generation.QualityMarks;
import dev.storyboard.ui.generation.TakeSources;
import dev.storyboard.ui.playback.Playback;
import dev.storyboard.ui.project.RecoveryStore;
import dev.storyboard.ui.timeline.TimelineLayout;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.WeakHashMap;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableSet;

/**
 * State and behaviour of the editor window (MVVM: views bind to these properties and call these
 * methods; nothing here knows a node). Every change of the storyboard goes through a {@link Command} on
 * the {@link CommandStack}. UI thread only; background work reports back through the environment's
 * {@link dev.storyboard.ui.concurrent.UiThread}.
 */
public final class EditorViewModel {
    public static final double MIN_ZOOM = 1;
    public static final double MAX_ZOOM = 64;
    public static final double DEFAULT_ZOOM = 12;
    public static final int DEFAULT_SHOT_SECONDS = 2;
    /**
     * Longest shot the editor offers, in seconds: the engine's longest take (ServiceSettings.maxSecondsPerTake),
     * and the one bound of the Length field, the edge drag and "Extend" ({@link #maxShotFrames()}).
     */
    public static final int MAX_SHOT_SECONDS = 60;

    private final EditorEnvironment env;
    private final StoryboardDocument document;
    private final CommandStack stack = new CommandStack();
    private final TimelineCommands commands;
    private final FrameCache frames = new FrameCache();
    private final QualityMarks marks;
    private final GenerationController generation;
    private final ReadOnlyObjectWrapper<Path> projectFile = new ReadOnlyObjectWrapper<>(this, "projectFile");
    private final ReadOnlyObjectWrapper<Path> mediaDir = new ReadOnlyObjectWrapper<>(this, "mediaDir");
    private final ReadOnlyObjectWrapper<EngineStatus> engineStatus;
    private final ReadOnlyObjectWrapper<ModelVocabulary> modelVocabulary = new ReadOnlyObjectWrapper<>(this, "modelVocabulary");
    private final ObservableSet<String> selection = FXCollections.observableSet(new LinkedHashSet<>());
    private final ObjectProperty<String> primaryId = new SimpleObjectProperty<>(this, "primaryShotId");
    private final ReadOnlyObjectWrapper<Shot> selectedShot = new ReadOnlyObjectWrapper<>(this, "selectedShot");
    private String anchorId;
    private final IntegerProperty playhead = new SimpleIntegerProperty(this, "playhead", 0);
    private final DoubleProperty pixelsPerFrame = new SimpleDoubleProperty(this, "pixelsPerFrame", DEFAULT_ZOOM);
    private final Playback playback;
    private final ObservableSet<String> staleShots = FXCollections.observableSet(new LinkedHashSet<>());
    private final TakeSources sources = new TakeSources();
    /** Read-only views, created once: a wrapper per call would lose its (weak) listeners to GC. */
    private final ObservableSet<String> staleView = FXCollections.unmodifiableObservableSet(staleShots);
    private final ObservableSet<String> selectionView;
    /** Shots whose seed is locked: a new take repeats it. By default a new take rolls a new seed. */
    private final Set<String> lockedSeeds = new LinkedHashSet<>();
    private final ReadOnlyObjectWrapper<Notice> notice = new ReadOnlyObjectWrapper<>(this, "notice");
    private final ReadOnlyObjectWrapper<VideoFrame> liveFrame = new ReadOnlyObjectWrapper<>(this, "liveFrame");
    private final ReadOnlyStringWrapper liveCaption = new ReadOnlyStringWrapper(this, "liveCaption", "");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    /** The frame rate of the last MP4 export in this window (null: none yet, the chooser offers native). */
    private EditorialRate exportRate;
    private final ObservableList<JobEntry> jobsView;
    private final BooleanBinding canGenerate;
    private final BooleanProperty showEmptyState = new SimpleBooleanProperty(this, "showEmptyState");
    /**
     * The command each job belongs to (a drag, "Generate take"): undoing the command cancels its job, and the
     * job's result is folded into that command instead of becoming an undo entry of its own.
     */
    private final Map<JobEntry, Command> originByJob = new IdentityHashMap<>();
    private final Map<String, PutAside> putAside = new HashMap<>();
    /** Length edits that may need frames, by shot, so that their redo asks for them again. */
    private final Map<Command, String> lengthOrigins = new WeakHashMap<>();
    /** An extension waiting for the running extension of the same take (take id → the edit that wants it). */
    private final Map<String, Command> waitingExtension = new HashMap<>();
    /** The notice offering to regenerate stale shots, and the shots it names. */
    private Notice staleNotice;
    private List<String> staleNoticeShots = List.of();
    /** Shots of a multi-shot "Generate take" still to queue, each after the take of the one before arrived. */
    private final Map<Command, Deque<String>> batchRest = new IdentityHashMap<>();
    /** The commands of "Generate take" gestures (they are withdrawn when their jobs make nothing). */
    private final Set<Command> generateOrigins = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Jobs whose frames did not land where they announced: their output is dropped. */
    private final Set<JobEntry> rejected = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Bumped whenever a different project is loaded: late results of the old one are dropped. */
    private int projectEpoch;
    private int autosavedRevision = -1;
    private final ProjectLoader loader = new ProjectLoader();
    private final ProjectFiles projectFiles = new ProjectFiles();
    private final Path fallbackScratch = Path.of(System.getProperty("java.io.tmpdir"),
            "storyboard-untitled-" + UUID.randomUUID().toString().substring(0, 8) + MediaPaths.MEDIA_SUFFIX);

    /** An editor without a generation service, everything on the calling thread (tests, previews). */
    public EditorViewModel(Storyboard initial, Path projectFile, EngineStatus initialStatus) {
        this(EditorEnvironment.headless(), initial, projectFile, initialStatus);
    }

    public EditorViewModel(EditorEnvironment env, Storyboard initial, Path projectFile) {
        this(env, initial, projectFile, env.initialStatus());
    }

    private EditorViewModel(EditorEnvironment env, Storyboard initial, Path file, EngineStatus initialStatus) {
        this.env = Objects.requireNonNull(env, "environment");
        this.document = new StoryboardDocument(Objects.requireNonNull(initial, "storyboard"));
        this.commands = new TimelineCommands(document);
        this.engineStatus = new ReadOnlyObjectWrapper<>(this, "engineStatus", Objects.requireNonNull(initialStatus, "engine status"));
        this.marks = new QualityMarks(env.chunkCheck(), env.background());
        modelVocabulary.set(vocabularyOf(initialStatus));
        this.generation = new GenerationController(env.service(), env.ui(), new GenerationController.Callbacks() {
            @Override
            public void chunkArrived(JobEntry entry, FrameChunk chunk) {
                onChunk(entry, chunk);
            }

            @Override
            public void jobFinished(JobEntry entry, JobOutcome outcome) {
                onFinished(entry, outcome);
            }
        });
        this.jobsView = FXCollections.unmodifiableObservableList(generation.jobs());
        this.selectionView = FXCollections.unmodifiableObservableSet(selection);
        this.projectFile.set(file);
        this.mediaDir.set(file == null ? scratchMediaDir() : MediaPaths.mediaDirFor(file));
        this.playback = new Playback(playhead, () -> storyboard().fps(),
                () -> new Playback.Range(0, layout().totalFrames()), this::selectedShotRange);
        this.canGenerate = Bindings.createBooleanBinding(
                () -> engineStatus.get().ready() && generation.hasService() && selectedShot.get() != null,
                engineStatus, selectedShot);

        sources.assumeCurrent(initial);
        document.storyboardProperty().addListener((obs, old, now) -> storyboardChanged(now));
        primaryId.addListener((obs, old, now) -> refreshSelectedShot());
        stack.addListener(this::commandEvent);
        showEmptyState.set(initial.shots().isEmpty());
        if (!initial.shots().isEmpty()) {
            select(initial.shots().get(0).id());
        }
        if (file != null) {
            loadMedia(initial, mediaDir.get(), projectEpoch);
        }
    }

    // =============================================================================================
    // Observable state
    // =============================================================================================

    public ReadOnlyObjectProperty<Storyboard> storyboardProperty() {
        return document.storyboardProperty();
    }

    public Storyboard storyboard() {
        return document.get();
    }

    public TimelineLayout layout() {
        return new TimelineLayout(storyboard());
    }

    public CommandStack commands() {
        return stack;
    }

    public ReadOnlyBooleanProperty dirtyProperty() {
        return stack.dirtyProperty();
    }

    /** Live quality flags (seam, cut, flash, drift) of generated takes, by take id. */
    public QualityMarks qualityMarks() {
        return marks;
    }

    public FrameCache frames() {
        return frames;
    }

    public EditorEnvironment environment() {
        return env;
    }

    public ReadOnlyObjectProperty<Path> projectFileProperty() {
        return projectFile.getReadOnlyProperty();
    }

    public Path projectFile() {
        return projectFile.get();
    }

    /** Where take frames of this project are written: {@code <name>.media} next to the project, or scratch. */
    public ReadOnlyObjectProperty<Path> mediaDirProperty() {
        return mediaDir.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<EngineStatus> engineStatusProperty() {
        return engineStatus.getReadOnlyProperty();
    }

    /** Called on the UI thread when the generation service reports a new status. */
    public void updateEngineStatus(EngineStatus status) {
        engineStatus.set(Objects.requireNonNull(status, "engine status"));
        modelVocabulary.set(vocabularyOf(status));
    }

    /** The loaded model's vocabulary (prompt completion), or null while none is ready or it ships none. */
    public ReadOnlyObjectProperty<ModelVocabulary> modelVocabularyProperty() {
        return modelVocabulary.getReadOnlyProperty();
    }

    private ModelVocabulary vocabularyOf(EngineStatus status) {
        return status.ready() && env.service() != null ? env.service().vocabulary().orElse(null) : null;
    }

    /** True when the engine is ready and a shot is selected. */
    public BooleanBinding canGenerateBinding() {
        return canGenerate;
    }

    public ObservableList<JobEntry> jobs() {
        return jobsView;
    }

    public GenerationController generation() {
        return generation;
    }

    public ObservableSet<String> staleShots() {
        return staleView;
    }

    public ReadOnlyObjectProperty<Notice> noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    public void showNotice(Notice n) {
        notice.set(n);
    }

    public void dismissNotice() {
        notice.set(null);
    }

    /** The frame most recently decoded by a running job (live preview), or null. */
    public ReadOnlyObjectProperty<VideoFrame> liveFrameProperty() {
        return liveFrame.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty liveCaptionProperty() {
        return liveCaption.getReadOnlyProperty();
    }

    /** True while a project is being opened or saved. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** True while the storyboard has no shots: the view shows the empty-state screen. */
    public BooleanProperty showEmptyStateProperty() {
        return showEmptyState;
    }

    public boolean hasSample() {
        return env.sample() != null;
    }

    /** "title — file" for the window title, with a dot when there are unsaved changes. */
    public StringBinding windowTitle() {
        return Bindings.createStringBinding(() -> {
            Path file = projectFile.get();
            String name = file == null ? "untitled" : file.getFileName().toString();
            return (stack.isDirty() ? "• " : "") + storyboard().title() + " — " + name + " — Storyboard";
        }, document.storyboardProperty(), projectFile, stack.dirtyProperty());
    }

    // =============================================================================================
    // Selection, playhead, zoom
    // =============================================================================================

    /** Ids of the selected shots, in the order they were selected. */
    public ObservableSet<String> selection() {
        return selectionView;
    }

    /** The shot the inspector shows (the last one clicked), or null. */
    public ReadOnlyObjectProperty<Shot> selectedShotProperty() {
        return selectedShot.getReadOnlyProperty();
    }

    public Shot selectedShot() {
        return selectedShot.get();
    }

    /** Selected shot ids in timeline order. */
    public List<String> selectedIdsInOrder() {
        return storyboard().shots().stream().map(Shot::id).filter(selection::contains).toList();
    }

    /** Selects just this shot. */
    public void select(String shotId) {
        if (shotId == null || storyboard().shot(shotId).isEmpty()) {
            clearSelection();
            return;
        }
        selection.retainAll(Set.of(shotId));
        selection.add(shotId);
        anchorId = shotId;
        primaryId.set(shotId);
        showSelectedInPreview();
    }

    /** A shot picked while playback is stopped is shown: the playhead moves to its start unless already in it. */
    private void showSelectedInPreview() {
        if (playback == null || playback.isPlaying()) {
            return;
        }
        Playback.Range r = selectedShotRange();
        if (r != null && (playhead.get() < r.start() || playhead.get() >= r.end())) {
            playhead.set(r.start());
            liveFrame.set(null);
        }
    }

    /** Ctrl+click: adds or removes the shot. */
    public void toggleSelection(String shotId) {
        if (storyboard().shot(shotId).isEmpty()) {
            return;
        }
        if (selection.contains(shotId)) {
            selection.remove(shotId);
            if (shotId.equals(primaryId.get())) {
                primaryId.set(selection.isEmpty() ? null : selection.iterator().next());
            }
        } else {
            selection.add(shotId);
            primaryId.set(shotId);
        }
        anchorId = shotId;
    }

    /** Shift+click: selects every shot from the anchor to this one. */
    public void extendSelection(String shotId) {
        TimelineLayout layout = layout();
        int to = layout.indexOf(shotId);
        int from = anchorId == null ? -1 : layout.indexOf(anchorId);
        if (to < 0) {
            return;
        }
        if (from < 0) {
            select(shotId);
            return;
        }
        selection.clear();
        for (int i = Math.min(from, to); i <= Math.max(from, to); i++) {
            selection.add(layout.shot(i).id());
        }
        primaryId.set(shotId);
    }

    public void selectAll() {
        storyboard().shots().forEach(s -> selection.add(s.id()));
        if (primaryId.get() == null && !selection.isEmpty()) {
            primaryId.set(selection.iterator().next());
        }
    }

    public void clearSelection() {
        selection.clear();
        primaryId.set(null);
        anchorId = null;
    }

    /** Scene frame under the playhead (an integer: the playhead snaps to frames). */
    public IntegerProperty playheadProperty() {
        return playhead;
    }

    /**
     * Moves the playhead to {@code frame} (clamped to the scene); with {@code snapToSeconds} it snaps to the
     * nearest whole second. User moves end the live preview and select the shot under the playhead.
     */
    public void movePlayhead(int frame, boolean snapToSeconds) {
        int total = layout().totalFrames();
        int f = frame;
        if (snapToSeconds) {
            int fps = storyboard().fps();
            f = Math.round(f / (float) fps) * fps;
        }
        f = Math.max(0, Math.min(f, Math.max(0, total - 1)));
        playhead.set(f);
        liveFrame.set(null);
    }

    /** Arrow keys: {@code delta} frames (or seconds with {@code seconds}). */
    public void stepPlayhead(int delta, boolean seconds) {
        playback.pause();
        movePlayhead(playhead.get() + delta * (seconds ? storyboard().fps() : 1), false);
    }

    public void playheadToStart() {
        movePlayhead(0, false);
    }

    public void playheadToEnd() {
        movePlayhead(layout().totalFrames() - 1, false);
    }

    public Playback playback() {
        return playback;
    }

    public void togglePlay() {
        liveFrame.set(null);
        playback.toggle();
    }

    private Playback.Range selectedShotRange() {
        Shot s = selectedShot.get();
        if (s == null) {
            return null;
        }
        TimelineLayout layout = layout();
        int i = layout.indexOf(s.id());
        return i < 0 ? null : new Playback.Range(layout.start(i), layout.end(i));
    }

    /** The longest shot the editor offers at the scene's frame rate ({@link #MAX_SHOT_SECONDS}). */
    public int maxShotFrames() {
        return Math.min(TimelineInvariants.MAX_SHOT_FRAMES, MAX_SHOT_SECONDS * storyboard().fps());
    }

    /** Zoom of the timeline in pixels per frame. */
    public DoubleProperty pixelsPerFrameProperty() {
        return pixelsPerFrame;
    }

    public void zoomIn() {
        pixelsPerFrame.set(Math.min(MAX_ZOOM, pixelsPerFrame.get() * 1.25));
    }

    public void zoomOut() {
        pixelsPerFrame.set(Math.max(MIN_ZOOM, pixelsPerFrame.get() / 1.25));
    }

    /** Zoom so that the whole scene fits {@code widthPixels}. */
    public void zoomToFit(double widthPixels) {
        int total = Math.max(1, layout().totalFrames());
        pixelsPerFrame.set(Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, widthPixels / total)));
    }

    // =============================================================================================
    // Editing (every change is a command)
    // =============================================================================================

    /**
     * Runs a command; a refused command changes nothing and shows why in the notice bar.
     *
     * @return true when the command changed the storyboard
     */
    public boolean execute(Command command) {
        try {
            return stack.execute(command);
        } catch (RuntimeException e) {
            showNotice(Notice.warning(command.description() + " was not possible: " + message(e)));
            return false;
        }
    }

    public void undo() {
        if (!stack.canUndo()) {
            return;
        }
        try {
            stack.undo();
        } catch (RuntimeException e) {
            showNotice(Notice.error("Undo failed: " + message(e)));
        }
    }

    public void redo() {
        if (!stack.canRedo()) {
            return;
        }
        try {
            stack.redo();
        } catch (RuntimeException e) {
            showNotice(Notice.error("Redo failed: " + message(e)));
        }
    }

    private Shot newShot(String id, String prompt) {
        Storyboard sb = storyboard();
        Shot template = selectedShot.get();
        return Shot.planned(id, prompt, Math.max(1, sb.fps() * DEFAULT_SHOT_SECONDS),
                template == null ? CameraMove.STATIC : template.camera(),
                template == null ? ShotSize.MEDIUM : template.shotSize(), Math.abs(env.seeds().getAsLong()));
    }

    /** Appends a new empty shot and selects it. */
    public String addShot() {
        return addShot("");
    }

    /** Appends a new shot with {@code prompt} and selects it. */
    public String addShot(String prompt) {
        String id = Shots.nextShotId(storyboard(), List.of());
        if (execute(commands.addShot(newShot(id, prompt)))) {
            select(id);
            return id;
        }
        return null;
    }

    /** Inserts a new shot before the selected one (or at the start). */
    public String insertShotBeforeSelection() {
        Shot sel = selectedShot.get();
        int index = sel == null ? 0 : Shots.indexOf(storyboard(), sel.id());
        String id = Shots.nextShotId(storyboard(), List.of());
        if (execute(commands.insertShot(Math.max(0, index), newShot(id, "")))) {
            select(id);
            return id;
        }
        return null;
    }

    /** Inserts a new shot after the selected one (or at the end). */
    public String insertShotAfterSelection() {
        Shot sel = selectedShot.get();
        if (sel == null) {
            return addShot();
        }
        int index = Shots.indexOf(storyboard(), sel.id()) + 1;
        String id = Shots.nextShotId(storyboard(), List.of());
        if (execute(commands.insertShot(index, newShot(id, "")))) {
            select(id);
            return id;
        }
        return null;
    }

    /** Ctrl+D: duplicates the selected shots (settings, not takes); the copies become the selection. */
    public List<String> duplicateSelection() {
        List<String> ids = selectedIdsInOrder();
        if (ids.isEmpty()) {
            return List.of();
        }
        List<String> newIds = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            newIds.add(Shots.nextShotId(storyboard(), newIds));
        }
        if (!execute(commands.duplicateShots(ids, newIds))) {
            return List.of();
        }
        selection.clear();
        newIds.forEach(selection::add);
        primaryId.set(newIds.get(newIds.size() - 1));
        anchorId = primaryId.get();
        return newIds;
    }

    /** Delete: removes the selected shots (one undo step) and cancels their jobs. */
    public void deleteSelection() {
        List<String> ids = selectedIdsInOrder();
        if (ids.isEmpty()) {
            return;
        }
        int firstIndex = Shots.indexOf(storyboard(), ids.get(0));
        if (execute(commands.deleteShots(ids))) {
            ids.forEach(generation::cancelShot);
            List<Shot> shots = storyboard().shots();
            if (!shots.isEmpty()) {
                select(shots.get(Math.min(firstIndex, shots.size() - 1)).id());
            }
        }
    }

    /** Drag-reorder: moves the shots to the gap before {@code targetIndex}. */
    public void moveShots(List<String> shotIds, int targetIndex) {
        execute(commands.moveShots(shotIds, targetIndex));
    }

    /** Alt+Left/Right: moves the selection one place earlier or later. */
    public void moveSelectionBy(int delta) {
        List<String> ids = selectedIdsInOrder();
        if (ids.isEmpty()) {
            return;
        }
        Storyboard sb = storyboard();
        int first = Shots.indexOf(sb, ids.get(0));
        int last = Shots.indexOf(sb, ids.get(ids.size() - 1));
        if (delta < 0 && first > 0) {
            execute(commands.moveShots(ids, first - 1));
        } else if (delta > 0 && last < sb.shots().size() - 1) {
            execute(commands.moveShots(ids, last + 2));
        }
    }

    public void setPrompt(String shotId, String prompt) {
        Shot s = storyboard().shot(shotId).orElse(null);
        if (s != null && !s.prompt().equals(prompt)) {
            execute(commands.setPrompt(shotId, prompt));
        }
    }

    public void setCamera(String shotId, CameraMove camera) {
        Shot s = storyboard().shot(shotId).orElse(null);
        if (s != null && s.camera() != camera) {
            execute(commands.setCamera(shotId, camera));
        }
    }

    public void setShotSize(String shotId, ShotSize size) {
        Shot s = storyboard().shot(shotId).orElse(null);
        if (s != null && s.shotSize() != size) {
            execute(commands.setShotSize(shotId, size));
        }
    }

    public void setSeed(String shotId, long seed) {
        Shot s = storyboard().shot(shotId).orElse(null);
        if (s != null && s.seed() != seed) {
            execute(commands.setSeed(shotId, seed));
        }
    }

    /** A new random seed for the shot (one undoable edit). */
    public void rerollSeed(String shotId) {
        if (storyboard().shot(shotId).isPresent()) {
            execute(commands.setSeed(shotId, Math.abs(env.seeds().getAsLong())));
        }
    }

    /** Unlocked (the default): every new take rolls a new seed. Locked: a new take keeps the seed (a repeat). */
    public boolean isSeedLocked(String shotId) {
        return lockedSeeds.contains(shotId);
    }

    public void setSeedLocked(String shotId, boolean locked) {
        if (locked) {
            lockedSeeds.add(shotId);
        } else {
            lockedSeeds.remove(shotId);
        }
    }

    public void setGuidance(String shotId, double guidance) {
        Shot s = storyboard().shot(shotId).orElse(null);
        if (s != null && s.guidance() != guidance) {
            execute(commands.setGuidance(shotId, guidance));
        }
    }

    public void setScenePrompt(String scenePrompt) {
        if (!storyboard().scenePrompt().equals(scenePrompt)) {
            execute(commands.setScenePrompt(scenePrompt));
        }
    }

    public void setTitle(String title) {
        if (!title.isBlank() && !storyboard().title().equals(title)) {
            execute(commands.setTitle(title));
        }
    }

    /**
     * Sets a shot's length: the end of an edge drag, or the inspector's duration field. One undoable edit.
     * Shorter than the active take: a non-destructive trim. Longer than the frames the active take has (or
     * will have, counting queued extensions): at most one extension job for exactly the missing frames.
     *
     * @return the extension job, if one was queued
     */
    public Optional<JobEntry> resizeShot(String shotId, int requested) {
        int frames = Math.max(1, Math.min(requested, maxShotFrames()));
        Shot shot = storyboard().shot(shotId).orElse(null);
        if (shot == null || frames == shot.durationFrames()) {
            return Optional.empty();
        }
        Command edit = commands.setDuration(shotId, frames);
        if (!execute(edit)) {
            return Optional.empty();
        }
        return queueMissingFrames(shotId, edit);
    }

    /**
     * Queues an extension of the active take when the shot is longer than the frames it has, for the command
     * {@code origin} (a drag, the inspector's length, "Extend"): the job's frames are folded into that command.
     * While another extension of the take runs, this one waits for it and then asks for what is still missing
     * (the engine rounds to whole chunks, so only a finished take says where the next frames start). Does
     * nothing for a shot without takes (it is generated as a whole) or when generation is unavailable.
     */
    private Optional<JobEntry> queueMissingFrames(String shotId, Command origin) {
        lengthOrigins.put(origin, shotId);
        Shot shot = storyboard().shot(shotId).orElse(null);
        if (shot == null) {
            return Optional.empty();
        }
        Take active = shot.activeTake().orElse(null);
        if (active == null) {
            return Optional.empty();
        }
        int missing = shot.durationFrames() - active.generatedFrames();
        if (missing <= 0) {
            return Optional.empty();
        }
        if (!engineStatus.get().ready() || !generation.hasService()) {
            showNotice(Notice.info(label(shotId) + " is " + missing + " frames longer than its take; they will be "
                    + "generated when the engine is ready (drag the edge again then)."));
            return Optional.empty();
        }
        if (generation.pendingExtensionFrames(active.id()) > 0) {
            waitingExtension.put(active.id(), origin);
            return Optional.empty();
        }
        putAside.remove(active.id()); // the frames of an undone extension are replaced by new ones
        Optional<JobEntry> job = submit(GenerationRequest.extend(storyboard(), shotId, active.id(), missing, shot.seed()),
                active.generatedFrames());
        job.ifPresent(j -> originByJob.put(j, origin));
        return job;
    }

    /** Extends {@code takeId} (any take of the shot) by {@code frames}: it becomes active, the shot that long. */
    public Optional<JobEntry> extendFromTake(String shotId, String takeId, int frames) {
        Shot shot = storyboard().shot(shotId).orElse(null);
        if (shot == null || frames <= 0) {
            return Optional.empty();
        }
        Take take = Shots.take(shot, takeId).orElse(null);
        if (take == null) {
            return Optional.empty();
        }
        int target = Math.max(shot.durationFrames(), take.generatedFrames() + generation.pendingExtensionFrames(takeId)) + frames;
        List<Command> parts = new ArrayList<>();
        if (!takeId.equals(shot.activeTakeId())) {
            parts.add(commands.selectTake(shotId, takeId));
        }
        parts.add(commands.setDuration(shotId, Math.min(target, maxShotFrames())));
        Command batch = new BatchCommand("Extend " + label(shotId) + " by " + frames + " frames", parts);
        if (!execute(batch)) {
            return Optional.empty();
        }
        return queueMissingFrames(shotId, batch);
    }

    public void selectTake(String shotId, String takeId) {
        Shot s = storyboard().shot(shotId).orElse(null);
        if (s != null && !Objects.equals(s.activeTakeId(), takeId)) {
            execute(commands.selectTake(shotId, takeId));
        }
    }

    /** Deletes a take from the shot (undoable; its frames stay on disk until the project is cleaned). */
    public void deleteTake(String shotId, String takeId) {
        generation.jobs().stream().filter(j -> j.isActive() && takeId.equals(j.takeId())).forEach(generation::cancel);
        execute(commands.deleteTake(shotId, takeId));
    }

    private void commandEvent(CommandStack.Event event, Command command) {
        List<JobEntry> jobs = originByJob.entrySet().stream().filter(e -> e.getValue() == command).map(Map.Entry::getKey)
                .toList();
        for (JobEntry job : jobs) {
            if (event == CommandStack.Event.UNDONE && job.isActive()) {
                generation.cancel(job); // the edit that asked for these frames is gone
            } else if (event == CommandStack.Event.REDONE && !job.isActive() && job.state() != JobEntry.State.COMPLETED
                    && !job.isExtension()) {
                originByJob.remove(job);
                if (storyboard().shot(job.shotId()).isPresent()) {
                    submit(GenerationRequest.newTake(storyboard(), job.shotId()), 0).ifPresent(j -> originByJob.put(j, command));
                }
            }
        }
        if (event == CommandStack.Event.UNDONE) {
            waitingExtension.values().removeIf(c -> c == command);
            batchRest.remove(command);
        }
        String lengthShot = lengthOrigins.get(command);
        if (event == CommandStack.Event.REDONE && lengthShot != null && jobs.stream().noneMatch(JobEntry::isActive)) {
            jobs.forEach(originByJob::remove);
            queueMissingFrames(lengthShot, command); // its frames were not generated: ask again (only what is missing)
        }
        if (event != CommandStack.Event.EXECUTED) {
            reconcileFrames();
        }
    }

    /**
     * Makes the frames in memory and in the media folder match the takes of the current storyboard: after an undo
     * the frames of an undone extension are put aside (memory) and removed from the take's folder, so the take
     * holds exactly its frames; a redo puts them back. Takes that a running job writes to are left alone.
     */
    private void reconcileFrames() {
        Set<String> busyTakes = new HashSet<>();
        generation.activeJobs().forEach(j -> {
            if (j.takeId() != null) {
                busyTakes.add(j.takeId());
            }
        });
        for (Shot shot : storyboard().shots()) {
            for (Take take : shot.takes()) {
                if (busyTakes.contains(take.id()) || take.mediaFile().isEmpty()) {
                    continue;
                }
                int want = take.generatedFrames();
                int have = frames.length(take.id());
                Path dir = MediaPaths.resolve(mediaDir.get(), take.mediaFile());
                if (have > want) {
                    List<VideoFrame> extra = new ArrayList<>();
                    for (int i = want; i < have; i++) {
                        extra.add(frames.frame(take.id(), i));
                    }
                    if (extra.stream().allMatch(Objects::nonNull)) {
                        putAside.put(take.id(), new PutAside(want, extra));
                    }
                    frames.truncate(take.id(), want);
                    marks.truncate(take.id(), want);
                    env.background().run("put aside frames of " + take.id(), () -> MediaStore.truncate(dir, want));
                } else if (have < want && putAside.containsKey(take.id()) && putAside.get(take.id()).first() == have) {
                    PutAside aside = putAside.remove(take.id());
                    List<VideoFrame> back = aside.frames().subList(0, Math.min(aside.frames().size(), want - have));
                    frames.put(take.id(), have, back);
                    env.background().run("restore frames of " + take.id(), () -> MediaStore.writeFrames(dir, have, back));
                }
            }
        }
    }

    /** Frames of an undone extension, kept in memory for its redo. */
    private record PutAside(int first, List<VideoFrame> frames) {}

    // =============================================================================================
    // Generation
    // =============================================================================================

    /** Generates a new take of each selected shot, in timeline order. */
    public List<JobEntry> generateSelection() {
        return generate(selectedIdsInOrder());
    }

    /**
     * Generates a new take of each shot, in timeline order, as one undo entry. A new take rolls a new seed
     * unless the shot's seed is locked (then it repeats the last take with that seed, and the notice says so).
     */
    public List<JobEntry> generate(List<String> shotIds) {
        return generate(shotIds, false);
    }

    private List<JobEntry> generate(List<String> shotIds, boolean keepSeeds) {
        List<JobEntry> queued = new ArrayList<>();
        if (!engineStatus.get().ready() || !generation.hasService()) {
            showNotice(Notice.warning("Generation is unavailable: " + engineStatus.get().message()));
            return queued;
        }
        List<String> ids = new ArrayList<>();
        List<Command> parts = new ArrayList<>();
        List<String> repeats = new ArrayList<>();
        for (Shot shot : storyboard().shots()) {
            if (!shotIds.contains(shot.id())) {
                continue;
            }
            if (shot.prompt().isBlank()) {
                showNotice(Notice.warning(label(shot.id()) + " has no prompt yet: describe what happens, then generate."));
                continue;
            }
            boolean keep = keepSeeds || isSeedLocked(shot.id());
            if (keep && !keepSeeds && shot.takes().stream().anyMatch(t -> t.seed() == shot.seed())) {
                repeats.add(shot.id());
            }
            ids.add(shot.id());
            parts.add(commands.generateTake(shot.id(), keep ? null : Math.abs(env.seeds().getAsLong())));
        }
        if (parts.isEmpty()) {
            return queued;
        }
        Command origin = parts.size() == 1 ? parts.get(0)
                : new BatchCommand("Generate takes of " + ids.size() + " shots", parts);
        if (!execute(origin)) {
            return queued;
        }
        generateOrigins.add(origin);
        // context-causal: each shot is generated with the new takes of the shots before it, so the next shot of
        // the gesture is queued when the previous one's take has arrived (see onFinished)
        ArrayDeque<String> rest = new ArrayDeque<>(ids);
        submit(GenerationRequest.newTake(storyboard(), rest.poll()), 0).ifPresent(j -> {
            queued.add(j);
            originByJob.put(j, origin);
        });
        if (!queued.isEmpty() && !rest.isEmpty()) {
            batchRest.put(origin, rest);
        }
        if (queued.isEmpty() && !stack.retractLast(origin)) {
            stack.discardIfUnchanged(origin);
        }
        if (!repeats.isEmpty()) {
            String which = repeats.size() == 1 ? label(repeats.get(0)) : repeats.size() + " shots";
            showNotice(Notice.info(which + ": the seed is locked, so the new take repeats an earlier one exactly.",
                    Choice.primary("Reroll and generate", () -> {
                        dismissNotice();
                        queued.forEach(generation::cancel);
                        repeats.forEach(id -> setSeedLocked(id, false));
                        generate(repeats);
                    }),
                    Choice.of("Keep", this::dismissNotice)));
        }
        return queued;
    }

    /** Regenerates every shot marked stale, in timeline order. */
    public List<JobEntry> regenerateStale() {
        List<String> ids = storyboard().shots().stream().map(Shot::id).filter(staleShots::contains).toList();
        dismissNotice();
        return generate(ids, true); // same seeds, new context
    }

    private Optional<JobEntry> submit(GenerationRequest request, int firstFrame) {
        try {
            return Optional.of(generation.submit(request, label(request.shotId()), firstFrame));
        } catch (RuntimeException e) {
            showNotice(Notice.error("Could not queue " + label(request.shotId()) + ": " + message(e)));
            return Optional.empty();
        }
    }

    public void cancelJob(JobEntry job) {
        generation.cancel(job);
    }

    public void cancelShot(String shotId) {
        generation.cancelShot(shotId);
    }

    public void cancelAll() {
        batchRest.clear(); // the shots of a gesture not queued yet are not queued any more
        generation.cancelAll();
    }

    private void onChunk(JobEntry entry, FrameChunk chunk) {
        if (chunk.frames().isEmpty() || rejected.contains(entry)) {
            return;
        }
        int expected = entry.firstFrame() + entry.framesReceived() - chunk.frames().size();
        if (chunk.firstFrame() != expected || (entry.takeId() != null && !entry.takeId().equals(chunk.takeId()))) {
            // an extension writes exactly the frames it announced: never frames elsewhere in the take
            rejected.add(entry);
            generation.cancel(entry);
            showNotice(Notice.error(entry.title() + " failed: the engine sent frames from " + chunk.firstFrame()
                    + " where frame " + expected + " was expected; nothing was kept."));
            return;
        }
        frames.put(chunk.takeId(), chunk.firstFrame(), chunk.frames());
        marks.chunkArrived(chunk.takeId(), frames.frames(chunk.takeId()), chunk.firstFrame(), storyboard().fps());
        liveFrame.set(chunk.frames().get(chunk.frames().size() - 1));
        int last = chunk.firstFrame() + chunk.frames().size() - 1;
        liveCaption.set(entry.shotLabel() + " · generating frame " + last + " (" + entry.stepTextProperty().get() + ")");
        Path takeDir = takeDir(chunk.shotId(), chunk.takeId());
        List<VideoFrame> copy = chunk.frames();
        int first = chunk.firstFrame();
        env.background().run("write frames of " + chunk.takeId(), () -> MediaStore.writeFrames(takeDir, first, copy));
    }

    private void onFinished(JobEntry entry, JobOutcome outcome) {
        Command origin = originByJob.get(entry);
        try {
            handleFinished(entry, outcome);
        } finally {
            Deque<String> rest = origin == null ? null : batchRest.get(origin);
            if (rest != null) {
                boolean goOn = outcome.status() == JobOutcome.Status.COMPLETED && stack.isDone(origin);
                String next = goOn ? rest.poll() : null;
                while (next != null && storyboard().shot(next).isEmpty()) {
                    next = rest.poll();
                }
                if (next == null || rest.isEmpty()) {
                    batchRest.remove(origin);
                }
                if (next != null) {
                    submit(GenerationRequest.newTake(storyboard(), next), 0).ifPresent(j -> originByJob.put(j, origin));
                }
            }
            Command waiting = entry.isExtension() && entry.takeId() != null ? waitingExtension.remove(entry.takeId()) : null;
            if (waiting != null && stack.isDone(waiting) && generation.pendingExtensionFrames(entry.takeId()) == 0) {
                queueMissingFrames(entry.shotId(), waiting);
            }
        }
    }

    private void handleFinished(JobEntry entry, JobOutcome outcome) {
        Command origin = originByJob.get(entry); // kept when nothing came of it: a redo queues it again
        if (generation.activeJobs().isEmpty()) {
            liveCaption.set("");
            liveFrame.set(null); // back to the frame under the playhead
        }
        String shotId = entry.shotId();
        Shot shot = storyboard().shot(shotId).orElse(null);
        boolean wasRejected = rejected.remove(entry);
        boolean completed = outcome.status() == JobOutcome.Status.COMPLETED && !wasRejected
                && outcome.take().generatedFrames() == entry.firstFrame() + entry.framesReceived();
        if (outcome.status() == JobOutcome.Status.COMPLETED && !completed && !wasRejected) {
            showNotice(Notice.error(entry.title() + " failed: the engine reported a take of "
                    + outcome.take().generatedFrames() + " frames but sent " + (entry.firstFrame() + entry.framesReceived())
                    + "; nothing was kept."));
        }
        if (completed) {
            originByJob.remove(entry);
            Take take = outcome.take();
            Optional<Take> existing = shot == null ? Optional.empty() : Shots.take(shot, take.id());
            String media = existing.map(Take::mediaFile).filter(m -> !m.isEmpty())
                    .orElse(MediaPaths.takeFolder(shotId, take.id()));
            Take stored = new Take(take.id(), take.seed(), take.generatedFrames(), media);
            var arrived = TimelineCommands.takeArrived(shotId, stored, !entry.isExtension());
            sources.generated(stored, TakeSources.sourceOf(entry.request().storyboard(), shotId));
            Set<String> staleBefore = Set.copyOf(staleShots);
            CommandStack.Position where = null;
            try {
                if (origin != null) {
                    where = document.amend(stack, origin, arrived);
                } else if (shot != null) {
                    execute(existing.isPresent() ? commands.replaceTake(shotId, stored)
                            : commands.addTake(shotId, stored, !entry.isExtension() || shot.activeTakeId() == null));
                }
            } catch (RuntimeException e) {
                showNotice(Notice.error("The take of " + entry.shotLabel() + " could not be stored: " + message(e)));
            }
            if (shot == null) {
                showNotice(Notice.info(entry.shotLabel() + " was deleted while it was generated; undo the delete to get its take back."));
                return;
            }
            if (where == CommandStack.Position.UNDONE) {
                reconcileFrames(); // undone before it finished: its frames wait for a redo
                return;
            }
            refreshStale();
            int index = Shots.indexOf(storyboard(), shotId);
            offerToRegenerate(entry.shotLabel(), staleShots.stream()
                    .filter(id -> !staleBefore.contains(id) && Shots.indexOf(storyboard(), id) > index).toList());
            return;
        }
        String takeId = entry.takeId();
        if (takeId != null) {
            if (entry.isExtension()) {
                int keep = shot == null ? entry.firstFrame()
                        : Shots.take(shot, takeId).map(Take::generatedFrames).orElse(entry.firstFrame());
                frames.truncate(takeId, keep);
                marks.truncate(takeId, keep);
                Path dir = takeDir(shotId, takeId);
                env.background().run("drop frames of " + takeId, () -> MediaStore.truncate(dir, keep));
            } else {
                frames.remove(takeId);
                marks.forget(takeId);
                Path dir = takeDir(shotId, takeId);
                env.background().run("drop take " + takeId, () -> MediaStore.deleteTake(dir));
            }
        }
        if (origin != null && generateOrigins.contains(origin) && originByJob.entrySet().stream().noneMatch(e -> e.getValue() == origin
                && (e.getKey().isActive() || e.getKey().state() == JobEntry.State.COMPLETED))) {
            // "Generate take" that made nothing leaves no undo entry behind (its new seed goes too)
            if (stack.retractLast(origin) || stack.discardIfUnchanged(origin)) {
                originByJob.values().removeIf(c -> c == origin);
                generateOrigins.remove(origin);
            }
        }
        if (outcome.status() == JobOutcome.Status.FAILED) {
            showNotice(Notice.error(entry.title() + " failed: " + outcome.message()));
        }
    }

    /** Later shots that a new take made stale: offers to regenerate them, or to keep them as they are. */
    private void offerToRegenerate(String changed, List<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        String which = ids.size() == 1 ? label(ids.get(0)) : ids.size() + " later shots";
        staleNotice = Notice.info(changed + " has new frames: " + which + " may no longer match.",
                Choice.primary("Regenerate", this::regenerateStale),
                Choice.of("Keep", () -> {
                    dismissNotice();
                    keepAsTheyAre(ids);
                }));
        staleNoticeShots = List.copyOf(ids);
        showNotice(staleNotice);
    }

    /** The creator accepts these shots' takes with the storyboard as it is: they are no longer stale. */
    public void keepAsTheyAre(List<String> shotIds) {
        shotIds.forEach(id -> sources.accept(storyboard(), id));
        refreshStale();
    }

    /** Stale = the active take was generated from something else than what the storyboard says now. */
    private void refreshStale() {
        Set<String> now = sources.staleShots(storyboard());
        staleShots.retainAll(now);
        staleShots.addAll(now);
        if (staleNotice != null && notice.get() == staleNotice && staleNoticeShots.stream().noneMatch(now::contains)) {
            dismissNotice(); // e.g. the extension was undone: nothing it talks about is stale any more
        }
    }

    private Path takeDir(String shotId, String takeId) {
        Shot shot = storyboard().shot(shotId).orElse(null);
        String media = shot == null ? "" : Shots.take(shot, takeId).map(Take::mediaFile).orElse("");
        String rel = media.isEmpty() ? MediaPaths.takeFolder(shotId, takeId) : media;
        return MediaPaths.resolve(mediaDir.get(), rel);
    }

    // =============================================================================================
    // Projects
    // =============================================================================================

    private Path scratchMediaDir() {
        RecoveryStore recovery = env.recovery();
        return recovery != null ? recovery.scratchMediaDir() : fallbackScratch;
    }

    /** Asks to save unsaved changes first, then runs {@code next} (unless cancelled). */
    public void whenChangesHandled(String title, Runnable next) {
        if (!stack.isDirty()) {
            next.run();
            return;
        }
        env.dialogs().ask(title, "Save the changes to “" + storyboard().title() + "” first?", List.of(
                Choice.primary("Save", () -> save(next)),
                Choice.of("Don't save", next),
                Choice.cancel("Cancel")));
    }

    /** File ▸ New: an empty storyboard (the empty-state screen offers the sample). */
    public void newProject() {
        whenChangesHandled("New storyboard", () -> {
            Storyboard sb = storyboard();
            replaceProject(Storyboard.empty("Untitled", sb.fps(), sb.width(), sb.height()), null, null);
        });
    }

    /** Opens the bundled sample as an untitled copy. */
    public void openSample() {
        if (env.sample() == null) {
            return;
        }
        whenChangesHandled("Open sample", () -> {
            try {
                replaceProject(env.sample().get(), null, null);
            } catch (RuntimeException e) {
                env.dialogs().showError("Cannot open the sample", message(e));
            }
        });
    }

    /** File ▸ Open: asks for a file, then opens it. */
    public void open() {
        whenChangesHandled("Open project", () -> {
            Path initial = projectFile.get() == null ? null : projectFile.get().toAbsolutePath().getParent();
            env.dialogs().chooseProjectToOpen(initial).ifPresent(this::openFile);
        });
    }

    /** Opens {@code file} in the background; a damaged or newer file shows an error and changes nothing. */
    public void openFile(Path file) {
        busy.set(true);
        env.background().run("open " + file, () -> {
            ProjectLoader.Loaded loaded = loader.open(file); // also removes temporaries of killed saves
            if (env.preferences() != null) {
                env.preferences().addRecent(loaded.file()); // java.util.prefs writes to disk: not on the UI thread
            }
            return loaded;
        }, loaded -> {
            busy.set(false);
            replaceProject(loaded.storyboard(), loaded.file(), loaded.mediaDir());
        }, e -> {
            busy.set(false);
            env.dialogs().showError("Cannot open project", message(e));
        });
    }

    /** Opens a recent file after asking about unsaved changes. */
    public void openRecent(Path file) {
        whenChangesHandled("Open project", () -> openFile(file));
    }

    public List<Path> recentFiles() {
        return env.preferences() == null ? List.of() : env.preferences().recentFiles();
    }

    private void replaceProject(Storyboard sb, Path file, Path media) {
        generation.cancelAll();
        projectEpoch++;
        originByJob.clear();
        batchRest.clear();
        lengthOrigins.clear();
        waitingExtension.clear();
        generateOrigins.clear();
        putAside.clear();
        frames.clear();
        marks.clear();
        sources.clear();
        sources.assumeCurrent(sb);
        lockedSeeds.clear();
        liveFrame.set(null);
        liveCaption.set("");
        playback.pause();
        dismissNotice();
        clearSelection();
        document.replace(sb, stack);
        projectFile.set(file);
        mediaDir.set(media != null ? media : file != null ? MediaPaths.mediaDirFor(file) : scratchMediaDir());
        playhead.set(0);
        autosavedRevision = stack.revisionProperty().get();
        if (!sb.shots().isEmpty()) {
            select(sb.shots().get(0).id());
        }
        loadMedia(sb, mediaDir.get(), projectEpoch);
    }

    /** Reads the takes' frames back into memory in the background, active takes first. */
    private void loadMedia(Storyboard sb, Path dir, int epoch) {
        List<Take> order = new ArrayList<>();
        sb.shots().forEach(s -> s.activeTake().ifPresent(order::add));
        sb.shots().forEach(s -> s.takes().stream().filter(t -> !order.contains(t)).forEach(order::add));
        for (Take take : order) {
            if (take.mediaFile().isEmpty() || take.generatedFrames() == 0) {
                continue;
            }
            Path takeDir;
            try {
                takeDir = MediaPaths.resolve(dir, take.mediaFile());
            } catch (IllegalArgumentException e) {
                continue;
            }
            env.background().run("read " + take.id(), () -> MediaStore.readFrames(takeDir, take.generatedFrames()),
                    list -> {
                        if (epoch == projectEpoch && !list.isEmpty()) {
                            frames.put(take.id(), 0, list);
                        }
                    }, e -> { });
        }
    }

    /** True when every shot has an active take with frames, so the scene can be exported. */
    public boolean canExport() {
        return env.exporter() != null && exportProblem().isEmpty();
    }

    /** Numbers (1-based) of the shots whose active take does not cover their length. */
    public List<Integer> shotsWithoutFrames() {
        List<Integer> missing = new ArrayList<>();
        List<Shot> shots = storyboard().shots();
        for (int i = 0; i < shots.size(); i++) {
            Shot s = shots.get(i);
            if (!s.activeTake().map(t -> t.generatedFrames() >= s.durationFrames() && !t.mediaFile().isEmpty()).orElse(false)) {
                missing.add(i + 1);
            }
        }
        return missing;
    }

    /** Why the scene cannot be exported yet ("" when it can): names the shots without frames. */
    public String exportProblem() {
        if (storyboard().shots().isEmpty()) {
            return "The scene has no shots.";
        }
        List<Integer> missing = shotsWithoutFrames();
        if (missing.isEmpty()) {
            return "";
        }
        String list = String.join(", ", missing.stream().map(String::valueOf).toList());
        return (missing.size() == 1 ? "Shot " + list + " has" : "Shots " + list + " have")
                + " no generated frames covering " + (missing.size() == 1 ? "its" : "their") + " length. Generate "
                + (missing.size() == 1 ? "it" : "them") + " first (Shot ▸ Generate missing shots).";
    }

    /** Shot ▸ Generate missing shots: a new take of every shot that has none yet (finished shots are left alone). */
    public List<JobEntry> generateMissing() {
        List<String> ids = storyboard().shots().stream().filter(s -> s.activeTake().isEmpty() && !s.prompt().isBlank())
                .map(Shot::id).toList();
        if (ids.isEmpty()) {
            showNotice(Notice.info("Every shot with a prompt has a take. Drag an edge to add frames, or Ctrl+G for a new take."));
            return List.of();
        }
        return generate(ids);
    }

    /**
     * File ▸ Export MP4: asks for a file, then encodes the active takes in the background. Shots without a
     * generated take are named in an error instead.
     */
    public void exportMp4() {
        if (env.exporter() == null) {
            env.dialogs().showError("Cannot export", "This build has no video exporter.");
            return;
        }
        String problem = exportProblem();
        if (!problem.isEmpty()) {
            env.dialogs().showError("Cannot export yet", problem);
            return;
        }
        int nativeFps = storyboard().fps();
        EditorialRate preselected = exportRate != null ? exportRate : EditorialRate.of(nativeFps);
        Optional<EditorialRate> rate = env.dialogs().chooseExportRate(nativeFps, preselected);
        if (rate.isEmpty()) {
            return;
        }
        exportRate = rate.get();
        Path current = projectFile.get();
        String suggested = storyboard().title().replaceAll("[^A-Za-z0-9 _-]", "").trim();
        env.dialogs().chooseExportTarget(current == null ? null : current.toAbsolutePath().getParent(),
                        (suggested.isEmpty() ? "scene" : suggested) + ".mp4")
                .map(p -> p.getFileName().toString().toLowerCase().endsWith(".mp4") ? p : p.resolveSibling(p.getFileName() + ".mp4"))
                .ifPresent(p -> exportMp4To(p, rate.get()));
    }

    /** Encodes the scene to {@code target} at its native rate. */
    public void exportMp4To(Path target) {
        exportMp4To(target, EditorialRate.of(storyboard().fps()));
    }

    /**
     * Encodes the scene to {@code target} at {@code rate} (frames held to reach it) in the background; the
     * result is a notice or an error dialog.
     */
    public void exportMp4To(Path target, EditorialRate rate) {
        Storyboard snapshot = storyboard();
        Path media = mediaDir.get();
        busy.set(true);
        showNotice(Notice.info("Exporting " + target.getFileName() + "…"));
        env.background().run("export " + target, () -> {
            env.exporter().exportMp4(snapshot, media, target, rate, (done, total) -> { }, () -> false);
            return target;
        }, written -> {
            busy.set(false);
            boolean nativeRate = rate.equals(EditorialRate.of(snapshot.fps()));
            showNotice(Notice.info("Exported " + written.getFileName() + " (" + snapshot.totalFrames() + " frames"
                    + (nativeRate ? "" : ", held to " + rate) + ")"));
        }, e -> {
            busy.set(false);
            dismissNotice();
            env.dialogs().showError("Cannot export", message(e) + "\n\nNo file was written.");
        });
    }

    /** File ▸ Save: to the project's file, or asks for one. */
    public void save() {
        save(() -> { });
    }

    private void save(Runnable then) {
        if (projectFile.get() == null) {
            saveAs(then);
        } else {
            saveTo(projectFile.get(), then);
        }
    }

    /** File ▸ Save As. */
    public void saveAs() {
        saveAs(() -> { });
    }

    private void saveAs(Runnable then) {
        Path current = projectFile.get();
        String suggested = (current != null ? current.getFileName().toString()
                : storyboard().title().replaceAll("[^A-Za-z0-9 _-]", "").trim() + ProjectFiles.EXTENSION);
        env.dialogs().chooseProjectToSave(current == null ? null : current.toAbsolutePath().getParent(), suggested)
                .map(p -> p.getFileName().toString().endsWith(ProjectFiles.EXTENSION) ? p
                        : p.resolveSibling(p.getFileName() + ProjectFiles.EXTENSION))
                .ifPresent(p -> saveTo(p, then));
    }

    /**
     * Saves in the background: the takes' media is copied first when the project moves to a new place, then
     * the project file is replaced atomically. A failure shows an error and leaves the old file as it was.
     */
    public void saveTo(Path file, Runnable then) {
        Storyboard snapshot = storyboard();
        Path fromMedia = mediaDir.get();
        Path toMedia = MediaPaths.mediaDirFor(file);
        Object savePoint = stack.savePoint();
        int epoch = projectEpoch;
        busy.set(true);
        env.background().run("save " + file, () -> {
            if (!fromMedia.toAbsolutePath().normalize().equals(toMedia.toAbsolutePath().normalize())) {
                for (Shot shot : snapshot.shots()) {
                    for (Take take : shot.takes()) {
                        if (!take.mediaFile().isEmpty()) {
                            MediaStore.copyTake(MediaPaths.resolve(fromMedia, take.mediaFile()),
                                    MediaPaths.resolve(toMedia, take.mediaFile()));
                        }
                    }
                }
            }
            projectFiles.write(snapshot, file);
            if (env.recovery() != null) {
                env.recovery().discardOwn();
            }
            if (env.preferences() != null) {
                env.preferences().addRecent(file);
            }
            return file;
        }, saved -> {
            busy.set(false);
            if (epoch != projectEpoch) {
                return;
            }
            projectFile.set(saved);
            mediaDir.set(toMedia);
            stack.markSaved(savePoint);
            autosavedRevision = stack.revisionProperty().get();
            showNotice(Notice.info("Saved " + saved.getFileName()));
            then.run();
        }, e -> {
            busy.set(false);
            env.dialogs().showError("Cannot save", message(e) + "\n\nThe previous file was left as it was.");
        });
    }

    /**
     * Writes an autosave for crash recovery when something changed since the last one (called by a timer).
     *
     * @return true when an autosave was queued
     */
    public boolean autosave() {
        RecoveryStore recovery = env.recovery();
        int revision = stack.revisionProperty().get();
        if (recovery == null || !stack.isDirty() || revision == autosavedRevision) {
            return false;
        }
        autosavedRevision = revision;
        Storyboard snapshot = storyboard();
        Path original = projectFile.get();
        Path media = mediaDir.get();
        env.background().run("autosave", () -> recovery.autosave(snapshot, original, media));
        return true;
    }

    /** At start-up: offers autosaves left by an editor that did not exit cleanly. */
    public void offerRecovery() {
        RecoveryStore recovery = env.recovery();
        if (recovery == null) {
            return;
        }
        env.background().run("find autosaves", recovery::findRecoverable, found -> {
            if (found.isEmpty()) {
                return;
            }
            RecoveryStore.Recoverable r = found.get(0);
            String when = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ROOT).withZone(ZoneId.systemDefault())
                    .format(r.savedAt());
            showNotice(Notice.warning("Storyboard did not close properly. An autosave of “" + r.storyboard().title()
                            + "” from " + when + " can be recovered.",
                    Choice.primary("Recover", () -> recover(r)),
                    Choice.of("Discard", () -> {
                        dismissNotice();
                        env.background().run("discard autosave", () -> RecoveryStore.discard(r));
                    })));
        }, e -> { });
    }

    /** Opens an autosave as unsaved changes to its original project. */
    public void recover(RecoveryStore.Recoverable r) {
        whenChangesHandled("Recover autosave", () -> {
            replaceProject(r.storyboard(), r.originalProject(), r.mediaDir());
            stack.markUnsaved();
            autosavedRevision = -1;
            showNotice(Notice.info("Recovered “" + r.storyboard().title() + "”. Save to keep it."));
            env.background().run("discard recovered autosave", () -> RecoveryStore.discard(r));
        });
    }

    /** The window is closing: asks about unsaved changes, then runs {@code close}. */
    public void requestClose(Runnable close) {
        List<JobEntry> running = generation.activeJobs();
        if (!running.isEmpty()) {
            String what = running.size() == 1 ? "“" + running.get(0).title() + "” is" : running.size() + " jobs are";
            env.dialogs().ask("Quit while generating", what + " still generating. Quitting cancels "
                            + (running.size() == 1 ? "it" : "them") + " and drops the frames made so far.",
                    List.of(Choice.primary("Quit", () -> closeAfterChangesHandled(close)), Choice.cancel("Keep generating")));
            return;
        }
        closeAfterChangesHandled(close);
    }

    private void closeAfterChangesHandled(Runnable close) {
        whenChangesHandled("Close", () -> {
            generation.cancelAll();
            playback.pause();
            if (env.recovery() != null) {
                RecoveryStore recovery = env.recovery();
                env.background().run("discard autosave", () -> {
                    recovery.discardOwn();
                    recovery.discardOwnMedia(); // untitled-<session>.media: saved projects have their own copies
                });
            }
            close.run();
        });
    }

    // =============================================================================================
    // Internals
    // =============================================================================================

    private void storyboardChanged(Storyboard now) {
        Set<String> ids = new LinkedHashSet<>(now.shots().stream().map(Shot::id).toList());
        selection.retainAll(ids);
        refreshStale();
        if (primaryId.get() != null && !ids.contains(primaryId.get())) {
            primaryId.set(selection.isEmpty() ? null : selection.iterator().next());
        }
        refreshSelectedShot();
        int total = now.totalFrames();
        if (playhead.get() >= total) {
            playhead.set(Math.max(0, total - 1));
        }
        showEmptyState.set(now.shots().isEmpty());
    }

    private void refreshSelectedShot() {
        String id = primaryId.get();
        selectedShot.set(id == null ? null : storyboard().shot(id).orElse(null));
    }

    /** "Shot 2" for the current order. */
    public String label(String shotId) {
        int i = Shots.indexOf(storyboard(), shotId);
        return i < 0 ? "A deleted shot" : "Shot " + (i + 1);
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
