package dev.storyboard.ui;

import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.export.SceneExporter;
import dev.storyboard.domain.generation.EngineStatus;
import dev.storyboard.domain.generation.GenerationService;
import dev.storyboard.domain.quality.ChunkCheck;
import dev.storyboard.ui.concurrent.Background;
import dev.storyboard.ui.concurrent.UiThread;
import dev.storyboard.ui.dialog.EditorDialogs;
import dev.storyboard.ui.project.EditorPreferences;
import dev.storyboard.ui.project.RecoveryStore;
import java.util.Objects;
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
}
