package dev.storyboard.ui;

import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.export.EditorialRate;
import dev.storyboard.domain.generation.EngineStatus;
import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.domain.vocabulary.ModelVocabulary;
import dev.storyboard.ui.command.Command;
import dev.storyboard.ui.command.CommandStack;
import dev.storyboard.ui.command.Shots;
import dev.storyboard.ui.command.StoryboardDocument;
import dev.storyboard.ui.edit.EditModel;
import dev.storyboard.ui.generation.FrameCache;
import dev.storyboard.ui.generation.GenerationController;
import dev.storyboard.ui.generation.GenerationModel;
import dev.storyboard.ui.generation.JobEntry;
import dev.storyboard.ui.generation.QualityMarks;
import dev.storyboard.ui.notice.Notice;
import dev.storyboard.ui.notice.NoticeBoard;
import dev.storyboard.ui.playback.Playback;
import dev.storyboard.ui.project.ProjectSession;
import dev.storyboard.ui.project.RecoveryStore;
import dev.storyboard.ui.selection.SelectionModel;
import dev.storyboard.ui.timeline.TimelineLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.ObservableList;
import javafx.collections.ObservableSet;

/**
 * The editor window's view model: a thin façade over the feature models, each in its own package, that the
 * view and the tests use through one object. It builds them from the {@link EditorEnvironment}, wires them
 * together and forwards to them; the behaviour lives in the feature models:
 * <ul>
 *   <li>{@link SelectionModel} (ui.selection): selection, playhead and playback, zoom;</li>
 *   <li>{@link EditModel} (ui.edit): edits that need no generation, undo and redo;</li>
 *   <li>{@link GenerationModel} (ui.generation): submit, extend, chunks, staleness, engine status;</li>
 *   <li>{@link ProjectSession} (ui.project): open, save, autosave, recovery, export, close;</li>
 *   <li>{@link NoticeBoard} (ui.notice): the notice bar.</li>
 * </ul>
 * Every change of the storyboard goes through a {@link Command} on the one {@link CommandStack}. UI thread only.
 */
public final class EditorViewModel {
    public static final double MIN_ZOOM = SelectionModel.MIN_ZOOM;
    public static final double MAX_ZOOM = SelectionModel.MAX_ZOOM;
    public static final double DEFAULT_ZOOM = SelectionModel.DEFAULT_ZOOM;
    public static final int DEFAULT_SHOT_SECONDS = EditModel.DEFAULT_SHOT_SECONDS;
    /** Longest shot the editor offers, in seconds ({@link Shots#MAX_SHOT_SECONDS}). */
    public static final int MAX_SHOT_SECONDS = Shots.MAX_SHOT_SECONDS;

    private final EditorEnvironment env;
    private final StoryboardDocument document;
    private final CommandStack stack = new CommandStack();
    private final NoticeBoard notices = new NoticeBoard();
    private final SelectionModel selection;
    private final EditModel edits;
    private final GenerationModel generation;
    private final ProjectSession session;
    private final BooleanProperty showEmptyState = new SimpleBooleanProperty(this, "showEmptyState");

    public EditorViewModel(EditorEnvironment env, Storyboard initial, Path projectFile) {
        this.env = Objects.requireNonNull(env, "environment");
        this.document = new StoryboardDocument(Objects.requireNonNull(initial, "storyboard"));
        // the live preview of a running job gives way when the creator moves the playhead
        this.selection = new SelectionModel(document::get, () -> generationModel().endLivePreview());
        this.edits = new EditModel(document, stack, notices, selection, env.seeds());
        this.generation = new GenerationModel(document, stack, notices, env.service(), env.ui(), env.background(),
                env.chunkCheck(), env.seeds(), env.initialStatus(), this::mediaDir, selection.selectedShotProperty());
        this.session = new ProjectSession(document, stack, notices, generation, selection, env.background(), env.dialogs(),
                env.preferences(), env.recovery(), env.sample(), env.exporter());

        document.storyboardProperty().addListener((obs, old, now) -> storyboardChanged(now));
        showEmptyState.set(initial.shots().isEmpty());
        session.start(projectFile);
        if (!initial.shots().isEmpty()) {
            select(initial.shots().get(0).id());
        }
    }

    private Path mediaDir() {
        return session.mediaDirProperty().get();
    }

    /** Staleness first (views of the selection read it), then the selection, then the empty state. */
    private void storyboardChanged(Storyboard now) {
        generation.refreshStale();
        selection.storyboardChanged(now);
        showEmptyState.set(now.shots().isEmpty());
    }

    // =============================================================================================
    // The feature models (the views bind to these)
    // =============================================================================================

    public SelectionModel selectionModel() {
        return selection;
    }

    public EditModel edits() {
        return edits;
    }

    public GenerationModel generationModel() {
        return generation;
    }

    public ProjectSession session() {
        return session;
    }

