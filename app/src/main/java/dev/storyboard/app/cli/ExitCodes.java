package dev.storyboard.app.cli;

import dev.storyboard.inference.model.ModelManifest;
import dev.storyboard.inference.service.LocalGenerationService.ModelLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Process exit codes of the {@code storyboard} commands: one table for every command, documented in the
 * README ("Exit codes") and checked by {@code ExitCodeTableTest}. The code depends on what went wrong, never on
 * which command met it; where a condition needs deciding (an unusable model), the method here decides it.
 */
public final class ExitCodes {
    public static final int OK = 0;
    /**
     * A check or operation failed: a file could not be read or written (an invalid project, damaged media, a
     * damaged model, a full disk).
     */
    public static final int FAILED = 1;
    /** Bad command-line input (picocli's own usage errors also use 2), or an output path the output rule refuses. */
    public static final int USAGE = 2;
    /** The input lacks what the command needs: a project without shots, or shots without takes and no model at all. */
    public static final int MISSING_INPUT = 3;

    private ExitCodes() {
    }

    /**
     * The code for a model that a command needs but cannot use: {@link #MISSING_INPUT} when there is none (no
     * model bundled, or the {@code --model} folder has no {@code manifest.json}), {@link #FAILED} when one is
     * there but damaged or unloadable (a checksum fails, a file is missing from it, the engine does not start).
     * Every command (render, eval, bench, doctor) asks this method, so a damaged model gives 1 from all of them.
     */
    public static int unusableModel(ModelLocation location) {
        try {
            Optional<Path> dir = location.locate();
            return dir.isEmpty() || !Files.isRegularFile(dir.get().resolve(ModelManifest.FILE_NAME)) ? MISSING_INPUT : FAILED;
        } catch (IOException | RuntimeException e) {
            return FAILED; // a bundled model that cannot even be extracted is damaged, not absent
        }
    }

    /** As {@link #unusableModel(ModelLocation)} for a {@code --model} folder. */
    public static int unusableModel(Path modelDir) {
        return unusableModel(() -> Optional.of(modelDir));
    }
}
