package dev.storyboard.ui.timeline;

import dev.storyboard.domain.Shot;
import dev.storyboard.domain.Storyboard;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each shot sits on the scene's frame axis: shot i covers frames [start(i), start(i) + duration(i)).
 * Optional duration overrides give the layout while an edge is being dragged (nothing is committed yet).
 */
public final class TimelineLayout {
    private final List<Shot> shots;
    private final int[] starts;
    private final int[] durations;
    private final int total;

    public TimelineLayout(Storyboard storyboard) {
        this(storyboard, Map.of());
    }

    public TimelineLayout(Storyboard storyboard, Map<String, Integer> durationOverrides) {
        shots = storyboard.shots();
        starts = new int[shots.size()];
        durations = new int[shots.size()];
        int at = 0;
        for (int i = 0; i < shots.size(); i++) {
            Shot s = shots.get(i);
            starts[i] = at;
            durations[i] = durationOverrides.getOrDefault(s.id(), s.durationFrames());
            at += durations[i];
        }
        total = at;
    }

    /** A place on the timeline: shot {@code index} at frame {@code localFrame} of it. */
    public record Position(int index, Shot shot, int localFrame) {}

    public int size() {
        return shots.size();
    }

    public Shot shot(int index) {
        return shots.get(index);
    }

    public int start(int index) {
        return starts[index];
    }

    public int duration(int index) {
        return durations[index];
    }

    public int end(int index) {
        return starts[index] + durations[index];
    }

    public int totalFrames() {
        return total;
    }

    public int indexOf(String shotId) {
        for (int i = 0; i < shots.size(); i++) {
            if (shots.get(i).id().equals(shotId)) {
                return i;
            }
        }
        return -1;
    }

    /** The shot showing scene frame {@code frame}, if the frame is on the timeline. */
    public Optional<Position> at(int frame) {
        if (frame < 0 || frame >= total) {
            return Optional.empty();
        }
        int lo = 0;
        int hi = shots.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= frame) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return Optional.of(new Position(lo, shots.get(lo), frame - starts[lo]));
    }

    /**
     * The insertion index (0..size) for a drop at scene frame position {@code frame} (fractional): the
     * gap nearest to it.
     */
    public int gapNearest(double frame) {
        int best = 0;
        double bestDistance = Math.abs(frame);
        for (int i = 1; i <= shots.size(); i++) {
            double edge = i == shots.size() ? total : starts[i];
            double d = Math.abs(frame - edge);
            if (d < bestDistance) {
                best = i;
                bestDistance = d;
            }
        }
        return best;
    }

    /** True when shots are laid end to end from frame 0 with positive durations (no overlaps, no gaps). */
    public boolean isConsistent() {
        int at = 0;
        for (int i = 0; i < shots.size(); i++) {
            if (starts[i] != at || durations[i] <= 0) {
                return false;
            }
            at += durations[i];
        }
        return at == total;
    }
}
