package dev.storyboard.domain.generation;

/**
 * The editor's only view of the inference service. Implemented in {@code inference}; the UI gets an
 * instance from the composition root and never sees DJL. Grows with the engine (generate, extend,
 * cancel, chunk streaming); methods never block the caller's thread on model work.
 */
public interface GenerationService extends AutoCloseable {
    /** Current status; cheap, never blocks. */
    EngineStatus status();

    /**
     * Registers a listener for status changes. It is called on a service thread: UI code must hop to
     * its own thread. The listener is also called once right away with the current status.
     */
    void addStatusListener(java.util.function.Consumer<EngineStatus> listener);

    @Override
    void close();
}
