package dev.storyboard.ui.project;

import dev.storyboard.domain.Shot;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import dev.storyboard.domain.export.EditorialRate;
import dev.storyboard.domain.export.SceneExporter;
import dev.storyboard.domain.io.AtomicFiles;
import dev.storyboard.domain.project.MediaPaths;
import dev.storyboard.domain.project.MediaStore;
import dev.storyboard.domain.project.OutputGuard;
import dev.storyboard.domain.project.ProjectFiles;
import dev.storyboard.domain.project.ProjectLoader;
import dev.storyboard.ui.command.CommandStack;
import dev.storyboard.ui.command.StoryboardDocument;
import dev.storyboard.ui.concurrent.Background;
import dev.storyboard.ui.dialog.EditorDialogs;
import dev.storyboard.ui.dialog.EditorDialogs.Choice;
import dev.storyboard.ui.generation.GenerationModel;
import dev.storyboard.ui.generation.JobEntry;
import dev.storyboard.ui.notice.Notice;
import dev.storyboard.ui.notice.NoticeBoard;
import dev.storyboard.ui.selection.SelectionModel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

/**
 * The open project: its file and media folder; open, save, Save As, autosave, crash recovery, export and close.
 * Disk work runs on the {@link Background}; results come back on the UI thread. Opening another project resets
 * the generation and selection models and clears the undo history. UI thread only.
 */
public final class ProjectSession {
    private final StoryboardDocument document;
    private final CommandStack stack;
    private final NoticeBoard notices;
    private final GenerationModel generation;
    private final SelectionModel selection;
    private final Background background;
    private final EditorDialogs dialogs;
    private final EditorPreferences preferences;
    private final RecoveryStore recovery;
    private final Supplier<Storyboard> sample;
    private final SceneExporter exporter;
    private final ReadOnlyObjectWrapper<Path> projectFile = new ReadOnlyObjectWrapper<>(this, "projectFile");
    private final ReadOnlyObjectWrapper<Path> mediaDir = new ReadOnlyObjectWrapper<>(this, "mediaDir");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    /** The frame rate of the last MP4 export in this window (null: none yet, the chooser offers native). */
    private EditorialRate exportRate;
    /** Bumped whenever a different project is loaded: late results of the old one are dropped. */
    private final ReadOnlyIntegerWrapper epoch = new ReadOnlyIntegerWrapper(this, "projectEpoch");
    private int autosavedRevision = -1;
    private final ProjectLoader loader = new ProjectLoader();
    private final ProjectFiles projectFiles = new ProjectFiles();
    private final Path fallbackScratch = Path.of(System.getProperty("java.io.tmpdir"),
            "storyboard-untitled-" + UUID.randomUUID().toString().substring(0, 8) + MediaPaths.MEDIA_SUFFIX);

    /**
     * @param preferences recent files, or null to remember none
     * @param recovery    autosave / crash recovery folder, or null for none
     * @param sample      the bundled sample storyboard, or null
     * @param exporter    writes the scene as MP4, or null when export is unavailable
     */
    public ProjectSession(StoryboardDocument document, CommandStack stack, NoticeBoard notices, GenerationModel generation,
                          SelectionModel selection, Background background, EditorDialogs dialogs,
                          EditorPreferences preferences, RecoveryStore recovery, Supplier<Storyboard> sample,
                          SceneExporter exporter) {
        this.document = Objects.requireNonNull(document, "document");
        this.stack = Objects.requireNonNull(stack, "stack");
        this.notices = Objects.requireNonNull(notices, "notices");
        this.generation = Objects.requireNonNull(generation, "generation");
        this.selection = Objects.requireNonNull(selection, "selection");
        this.background = Objects.requireNonNull(background, "background");
        this.dialogs = Objects.requireNonNull(dialogs, "dialogs");
        this.preferences = preferences;
        this.recovery = recovery;
        this.sample = sample;
        this.exporter = exporter;
    }

    /** The project {@code file} (null: untitled) is open as the document: its media folder and frames are found. */
    public void start(Path file) {
        projectFile.set(file);
        mediaDir.set(file == null ? scratchMediaDir() : MediaPaths.mediaDirFor(file));
        if (file != null) {
            loadMedia(document.get(), mediaDir.get(), epoch.get());
        }
    }

