package dev.storyboard.inference.dit;

/**
 * Told about every {@link StoryDiT} forward once it has returned (eager CPU ops: the work is done by then): its
 * batch, query tokens, attended keys and wall time. The benchmark meters FLOP/s with it; the product sets none.
 */
@FunctionalInterface
public interface ForwardObserver {
    ForwardObserver NONE = (batch, tokens, keys, nanos) -> {
    };

    void forwardDone(int batch, int tokens, int keys, long nanos);
}
