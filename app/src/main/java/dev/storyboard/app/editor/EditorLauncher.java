package dev.storyboard.app.editor;

import dev.storyboard.judge.editor.EditorChunkCheck;
import dev.storyboard.app.render.Mp4SceneExporter;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.generation.GenerationService;
import dev.storyboard.ui.EditorEnvironment;
import dev.storyboard.ui.EditorView;
import dev.storyboard.ui.EditorViewModel;
import dev.storyboard.ui.concurrent.Background;
import dev.storyboard.ui.concurrent.ExecutorBackground;
import dev.storyboard.ui.concurrent.UiThread;
import dev.storyboard.ui.dialog.FxEditorDialogs;
import dev.storyboard.ui.project.EditorPreferences;
import dev.storyboard.ui.project.RecoveryStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * Starts the JavaFX toolkit without an {@code Application} subclass (so dependencies are passed in,
 * not reached through statics), opens the editor window and blocks the calling (main) thread until the
 * window is closed.
 */
public final class EditorLauncher {
    private final GenerationService service;
    private final EditorPreferences preferences;
    private final RecoveryStore recovery;
    private final Supplier<Storyboard> sample;

    public EditorLauncher(GenerationService service) {
        this(service, EditorPreferences.user(), new RecoveryStore(defaultRecoveryDir()), null);
    }

    /**
     * @param preferences recent files and window state (null: remember nothing)
     * @param recovery    autosave folder (null: no autosave)
     * @param sample      the bundled sample storyboard for the empty-state screen (null: none)
     */
    public EditorLauncher(GenerationService service, EditorPreferences preferences, RecoveryStore recovery,
                          Supplier<Storyboard> sample) {
        this.service = service;
        this.preferences = preferences;
        this.recovery = recovery;
        this.sample = sample;
    }

    /** {@code ~/.local/share/storyboard/recovery} (or XDG_DATA_HOME). */
    public static Path defaultRecoveryDir() {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("storyboard").resolve("recovery");
    }

    /**
     * @param exitAfter when non-null, closes the window after this long without asking (smoke tests, screenshots)
     */
    public void run(Storyboard storyboard, Path projectFile, Duration exitAfter) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        AtomicReference<Background> background = new AtomicReference<>();
        Platform.setImplicitExit(true);
        Platform.startup(() -> {
            Stage stage = new Stage();
            UiThread ui = UiThread.fx();
            Background io = new ExecutorBackground(ui);
            background.set(io);
            SecureRandom random = new SecureRandom();
            EditorEnvironment env = new EditorEnvironment(service, ui, io,
                    new FxEditorDialogs(() -> stage, () -> EditorView.STYLESHEET), preferences, recovery, sample,
                    () -> random.nextInt(Integer.MAX_VALUE), new Mp4SceneExporter(), new EditorChunkCheck());
            EditorViewModel model = new EditorViewModel(env, storyboard, projectFile);
            service.addStatusListener(status -> Platform.runLater(() -> model.updateEngineStatus(status)));
            EditorView view = new EditorView(model);
            stage.setScene(new Scene(view.root(), 1280, 800));
            view.install(stage);
            stage.setOnHidden(e -> closed.countDown());
            stage.show();
            if (exitAfter != null) {
                PauseTransition timer = new PauseTransition(javafx.util.Duration.millis(exitAfter.toMillis()));
                timer.setOnFinished(e -> {
                    model.cancelAll();
                    stage.close();
                });
                timer.play();
            }
        });
        closed.await();
        Background io = background.get();
        if (io != null) {
            io.shutdown(5_000); // pending saves and media writes finish before the JVM exits
        }
        Platform.exit();
    }
}
