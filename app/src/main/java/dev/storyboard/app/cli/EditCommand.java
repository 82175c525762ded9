package dev.storyboard.app.cli;

import dev.storyboard.app.Samples;
import dev.storyboard.app.editor.EditorLauncher;
import dev.storyboard.app.editor.OpenFileRouter;
import dev.storyboard.app.render.LocalEngine;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.project.ProjectLoader;
import dev.storyboard.inference.service.LocalGenerationService;
import dev.storyboard.ui.project.EditorPreferences;
import dev.storyboard.ui.project.RecoveryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code storyboard edit [PROJECT]}: the editor window. Composition root of the desktop app. */
@Command(name = "edit", mixinStandardHelpOptions = true,
        description = "Open the storyboard editor on PROJECT, or on (a copy of) the bundled sample storyboard.")
public final class EditCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "PROJECT", description = "a .storyboard project file")
    Path project;

    @Option(names = "--model", paramLabel = "DIR", description = "model folder to use instead of the bundled one")
    Path modelDir;

    @Option(names = "--new", description = "start with an empty storyboard instead of the sample")
    boolean empty;

    @Option(names = "--recovery-dir", paramLabel = "DIR", hidden = true,
            description = "folder for autosaves (default: ~/.local/share/storyboard/recovery)")
    Path recoveryDir;

    @Option(names = "--exit-after", paramLabel = "SECONDS", hidden = true,
            description = "close the window after SECONDS (smoke tests and screenshots)")
    Double exitAfterSeconds;

    @Option(names = "--exit-when", paramLabel = "FILE", hidden = true,
            description = "close the window as soon as FILE exists (test harnesses: close once checked)")
    Path exitWhen;

    @Override
    public Integer call() {
        Supplier<Storyboard> sample = () -> {
            try {
                return Samples.load(Samples.DEFAULT_SAMPLE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        Storyboard storyboard;
        try {
            if (project == null && !empty) {
                // macOS: a double-clicked project arrives as an open-file event, not an argument
                project = OpenFileRouter.APP.takeStartupFile(Duration.ofMillis(1500)).orElse(null);
            }
            if (project != null) {
                storyboard = new ProjectLoader().open(project).storyboard(); // also removes temporaries of killed saves
            } else if (empty) {
                storyboard = Storyboard.empty("Untitled", 8, 64, 64);
            } else {
                storyboard = Samples.load(Samples.DEFAULT_SAMPLE);
            }
        } catch (IOException e) {
            System.err.println("storyboard: " + e.getMessage());
            return ExitCodes.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.FAILED;
        }
        LocalGenerationService.ModelLocation location = LocalEngine.modelLocation(modelDir);
        try (LocalGenerationService service = new LocalGenerationService(location)) {
            Duration exitAfter = exitAfterSeconds == null ? null : Duration.ofMillis((long) (exitAfterSeconds * 1000));
            RecoveryStore recovery = new RecoveryStore(recoveryDir != null ? recoveryDir : EditorLauncher.defaultRecoveryDir());
            new EditorLauncher(service, EditorPreferences.user(), recovery, sample).openFilesFrom(OpenFileRouter.APP).run(storyboard, project, exitAfter, exitWhen);
            return ExitCodes.OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.FAILED;
        } catch (UnsupportedOperationException | IllegalStateException e) {
            System.err.println("storyboard: cannot open a window: " + e.getMessage()
                    + " (no display? set DISPLAY or run under xvfb-run)");
            return ExitCodes.FAILED;
        }
    }
}
