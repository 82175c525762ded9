package dev.storyboard.domain.generation;

import dev.storyboard.domain.vocabulary.ModelVocabulary;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The editor's only view of the inference service. Implemented in {@code inference}; the UI gets an
 * instance from the composition root and never sees DJL. Methods never block the caller's thread on model
 * work.
 */
public interface GenerationService extends AutoCloseable {
    /** Current status; cheap, never blocks. */
    EngineStatus status();

    /**
     * Registers a listener for status changes. It is called on a service thread: UI code must hop to
     * its own thread. The listener is also called once right away with the current status.
     */
    void addStatusListener(Consumer<EngineStatus> listener);

    /**
     * Queues a job and returns at once. Jobs run one at a time; a queued {@code EXTEND_TAKE} runs before
     * queued new takes (a drag on the timeline is interactive), otherwise jobs run in submission order.
     * Events go to {@code listener} on the inference thread.
     *
     * @throws IllegalStateException when no model is ready ({@link EngineStatus#ready()} is false)
     */
    GenerationJob submit(GenerationRequest request, GenerationListener listener);

    /**
     * The loaded model's vocabulary (what it can draw and the words it was taught), for prompt completion.
     * Empty until {@link EngineStatus#ready()}, and for a model folder that ships none. Never blocks.
     */
    default Optional<ModelVocabulary> vocabulary() {
        return Optional.empty();
    }

    /** Cancels every queued and running job. */
    void cancelAll();

    @Override
    void close();
}
