package dev.storyboard.inference.bench;

import dev.storyboard.inference.dit.ForwardObserver;
import dev.storyboard.inference.dit.StoryDiT;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** Counts a model's forwards, their model FLOPs ({@link StoryDiT#flops}) and wall time, for the benchmark. */
final class ForwardMeter implements ForwardObserver {
    /** Totals at one moment; {@link #minus} gives the work between two snapshots. */
    record Counters(long forwards, double flops, long nanos) {
        Counters minus(Counters earlier) {
            return new Counters(forwards - earlier.forwards, flops - earlier.flops, nanos - earlier.nanos);
        }

        /** Achieved model FLOP/s. */
        double flopsPerSecond() {
            return nanos == 0 ? 0 : flops / (nanos / 1e9);
        }
    }

    private final StoryDiT dit;
    private final LongAdder forwards = new LongAdder();
    private final DoubleAdder flops = new DoubleAdder();
    private final LongAdder nanos = new LongAdder();

    private ForwardMeter(StoryDiT dit) {
        this.dit = dit;
    }

    /** A meter observing every later forward of {@code dit}. */
    static ForwardMeter attach(StoryDiT dit) {
        ForwardMeter meter = new ForwardMeter(dit);
        dit.observe(meter);
        return meter;
    }

    @Override
    public void forwardDone(int batch, int tokens, int keys, long nanos) {
        forwards.increment();
        flops.add(dit.flops(batch, tokens, keys));
        this.nanos.add(nanos);
    }

    Counters snapshot() {
        return new Counters(forwards.sum(), flops.sum(), nanos.sum());
    }
}