    private Storyboard storyboard() {
        return document.get();
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

    /** Counts the projects opened in this window after the first (new, open, sample, recover). */
    public ReadOnlyIntegerProperty projectEpochProperty() {
        return epoch.getReadOnlyProperty();
    }

    /** True while a project is being opened or saved. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public boolean hasSample() {
        return sample != null;
    }

    /** "title — file" for the window title, with a dot when there are unsaved changes. */
    public StringBinding windowTitle() {
        return Bindings.createStringBinding(() -> {
            Path file = projectFile.get();
            String name = file == null ? "untitled" : file.getFileName().toString();
            return (stack.isDirty() ? "• " : "") + storyboard().title() + " — " + name + " — Storyboard";
        }, document.storyboardProperty(), projectFile, stack.dirtyProperty());
    }

    private Path scratchMediaDir() {
        return recovery != null ? recovery.scratchMediaDir() : fallbackScratch;
    }

    // ---- open -----------------------------------------------------------------------------------

    /** Asks to save unsaved changes first, then runs {@code next} (unless cancelled). */
    public void whenChangesHandled(String title, Runnable next) {
        if (!stack.isDirty()) {
            next.run();
            return;
        }
        dialogs.ask(title, "Save the changes to “" + storyboard().title() + "” first?", List.of(
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
        if (sample == null) {
            return;
        }
        whenChangesHandled("Open sample", () -> {
            try {
                replaceProject(sample.get(), null, null);
            } catch (RuntimeException e) {
                dialogs.showError("Cannot open the sample", NoticeBoard.message(e));
            }
        });
    }

    /** File ▸ Open: asks for a file, then opens it. */
    public void open() {
        whenChangesHandled("Open project", () -> {
            Path initial = projectFile.get() == null ? null : projectFile.get().toAbsolutePath().getParent();
            dialogs.chooseProjectToOpen(initial).ifPresent(this::openFile);
        });
    }

    /** Opens {@code file} in the background; a damaged or newer file shows an error and changes nothing. */
    public void openFile(Path file) {
        busy.set(true);
        background.run("open " + file, () -> {
            ProjectLoader.Loaded loaded = loader.open(file); // also removes temporaries of killed saves
            if (preferences != null) {
                preferences.addRecent(loaded.file()); // java.util.prefs writes to disk: not on the UI thread
            }
            return loaded;
        }, loaded -> {
            busy.set(false);
            replaceProject(loaded.storyboard(), loaded.file(), loaded.mediaDir());
        }, e -> {
            busy.set(false);
            dialogs.showError("Cannot open project", NoticeBoard.message(e));
        });
    }

    /** Opens a recent file after asking about unsaved changes. */
    public void openRecent(Path file) {
        whenChangesHandled("Open project", () -> openFile(file));
    }

    public List<Path> recentFiles() {
        return preferences == null ? List.of() : preferences.recentFiles();
    }

    private void replaceProject(Storyboard sb, Path file, Path media) {
        generation.reset(sb);
        epoch.set(epoch.get() + 1);
        selection.reset();
        notices.dismiss();
        document.replace(sb, stack);
        projectFile.set(file);
        mediaDir.set(media != null ? media : file != null ? MediaPaths.mediaDirFor(file) : scratchMediaDir());
        selection.playheadProperty().set(0);
        autosavedRevision = stack.revisionProperty().get();
        if (!sb.shots().isEmpty()) {
            selection.select(sb.shots().get(0).id());
        }
        loadMedia(sb, mediaDir.get(), epoch.get());
    }

    /** Reads the takes' frames back into memory in the background, active takes first. */
    private void loadMedia(Storyboard sb, Path dir, int loadEpoch) {
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
            background.run("read " + take.id(), () -> MediaStore.readFrames(takeDir, take.generatedFrames()),
                    list -> {
                        if (loadEpoch == epoch.get() && !list.isEmpty()) {
                            generation.frames().put(take.id(), 0, list);
                        }
                    }, e -> { });
        }
    }

    // ---- export ---------------------------------------------------------------------------------

    /** True when every shot has an active take with frames, so the scene can be exported. */
    public boolean canExport() {
        return exporter != null && exportProblem().isEmpty();
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

    /**
     * File ▸ Export MP4: asks for a file, then encodes the active takes in the background. Shots without a
     * generated take are named in an error instead.
     */
    public void exportMp4() {
        if (exporter == null) {
            dialogs.showError("Cannot export", "This build has no video exporter.");
            return;
        }
        String problem = exportProblem();
        if (!problem.isEmpty()) {
            dialogs.showError("Cannot export yet", problem);
            return;
        }
        int nativeFps = storyboard().fps();
        EditorialRate preselected = exportRate != null ? exportRate : EditorialRate.of(nativeFps);
        Optional<EditorialRate> rate = dialogs.chooseExportRate(nativeFps, preselected);
        if (rate.isEmpty()) {
            return;
        }
        exportRate = rate.get();
        Path current = projectFile.get();
        String suggested = storyboard().title().replaceAll("[^A-Za-z0-9 _-]", "").trim();
        dialogs.chooseExportTarget(current == null ? null : current.toAbsolutePath().getParent(),
                        (suggested.isEmpty() ? "scene" : suggested) + ".mp4")
                .map(p -> p.getFileName().toString().toLowerCase().endsWith(".mp4") ? p : p.resolveSibling(p.getFileName() + ".mp4"))
                .ifPresent(p -> exportMp4To(p, rate.get()));
    }

    /**
     * Encodes the scene to {@code target} at {@code rate} (frames held to reach it) in the background; the
     * result is a notice or an error dialog.
     */
    public void exportMp4To(Path target, EditorialRate rate) {
        Storyboard snapshot = storyboard();
        Path media = mediaDir.get();
        busy.set(true);
        notices.show(Notice.info("Exporting " + target.getFileName() + "…"));
        background.run("export " + target, () -> {
            exporter.exportMp4(snapshot, media, target, rate, (done, total) -> { }, () -> false);
            return target;
        }, written -> {
            busy.set(false);
            boolean nativeRate = rate.equals(EditorialRate.of(snapshot.fps()));
            notices.show(Notice.info("Exported " + written.getFileName() + " (" + snapshot.totalFrames() + " frames"
                    + (nativeRate ? "" : ", held to " + rate) + ")"));
        }, e -> {
            busy.set(false);
            notices.dismiss();
            dialogs.showError("Cannot export", NoticeBoard.message(e) + "\n\nNo file was written.");
        });
    }

    // ---- save -----------------------------------------------------------------------------------

    /** File ▸ Save: to the project's file, or asks for one; then runs {@code then}. */
    public void save(Runnable then) {
        if (projectFile.get() == null) {
            saveAs(then);
        } else {
            saveTo(projectFile.get(), then);
        }
    }

    /** File ▸ Save As; then runs {@code then}. */
    public void saveAs(Runnable then) {
        Path current = projectFile.get();
        String suggested = (current != null ? current.getFileName().toString()
                : storyboard().title().replaceAll("[^A-Za-z0-9 _-]", "").trim() + ProjectFiles.EXTENSION);
        dialogs.chooseProjectToSave(current == null ? null : current.toAbsolutePath().getParent(), suggested)
                .map(p -> p.getFileName().toString().endsWith(ProjectFiles.EXTENSION) ? p
                        : p.resolveSibling(p.getFileName() + ProjectFiles.EXTENSION))
                .ifPresent(p -> saveTo(p, then));
    }

    /**
     * Saves in the background: when the project moves to a new place, the media of every take the project or its
     * undo/redo history refers to is copied first (so an undo or a redo after Save As still finds its frames),
     * then the project file is replaced atomically. A new place is checked first ({@link OutputGuard#checkProjectFile});
     * when it held another project, that project's own take folders go once the file is replaced
     * ({@link ReplacedProject}). A failure shows an error and leaves the old file as it was.
     */
    public void saveTo(Path file, Runnable then) {
        Storyboard snapshot = storyboard();
        Path fromMedia = mediaDir.get();
        Path toMedia = MediaPaths.mediaDirFor(file);
        List<String> takeFolders = takeFoldersOf(snapshot, stack.rememberedStates());
        Object savePoint = stack.savePoint();
        int savedEpoch = epoch.get();
        Path current = projectFile.get();
        busy.set(true);
        background.run("save " + file, () -> {
            boolean saveAs = current == null
                    || !current.toAbsolutePath().normalize().equals(file.toAbsolutePath().normalize());
            if (saveAs) {
                // Save As follows the output rule: never into the open project's media folder, never over a
                // folder or a file of another kind, never into a media folder that belongs to no project.
                OutputGuard.none().protectingFolder(fromMedia).checkProjectFile(file);
            }
            ReplacedProject replaced = saveAs ? ReplacedProject.at(file) : ReplacedProject.NONE;
            boolean newMedia = !Files.exists(toMedia, LinkOption.NOFOLLOW_LINKS);
            try {
                if (!fromMedia.toAbsolutePath().normalize().equals(toMedia.toAbsolutePath().normalize())) {
                    for (String folder : takeFolders) { // a folder that was never written (cancelled job) is skipped
                        MediaStore.copyTake(MediaPaths.resolve(fromMedia, folder), MediaPaths.resolve(toMedia, folder));
                    }
                }
                projectFiles.write(snapshot, file);
            } catch (Exception e) {
                if (newMedia) { // a failed Save As leaves no media folder of a project that was never written
                    AtomicFiles.deleteQuietly(toMedia);
                }
                throw e;
            }
            replaced.removeTakesNotIn(takeFolders); // the takes of a project that no file refers to any more
            if (recovery != null) {
                recovery.discardOwn();
            }
            if (preferences != null) {
                preferences.addRecent(file);
            }
            return file;
        }, saved -> {
            busy.set(false);
            if (savedEpoch != epoch.get()) {
                return;
            }
            projectFile.set(saved);
            mediaDir.set(toMedia);
            stack.markSaved(savePoint);
            autosavedRevision = stack.revisionProperty().get();
            notices.show(Notice.info("Saved " + saved.getFileName()));
            then.run();
        }, e -> {
            busy.set(false);
            dialogs.showError("Cannot save", NoticeBoard.message(e) + "\n\nThe previous file was left as it was.");
        });
    }

    /** The take folders the saved storyboard and every state of its undo/redo history refer to, each once. */
    private static List<String> takeFoldersOf(Storyboard saved, List<Storyboard> history) {
        Set<String> folders = new LinkedHashSet<>();
        Set<Storyboard> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Storyboard> all = new ArrayList<>();
        all.add(saved);
        all.addAll(history);
        for (Storyboard sb : all) {
            if (seen.add(sb)) {
                sb.shots().forEach(shot -> shot.takes().stream().map(Take::mediaFile).filter(m -> !m.isEmpty())
                        .forEach(folders::add));
            }
        }
        return List.copyOf(folders);
    }

    // ---- autosave, recovery, close --------------------------------------------------------------

    /**
     * Writes an autosave for crash recovery when something changed since the last one (called by a timer).
     *
     * @return true when an autosave was queued
     */
    public boolean autosave() {
        int revision = stack.revisionProperty().get();
        if (recovery == null || !stack.isDirty() || revision == autosavedRevision) {
            return false;
        }
        autosavedRevision = revision;
        Storyboard snapshot = storyboard();
        Path original = projectFile.get();
        Path media = mediaDir.get();
        RecoveryStore store = recovery;
        background.run("autosave", () -> store.autosave(snapshot, original, media));
        return true;
    }

    /** At start-up: offers autosaves left by an editor that did not exit cleanly. */
    public void offerRecovery() {
        if (recovery == null) {
            return;
        }
        background.run("find autosaves", recovery::findRecoverable, found -> {
            if (found.isEmpty()) {
                return;
            }
            RecoveryStore.Recoverable r = found.get(0);
            String when = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ROOT).withZone(ZoneId.systemDefault())
                    .format(r.savedAt());
            notices.show(Notice.warning("Storyboard did not close properly. An autosave of “" + r.storyboard().title()
                            + "” from " + when + " can be recovered.",
                    Choice.primary("Recover", () -> recover(r)),
                    Choice.of("Discard", () -> {
                        notices.dismiss();
                        background.run("discard autosave", () -> RecoveryStore.discard(r));
                    })));
        }, e -> { });
    }

    /** Opens an autosave as unsaved changes to its original project. */
    public void recover(RecoveryStore.Recoverable r) {
        whenChangesHandled("Recover autosave", () -> {
            replaceProject(r.storyboard(), r.originalProject(), r.mediaDir());
            stack.markUnsaved();
            autosavedRevision = -1;
            notices.show(Notice.info("Recovered “" + r.storyboard().title() + "”. Save to keep it."));
            background.run("discard recovered autosave", () -> RecoveryStore.discard(r));
        });
    }

    /** The window is closing: asks about running jobs and unsaved changes, then runs {@code close}. */
    public void requestClose(Runnable close) {
        List<JobEntry> running = generation.controller().activeJobs();
        if (!running.isEmpty()) {
            String what = running.size() == 1 ? "“" + running.get(0).title() + "” is" : running.size() + " jobs are";
            dialogs.ask("Quit while generating", what + " still generating. Quitting cancels "
                            + (running.size() == 1 ? "it" : "them") + " and drops the frames made so far.",
                    List.of(Choice.primary("Quit", () -> closeAfterChangesHandled(close)), Choice.cancel("Keep generating")));
            return;
        }
        closeAfterChangesHandled(close);
    }

    private void closeAfterChangesHandled(Runnable close) {
        whenChangesHandled("Close", () -> {
            generation.controller().cancelAll();
            selection.playback().pause();
            if (recovery != null) {
                RecoveryStore store = recovery;
                background.run("discard autosave", () -> {
                    store.discardOwn();
                    store.discardOwnMedia(); // untitled-<session>.media: saved projects have their own copies
                });
            }
            close.run();
        });
    }
}
