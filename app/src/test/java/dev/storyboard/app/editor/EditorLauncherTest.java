package dev.storyboard.app.editor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.app.Samples;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.generation.EngineStatus;
import dev.storyboard.domain.generation.GenerationJob;
import dev.storyboard.domain.generation.GenerationListener;
import dev.storyboard.domain.generation.GenerationRequest;
import dev.storyboard.domain.generation.GenerationService;
import dev.storyboard.ui.project.EditorPreferences;
import dev.storyboard.ui.project.RecoveryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.prefs.Preferences;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The composition root opens the editor window (headless Monocle), wires the service status, and returns on close. */
class EditorLauncherTest {
    @TempDir Path dir;

    /** A service that is never ready, like today's engine. */
    private static final class NotReady implements GenerationService {
        final List<Consumer<EngineStatus>> listeners = new ArrayList<>();

        @Override
        public EngineStatus status() {
            return new EngineStatus(false, "", "", "No trained model is bundled yet");
        }

        @Override
        public void addStatusListener(Consumer<EngineStatus> listener) {
            listeners.add(listener);
            listener.accept(status());
        }

        @Override
        public GenerationJob submit(GenerationRequest request, GenerationListener listener) {
            throw new IllegalStateException("not ready");
        }

        @Override
        public void cancelAll() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    @Timeout(60)
    void opensTheSampleAndReturnsWhenTheHarnessClosesIt() throws Exception {
        Preferences node = Preferences.userRoot().node("dev/storyboard/test/" + UUID.randomUUID());
        try {
            NotReady service = new NotReady();
            Storyboard sample = Samples.load(Samples.DEFAULT_SAMPLE);
            EditorLauncher launcher = new EditorLauncher(service, new EditorPreferences(node),
                    new RecoveryStore(dir.resolve("recovery")), () -> sample);
            // Closed by the harness's file (--exit-when), long before the 50 s timer (--exit-after) would.
            Path exitWhen = dir.resolve("checked");
            Thread harness = new Thread(() -> {
                try {
                    Thread.sleep(1500);
                    Files.createFile(exitWhen);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            harness.start();
            long start = System.nanoTime();
            launcher.run(sample, null, Duration.ofSeconds(50), exitWhen);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(40));
            assertThat(service.listeners).hasSize(1); // the window listened to the engine's status
            assertThat(launcher.windowClassSet()).as("WM_CLASS named storyboard, not java").isTrue();
        } finally {
            node.removeNode();
        }
    }
}