    public NoticeBoard notices() {
        return notices;
    }

    public EditorEnvironment environment() {
        return env;
    }

    // =============================================================================================
    // Document, history, notice
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

    public ReadOnlyObjectProperty<Notice> noticeProperty() {
        return notices.noticeProperty();
    }

    public void showNotice(Notice n) {
        notices.show(n);
    }

    public void dismissNotice() {
        notices.dismiss();
    }

    /** True while the storyboard has no shots: the view shows the empty-state screen. */
    public BooleanProperty showEmptyStateProperty() {
        return showEmptyState;
    }

    /** "Shot 2" for the current order. */
    public String label(String shotId) {
        return Shots.label(storyboard(), shotId);
    }

    /** The longest shot the editor offers at the scene's frame rate ({@link #MAX_SHOT_SECONDS}). */
    public int maxShotFrames() {
        return Shots.maxShotFrames(storyboard());
    }

    // =============================================================================================
    // Selection, playhead, zoom (SelectionModel)
    // =============================================================================================

    public ObservableSet<String> selection() {
        return selection.selection();
    }

    public ReadOnlyObjectProperty<Shot> selectedShotProperty() {
        return selection.selectedShotProperty();
    }

    public Shot selectedShot() {
        return selection.selectedShot();
    }

    public List<String> selectedIdsInOrder() {
        return selection.selectedIdsInOrder();
    }

    public void select(String shotId) {
        selection.select(shotId);
    }

    public void toggleSelection(String shotId) {
        selection.toggleSelection(shotId);
    }

    public void extendSelection(String shotId) {
        selection.extendSelection(shotId);
    }

    public void selectAll() {
        selection.selectAll();
    }

    public void clearSelection() {
        selection.clearSelection();
    }

    public IntegerProperty playheadProperty() {
        return selection.playheadProperty();
    }

    public void movePlayhead(int frame, boolean snapToSeconds) {
        selection.movePlayhead(frame, snapToSeconds);
    }

    public void stepPlayhead(int delta, boolean seconds) {
        selection.stepPlayhead(delta, seconds);
    }

    public void playheadToStart() {
        selection.playheadToStart();
    }

    public void playheadToEnd() {
        selection.playheadToEnd();
    }

    public Playback playback() {
        return selection.playback();
    }

    public void togglePlay() {
        selection.togglePlay();
    }

    public DoubleProperty pixelsPerFrameProperty() {
        return selection.pixelsPerFrameProperty();
    }

    public void zoomIn() {
        selection.zoomIn();
    }

    public void zoomOut() {
        selection.zoomOut();
    }

    public void zoomToFit(double widthPixels) {
        selection.zoomToFit(widthPixels);
    }

    // =============================================================================================
    // Editing (EditModel; deleting also cancels the shots' jobs)
    // =============================================================================================

    public boolean execute(Command command) {
        return edits.execute(command);
    }

    public void undo() {
        edits.undo();
    }

    public void redo() {
        edits.redo();
    }

    public String addShot() {
        return edits.addShot("");
    }

    public String addShot(String prompt) {
        return edits.addShot(prompt);
    }

    public String insertShotBeforeSelection() {
        return edits.insertShotBeforeSelection();
    }

    public String insertShotAfterSelection() {
        return edits.insertShotAfterSelection();
    }

    public List<String> duplicateSelection() {
        return edits.duplicateSelection();
    }

    /** Delete: removes the selected shots (one undo step), cancels their jobs and selects the shot in their place. */
    public void deleteSelection() {
        List<String> ids = selectedIdsInOrder();
        if (ids.isEmpty()) {
            return;
        }
        int firstIndex = Shots.indexOf(storyboard(), ids.get(0));
        if (edits.deleteShots(ids)) {
            ids.forEach(generation::cancelShot);
            List<Shot> shots = storyboard().shots();
            if (!shots.isEmpty()) {
                select(shots.get(Math.min(firstIndex, shots.size() - 1)).id());
            }
        }
    }

    public void moveShots(List<String> shotIds, int targetIndex) {
        edits.moveShots(shotIds, targetIndex);
    }

    public void moveSelectionBy(int delta) {
        edits.moveSelectionBy(delta);
    }

    public void setPrompt(String shotId, String prompt) {
        edits.setPrompt(shotId, prompt);
    }

    public void setCamera(String shotId, CameraMove camera) {
        edits.setCamera(shotId, camera);
    }

    public void setShotSize(String shotId, ShotSize size) {
        edits.setShotSize(shotId, size);
    }

    public void setSeed(String shotId, long seed) {
        edits.setSeed(shotId, seed);
    }

    public void rerollSeed(String shotId) {
        edits.rerollSeed(shotId);
    }

    public void setGuidance(String shotId, double guidance) {
        edits.setGuidance(shotId, guidance);
    }

    public void setScenePrompt(String scenePrompt) {
        edits.setScenePrompt(scenePrompt);
    }

