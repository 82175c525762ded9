package dev.storyboard.ui.generation;

import dev.storyboard.domain.generation.VideoFrame;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Decoded frames held in memory, per take, as chunks arrive or as a project's media is read back. The
 * preview, the thumbnail strips and playback read from here; nothing here touches the disk. UI thread only.
 */
public final class FrameCache {
    private final Map<String, VideoFrame[]> frames = new HashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    /** Stores {@code chunk} at frames [first, first + chunk.size()) of {@code takeId}. */
    public void put(String takeId, int first, List<VideoFrame> chunk) {
        if (first < 0) {
            throw new IllegalArgumentException("first frame must be >= 0");
        }
        VideoFrame[] current = frames.getOrDefault(takeId, new VideoFrame[0]);
        int needed = first + chunk.size();
        if (needed > current.length) {
            current = Arrays.copyOf(current, needed);
        }
        for (int i = 0; i < chunk.size(); i++) {
            current[first + i] = chunk.get(i);
        }
        frames.put(takeId, current);
        fire(takeId);
    }

    /** Frame {@code index} of the take, or null when it is not (yet) in memory. */
    public VideoFrame frame(String takeId, int index) {
        if (takeId == null) {
            return null;
        }
        VideoFrame[] f = frames.get(takeId);
        return f == null || index < 0 || index >= f.length ? null : f[index];
    }

    /** Number of frames held from frame 0 without a hole. */
    public int contiguousFrames(String takeId) {
        VideoFrame[] f = frames.get(takeId);
        if (f == null) {
            return 0;
        }
        int n = 0;
        while (n < f.length && f[n] != null) {
            n++;
        }
        return n;
    }

    /** All frames of a take from 0 up to the first hole (a copy). */
    public List<VideoFrame> frames(String takeId) {
        VideoFrame[] f = frames.get(takeId);
        return f == null ? List.of() : List.of(Arrays.copyOf(f, contiguousFrames(takeId)));
    }

    /** Frames slots held for the take (holes included): one past its last frame in memory. */
    public int length(String takeId) {
        VideoFrame[] f = frames.get(takeId);
        return f == null ? 0 : f.length;
    }

    public boolean contains(String takeId) {
        return frames.containsKey(takeId);
    }

    /** Drops frames from {@code keep} on (a cancelled extension leaves the take as it was). */
    public void truncate(String takeId, int keep) {
        VideoFrame[] f = frames.get(takeId);
        if (f != null && f.length > keep) {
            frames.put(takeId, Arrays.copyOf(f, Math.max(0, keep)));
            fire(takeId);
        }
    }

    public void remove(String takeId) {
        if (frames.remove(takeId) != null) {
            fire(takeId);
        }
    }

    public void clear() {
        List<String> ids = List.copyOf(frames.keySet());
        frames.clear();
        ids.forEach(this::fire);
    }

    /** {@code listener} gets the take id whenever that take's frames change. */
    public void addListener(Consumer<String> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<String> listener) {
        listeners.remove(listener);
    }

    private void fire(String takeId) {
        for (Consumer<String> l : listeners) {
            l.accept(takeId);
        }
    }
}
