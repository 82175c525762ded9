package dev.storyboard.app;

import dev.storyboard.app.cli.StoryboardCommand;
import dev.storyboard.inference.engine.TorchRuntime;
import picocli.CommandLine;

/**
 * Entry point of the {@code storyboard} launcher. Deliberately not a JavaFX {@code Application}: on the
 * class path JavaFX must be started from a plain main class. With no sub-command it opens the editor.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        TorchRuntime.preferOffline(); // before any DJL class looks at the property
        int exit = new CommandLine(new StoryboardCommand()).execute(args);
        System.exit(exit);
    }
}