    public void setTitle(String title) {
        edits.setTitle(title);
    }

    public void selectTake(String shotId, String takeId) {
        edits.selectTake(shotId, takeId);
    }

    // =============================================================================================
    // Generation (GenerationModel)
    // =============================================================================================

    public FrameCache frames() {
        return generation.frames();
    }

    public QualityMarks qualityMarks() {
        return generation.qualityMarks();
    }

    public GenerationController generationController() {
        return generation.controller();
    }

    public ObservableList<JobEntry> jobs() {
        return generation.jobs();
    }

    public ReadOnlyObjectProperty<EngineStatus> engineStatusProperty() {
        return generation.engineStatusProperty();
    }

    public void updateEngineStatus(EngineStatus status) {
        generation.updateEngineStatus(status);
    }

    public ReadOnlyObjectProperty<ModelVocabulary> modelVocabularyProperty() {
        return generation.modelVocabularyProperty();
    }

    public BooleanBinding canGenerateBinding() {
        return generation.canGenerateBinding();
    }

    public ObservableSet<String> staleShots() {
        return generation.staleShots();
    }

    public ReadOnlyObjectProperty<VideoFrame> liveFrameProperty() {
        return generation.liveFrameProperty();
    }

    public ReadOnlyStringProperty liveCaptionProperty() {
        return generation.liveCaptionProperty();
    }

    public boolean isSeedLocked(String shotId) {
        return generation.isSeedLocked(shotId);
    }

    public void setSeedLocked(String shotId, boolean locked) {
        generation.setSeedLocked(shotId, locked);
    }

    public Optional<JobEntry> resizeShot(String shotId, int requested) {
        return generation.resizeShot(shotId, requested);
    }

    public Optional<JobEntry> extendFromTake(String shotId, String takeId, int frames) {
        return generation.extendFromTake(shotId, takeId, frames);
    }

    public void deleteTake(String shotId, String takeId) {
        generation.deleteTake(shotId, takeId);
    }

    /** Generates a new take of each selected shot, in timeline order. */
    public List<JobEntry> generateSelection() {
        return generation.generate(selectedIdsInOrder());
    }

    public List<JobEntry> generate(List<String> shotIds) {
        return generation.generate(shotIds);
    }

    public List<JobEntry> generateMissing() {
        return generation.generateMissing();
    }

    public List<JobEntry> regenerateStale() {
        return generation.regenerateStale();
    }

    public void keepAsTheyAre(List<String> shotIds) {
        generation.keepAsTheyAre(shotIds);
    }

    public void cancelJob(JobEntry job) {
        generation.cancelJob(job);
    }

    public void cancelShot(String shotId) {
        generation.cancelShot(shotId);
    }

    public void cancelAll() {
        generation.cancelAll();
    }

    // =============================================================================================
    // Project (ProjectSession)
    // =============================================================================================

    public ReadOnlyObjectProperty<Path> projectFileProperty() {
        return session.projectFileProperty();
    }

    public Path projectFile() {
        return session.projectFile();
    }

    public ReadOnlyObjectProperty<Path> mediaDirProperty() {
        return session.mediaDirProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return session.busyProperty();
    }

    public boolean hasSample() {
        return session.hasSample();
    }

    public StringBinding windowTitle() {
        return session.windowTitle();
    }

    public void whenChangesHandled(String title, Runnable next) {
        session.whenChangesHandled(title, next);
    }

    public void newProject() {
        session.newProject();
    }

    public void openSample() {
        session.openSample();
    }

    public void open() {
        session.open();
    }

    public void openFile(Path file) {
        session.openFile(file);
    }

    public void openRecent(Path file) {
        session.openRecent(file);
    }

    public List<Path> recentFiles() {
        return session.recentFiles();
    }

    public boolean canExport() {
        return session.canExport();
    }

    public List<Integer> shotsWithoutFrames() {
        return session.shotsWithoutFrames();
    }

    public String exportProblem() {
        return session.exportProblem();
    }

    public void exportMp4() {
        session.exportMp4();
    }

    /** Encodes the scene to {@code target} at its native rate. */
    public void exportMp4To(Path target) {
        session.exportMp4To(target, EditorialRate.of(storyboard().fps()));
    }

    public void exportMp4To(Path target, EditorialRate rate) {
        session.exportMp4To(target, rate);
    }

    public void save() {
        session.save(() -> { });
    }

    public void saveAs() {
        session.saveAs(() -> { });
    }

    public void saveTo(Path file, Runnable then) {
        session.saveTo(file, then);
    }

    public boolean autosave() {
        return session.autosave();
    }

    public void offerRecovery() {
        session.offerRecovery();
    }

    public void recover(RecoveryStore.Recoverable r) {
        session.recover(r);
    }

    public void requestClose(Runnable close) {
        session.requestClose(close);
    }
}
