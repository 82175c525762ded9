package dev.storyboard.ui;

import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.export.EditorialRate;
import dev.storyboard.domain.export.SceneExporter;
import dev.storyboard.domain.generation.EngineStatus;
import dev.storyboard.domain.generation.GenerationService;
import dev.storyboard.domain.quality.ChunkCheck;
import dev.storyboard.ui.concurrent.Background;
import dev.storyboard.ui.concurrent.UiThread;
import dev.storyboard.ui.dialog.EditorDialogs;
import dev.storyboard.ui.project.EditorPreferences;
import dev.storyboard.ui.project.RecoveryStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Everything the editor needs from outside, passed in by the composition root (app) or by a test.
 *
 * @param service     the generation service, or null when there is none (generation stays disabled)
 * @param ui          the UI thread (JavaFX in the app, the calling thread in plain tests)
 * @param background  where disk work runs
 * @param dialogs     questions and errors for the user
 * @param preferences recent files and window state, or null to remember nothing
 * @param recovery    autosave / crash recovery folder, or null for none
 * @param sample      the bundled sample storyboard, or null when there is none
 * @param seeds       random seeds for new shots and rerolls
 * @param exporter    writes the scene as MP4, or null when export is unavailable
 * @param chunkCheck  looks at every generated chunk for seams, cuts, flashes and drift ({@link ChunkCheck#NONE}: none)
 */
public record EditorEnvironment(GenerationService service, UiThread ui, Background background, EditorDialogs dialogs,
                                EditorPreferences preferences, RecoveryStore recovery, Supplier<Storyboard> sample,
                                LongSupplier seeds, SceneExporter exporter, ChunkCheck chunkCheck) {
    public EditorEnvironment {
        Objects.requireNonNull(ui, "ui");
        Objects.requireNonNull(background, "background");
        Objects.requireNonNull(dialogs, "dialogs");
        Objects.requireNonNull(seeds, "seeds");
        chunkCheck = chunkCheck == null ? ChunkCheck.NONE : chunkCheck;
    }

    /** An environment without a chunk check. */
    public EditorEnvironment(GenerationService service, UiThread ui, Background background, EditorDialogs dialogs,
                             EditorPreferences preferences, RecoveryStore recovery, Supplier<Storyboard> sample,
                             LongSupplier seeds, SceneExporter exporter) {
        this(service, ui, background, dialogs, preferences, recovery, sample, seeds, exporter, ChunkCheck.NONE);
    }

    /** An environment without export. */
    public EditorEnvironment(GenerationService service, UiThread ui, Background background, EditorDialogs dialogs,
                             EditorPreferences preferences, RecoveryStore recovery, Supplier<Storyboard> sample,
                             LongSupplier seeds) {
        this(service, ui, background, dialogs, preferences, recovery, sample, seeds, null, ChunkCheck.NONE);
    }

    /** Same environment with an exporter. */
    public EditorEnvironment withExporter(SceneExporter newExporter) {
        return new EditorEnvironment(service, ui, background, dialogs, preferences, recovery, sample, seeds, newExporter,
                chunkCheck);
    }

    /** Same environment with a chunk check (the judge's, in the app). */
    public EditorEnvironment withChunkCheck(ChunkCheck check) {
        return new EditorEnvironment(service, ui, background, dialogs, preferences, recovery, sample, seeds, exporter, check);
    }

    public EngineStatus initialStatus() {
        return service == null ? new EngineStatus(false, "", "", "No generation service") : service.status();
    }

    /** Same environment with another service. */
    public EditorEnvironment withService(GenerationService newService) {
        return new EditorEnvironment(newService, ui, background, dialogs, preferences, recovery, sample, seeds, exporter,
                chunkCheck);
    }

    /** Everything on the calling thread, no service, no preferences, dialogs that only record. */
    public static EditorEnvironment headless() {
        Random random = new Random(1);
        return new EditorEnvironment(null, UiThread.direct(), Background.sameThread(), new SilentDialogs(), null, null,
                null, () -> random.nextInt(1_000_000));
    }

    /** Dialogs for tests and headless use: errors are kept, questions pick the default choice. */
    public static final class SilentDialogs implements EditorDialogs {
        private final List<String> errors = new ArrayList<>();
        private final List<String> questions = new ArrayList<>();
        private volatile Path nextOpen;
        private volatile Path nextSave;
        private volatile EditorialRate nextRate;
        private final List<String> rateQuestions = new ArrayList<>();
        private String answer;

        public List<String> errors() {
            return errors;
        }

        public List<String> questions() {
            return questions;
        }

        /** The file the next open dialog returns. */
        public void willOpen(Path file) {
            nextOpen = file;
        }

        /** The file the next save dialog returns. */
        public void willSave(Path file) {
            nextSave = file;
        }

        /** The rate the next frame-rate question returns (default: what it preselects). */
        public void willExportAt(EditorialRate rate) {
            nextRate = rate;
        }

        /** Each frame-rate question asked, as "native N fps, preselected R". */
        public List<String> rateQuestions() {
            return rateQuestions;
        }

        /** The label of the choice the next question picks (default: the DEFAULT choice). */
        public void willAnswer(String label) {
            answer = label;
        }

        @Override
        public Optional<Path> chooseProjectToOpen(Path initialDir) {
            Path p = nextOpen;
            nextOpen = null;
            return Optional.ofNullable(p);
        }

        @Override
        public Optional<Path> chooseProjectToSave(Path initialDir, String suggestedName) {
            Path p = nextSave;
            nextSave = null;
            return Optional.ofNullable(p);
        }

        @Override
        public Optional<EditorialRate> chooseExportRate(int nativeFps, EditorialRate preselected) {
            rateQuestions.add("native " + nativeFps + " fps, preselected " + preselected);
            EditorialRate r = nextRate;
            nextRate = null;
            return Optional.of(r != null ? r : preselected);
        }

        @Override
        public Optional<Path> chooseExportTarget(Path initialDir, String suggestedName) {
            Path p = nextSave;
            nextSave = null;
            return Optional.ofNullable(p);
        }

        @Override
        public void showError(String title, String message) {
            errors.add(title + ": " + message);
        }

        @Override
        public void ask(String title, String message, List<Choice> choices) {
            questions.add(title + ": " + message);
            String wanted = answer;
            answer = null;
            choices.stream()
                    .filter(c -> wanted != null ? c.label().equals(wanted) : c.role() == Choice.Role.DEFAULT)
                    .findFirst().ifPresent(c -> c.action().run());
        }
    }
}
