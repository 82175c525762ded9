package dev.storyboard.inference.service;

import dev.storyboard.domain.generation.EngineStatus;
import dev.storyboard.domain.generation.GenerationJob;
import dev.storyboard.domain.generation.GenerationListener;
import dev.storyboard.domain.generation.GenerationRequest;
import dev.storyboard.domain.generation.GenerationService;
import dev.storyboard.inference.engine.TorchRuntime;
import dev.storyboard.inference.model.ModelVerifier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process inference service. All model work runs on one dedicated thread
 * ({@value #THREAD_NAME}); callers never wait for it. Today it starts the PyTorch engine and verifies
 * the model's checksums; generation lands with the StoryDiT engine (issue 4).
 */
public final class LocalGenerationService implements GenerationService {
    public static final String THREAD_NAME = "storydit-inference";
    private static final Logger LOG = LoggerFactory.getLogger(LocalGenerationService.class);

    /** Where the model folder comes from (bundled assets, or a folder given on the command line). */
    @FunctionalInterface
    public interface ModelLocation {
        Optional<Path> locate() throws IOException;
    }

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, THREAD_NAME);
        t.setDaemon(true);
        return t;
    });
    private final List<Consumer<EngineStatus>> listeners = new CopyOnWriteArrayList<>();
    private volatile EngineStatus status = new EngineStatus(false, "", "", "Starting inference engine…");

    public LocalGenerationService(ModelLocation modelLocation) {
        worker.execute(() -> initialise(modelLocation));
    }

    private void initialise(ModelLocation modelLocation) {
        TorchRuntime.Report engine;
        try {
            engine = TorchRuntime.probe();
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            LOG.error("PyTorch engine failed to start", e);
            publish(new EngineStatus(false, "", "", "Inference engine failed to start: " + e.getMessage()));
            return;
        }
        String device = engine.device();
        try {
            Optional<Path> dir = modelLocation.locate();
            if (dir.isEmpty()) {
                publish(new EngineStatus(false, device, "",
                        "No trained model is bundled yet: generation is unavailable (run `storyboard doctor`)."));
                return;
            }
            ModelVerifier.Verification v = new ModelVerifier().verify(dir.get());
            String name = v.manifest().name() + " (" + v.manifest().preset() + ")";
            if (!v.ok()) {
                publish(new EngineStatus(false, device, name, "Model files are damaged: " + v.summary()));
                return;
            }
            publish(new EngineStatus(false, device, name,
                    "Model " + name + " verified; the generation engine is not implemented yet."));
        } catch (IOException e) {
            publish(new EngineStatus(false, device, "", "Model cannot be read: " + e.getMessage()));
        }
    }

    private void publish(EngineStatus newStatus) {
        status = newStatus;
        LOG.info("engine status: {}", newStatus.message());
        listeners.forEach(l -> l.accept(newStatus));
    }

    @Override
    public EngineStatus status() {
        return status;
    }

    @Override
    public void addStatusListener(Consumer<EngineStatus> listener) {
        listeners.add(listener);
        listener.accept(status);
    }

    @Override
    public GenerationJob submit(GenerationRequest request, GenerationListener listener) {
        EngineStatus now = status;
        if (!now.ready()) {
            throw new IllegalStateException("no model is ready: " + now.message());
        }
        throw new IllegalStateException("the StoryDiT engine is not implemented yet");
    }

    @Override
    public void cancelAll() {
        // Nothing is ever queued until the engine lands.
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
