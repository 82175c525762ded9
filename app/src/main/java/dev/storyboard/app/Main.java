package dev.storyboard.app;

import dev.storyboard.app.cli.StoryboardCommand;
import dev.storyboard.app.editor.OpenFileRouter;
import dev.storyboard.inference.engine.TorchRuntime;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Entry point of the {@code storyboard} launcher. Deliberately not a JavaFX {@code Application}: on the
 * class path JavaFX must be started from a plain main class. With no sub-command it opens the editor.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        AppCaches.configure(); // before any library looks for its cache folder
        TorchRuntime.preferOffline(); // before any DJL class looks at the property
        OpenFileRouter.APP.installMacHandler(); // macOS hands double-clicked projects over as events, early
        int exit = StoryboardCommand.commandLine().execute(openFileArgs(args));
        System.exit(exit);
    }

    /**
     * A desktop "open with" (file association) starts {@code storyboard /path/x.storyboard}: a single
     * argument that is an existing {@code .storyboard} file becomes {@code edit PATH}. Anything else,
     * sub-commands included (none ends in {@code .storyboard}), is passed through unchanged.
     */
    static String[] openFileArgs(String[] args) {
        if (args.length != 1 || !args[0].toLowerCase(Locale.ROOT).endsWith(".storyboard")) {
            return args;
        }
        try {
            return Files.isRegularFile(Path.of(args[0])) ? new String[] {"edit", args[0]} : args;
        } catch (InvalidPathException e) {
            return args;
        }
    }
}
