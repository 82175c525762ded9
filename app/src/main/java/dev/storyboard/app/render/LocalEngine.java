package dev.storyboard.app.render;

import dev.storyboard.app.cli.ExitCodes;
import dev.storyboard.domain.generation.GenerationService;
import dev.storyboard.inference.model.BundledModel;
import dev.storyboard.inference.service.LocalGenerationService;
import dev.storyboard.inference.service.ServiceSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/** Starts the in-process engine for the headless commands and waits until it is ready or has said why not. */
public final class LocalEngine {
    private static final long READY_TIMEOUT_NANOS = 120_000_000_000L;

    private LocalEngine() {
    }

    /**
     * @param modelDir a model folder, or null for the bundled model
     * @param err      where to say why no engine is available
     * @return a ready service (closed at JVM exit), or empty when there is no model (none bundled, no
     *         manifest in {@code modelDir})
     * @throws ModelUnusableException when there is a model but it cannot be used (damaged, unloadable, or the
     *                                engine does not start), with the exit code {@link ExitCodes#unusableModel} gives
     */
    public static Optional<GenerationService> start(Path modelDir, PrintWriter err) {
        return start(modelDir, ServiceSettings.defaults(), err);
    }

    /** As {@link #start(Path, PrintWriter)} with explicit service settings (e.g. another context mode). */
    public static Optional<GenerationService> start(Path modelDir, ServiceSettings settings, PrintWriter err) {
        LocalGenerationService.ModelLocation location = modelLocation(modelDir);
        LocalGenerationService service = new LocalGenerationService(location, settings);
        long deadline = System.nanoTime() + READY_TIMEOUT_NANOS;
        while (!service.status().ready() && System.nanoTime() < deadline && !hasGivenUp(service.status().message())) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!service.status().ready()) {
            String message = service.status().message();
            service.close();
            int code = ExitCodes.unusableModel(location);
            if (code != ExitCodes.MISSING_INPUT) {
                throw new ModelUnusableException("the model cannot be used: " + message, code);
            }
            err.println("storyboard: model not available: " + message);
            err.flush();
            return Optional.empty();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(service::close));
        return Optional.of(service);
    }

    /** The model folder given with {@code --model}, or the bundled model when none was given. */
    public static LocalGenerationService.ModelLocation modelLocation(Path modelDir) {
        return modelDir != null
                ? () -> Optional.of(modelDir)
                : new BundledModel(LocalEngine.class.getClassLoader(), BundledModel.defaultCacheRoot())::locate;
    }

    /** Status messages after which the service will not become ready. */
    private static boolean hasGivenUp(String message) {
        return message.startsWith("No trained model") || message.contains("damaged") || message.contains("cannot")
                || message.contains("failed") || message.contains("not implemented");
    }
}
