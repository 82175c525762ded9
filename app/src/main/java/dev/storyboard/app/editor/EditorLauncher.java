package dev.storyboard.app.editor;

import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.generation.GenerationService;
import dev.storyboard.ui.EditorView;
import dev.storyboard.ui.EditorViewModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
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

    public EditorLauncher(GenerationService service) {
        this.service = service;
    }

    /**
     * @param exitAfter when non-null, closes the window after this long (smoke tests, screenshots)
     */
    public void run(Storyboard storyboard, Path projectFile, Duration exitAfter) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Platform.setImplicitExit(true);
        Platform.startup(() -> {
            EditorViewModel model = new EditorViewModel(storyboard, projectFile, service.status());
            service.addStatusListener(status -> Platform.runLater(() -> model.updateEngineStatus(status)));
            Stage stage = new Stage();
            stage.titleProperty().bind(model.windowTitle());
            stage.setScene(new Scene(new EditorView(model).root(), 1280, 800));
            stage.setOnHidden(e -> closed.countDown());
            stage.show();
            if (exitAfter != null) {
                PauseTransition timer = new PauseTransition(javafx.util.Duration.millis(exitAfter.toMillis()));
                timer.setOnFinished(e -> stage.close());
                timer.play();
            }
        });
        closed.await();
        Platform.exit();
    }
}
