package dev.storyboard.app.editor;

import dev.storyboard.app.render.Mp4SceneExporter;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.generation.GenerationService;
import dev.storyboard.judge.editor.EditorChunkCheck;
import dev.storyboard.ui.EditorEnvironment;
import dev.storyboard.ui.EditorView;
import dev.storyboard.ui.EditorViewModel;
import dev.storyboard.ui.concurrent.Background;
import dev.storyboard.ui.concurrent.ExecutorBackground;
import dev.storyboard.ui.concurrent.UiThread;
import dev.storyboard.ui.dialog.FxEditorDialogs;
import dev.storyboard.ui.project.EditorPreferences;
import dev.storyboard.ui.project.RecoveryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.PauseTransition;
import javafx.animation.Timeline;
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
    private volatile boolean windowClassSet;
    private OpenFileRouter openFiles;

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

    /**
     * The X11 {@code WM_CLASS} of the editor's windows: it must equal the desktop entry's
     * {@code StartupWMClass} (and the launcher's name) so docks group the window under the menu entry's icon.
     */
    public static final String WM_CLASS = "storyboard";

    /**
     * JavaFX's GTK glass names every top-level window's {@code WM_CLASS} after
     * {@code com.sun.glass.ui.Application.getName()}, which stays "java" unless a JavaFX {@code Application}
     * subclass is launched (then it is that class's name). This launcher starts the toolkit without one, so it
     * sets the name itself: once, on the FX thread, before the first window (glass accepts it only while the
     * name is still the default). An internal API reached by reflection: if a JavaFX version lacks it, the
     * class stays "java" and nothing else changes.
     *
     * @return whether the name was set
     */
    static boolean setWindowClass(String name) {
        try {
            Class<?> glass = Class.forName("com.sun.glass.ui.Application");
            Object app = glass.getMethod("GetApplication").invoke(null);
            if (app == null) {
                return false;
            }
            glass.getMethod("setName", String.class).invoke(app, name);
            return name.equals(glass.getMethod("getName").invoke(app));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }

    /**
     * Files the OS asks to open while the editor runs (macOS open-file events) are opened in it, after the
     * usual question about unsaved changes.
     */
    public EditorLauncher openFilesFrom(OpenFileRouter router) {
        this.openFiles = router;
        return this;
    }

    /** Whether the last {@link #run} named its windows' {@code WM_CLASS} {@value #WM_CLASS}. */
    public boolean windowClassSet() {
        return windowClassSet;
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
        run(storyboard, projectFile, exitAfter, null);
    }

    /**
     * @param exitAfter when non-null, closes the window after this long without asking (smoke tests, screenshots)
     * @param exitWhen  when non-null, closes the window without asking as soon as this file exists (polled every
     *                  200 ms): a test harness closes the editor once it has checked what it needed, however long
     *                  the window took to appear, instead of racing a fixed timer
     */
    public void run(Storyboard storyboard, Path projectFile, Duration exitAfter, Path exitWhen)
            throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        AtomicReference<Background> background = new AtomicReference<>();
        Platform.setImplicitExit(true);
        Platform.startup(() -> {
            windowClassSet = setWindowClass(WM_CLASS);
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
            OpenFileRouter router = openFiles;
            if (router != null) {
                router.attach(file -> Platform.runLater(() -> model.openRecent(file)));
            }
            stage.setOnHidden(e -> {
                if (router != null) {
                    router.detach();
                }
                closed.countDown();
            });
            stage.show();
            if (exitAfter != null) {
                PauseTransition timer = new PauseTransition(javafx.util.Duration.millis(exitAfter.toMillis()));
                timer.setOnFinished(e -> {
                    model.cancelAll();
                    stage.close();
                });
                timer.play();
            }
            if (exitWhen != null) {
                Timeline poll = new Timeline(new KeyFrame(javafx.util.Duration.millis(200), e -> {
                    if (Files.exists(exitWhen) && stage.isShowing()) {
                        model.cancelAll();
                        stage.close();
                    }
                }));
                poll.setCycleCount(Animation.INDEFINITE);
                poll.play();
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
