package dev.storyboard.ui.generation;

import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.domain.quality.ChunkCheck;
import dev.storyboard.domain.quality.QualityFlag;
import dev.storyboard.ui.concurrent.Background;
import java.util.ArrayList;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ObservableMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live quality flags of the takes being generated: every chunk that arrives is checked ({@link ChunkCheck}: seam,
 * cut inside the shot, flash, drift) in the background, and what it found lands here, by take, on the UI thread.
 * The shot cards show them. The FX thread never waits for a check.
 */
public final class QualityMarks {
    private static final Logger LOG = LoggerFactory.getLogger(QualityMarks.class);
    private final ChunkCheck check;
    private final Background background;
    private final ObservableMap<String, List<QualityFlag>> byTake = FXCollections.observableHashMap();
    private final ObservableMap<String, List<QualityFlag>> view = FXCollections.unmodifiableObservableMap(byTake);

    public QualityMarks(ChunkCheck check, Background background) {
        this.check = check == null ? ChunkCheck.NONE : check;
        this.background = background;
    }

    /** Flags by take id (only takes with at least one flag); read-only, changes on the UI thread. */
    public ObservableMap<String, List<QualityFlag>> byTake() {
        return view;
    }

    /** The flags of one take (empty when none). */
    public List<QualityFlag> of(String takeId) {
        return byTake.getOrDefault(takeId, List.of());
    }

    /**
     * A chunk of {@code takeId} arrived: checks it in the background against the take's frames so far
     * ({@code shotFrames}, the new chunk last, starting at {@code chunkStart}). Call on the UI thread.
     */
    public void chunkArrived(String takeId, List<VideoFrame> shotFrames, int chunkStart, double fps) {
        if (check == ChunkCheck.NONE || shotFrames.isEmpty() || chunkStart >= shotFrames.size()) {
            return;
        }
        List<VideoFrame> frames = List.copyOf(shotFrames);
        background.run("check chunk of " + takeId, () -> check.inspect(frames, chunkStart, fps),
                flags -> merge(takeId, chunkStart, flags),
                e -> LOG.warn("chunk check of {} failed", takeId, e));
    }

    /** Keeps the flags of the take's first {@code frames} frames (an extension was undone). */
    public void truncate(String takeId, int frames) {
        List<QualityFlag> kept = of(takeId).stream().filter(f -> f.frame() < frames).toList();
        put(takeId, kept);
    }

    public void forget(String takeId) {
        byTake.remove(takeId);
    }

    public void clear() {
        byTake.clear();
    }

    /** Flags of earlier chunks stay; the new chunk's flags replace any earlier ones from its frames on. */
    private void merge(String takeId, int chunkStart, List<QualityFlag> found) {
        List<QualityFlag> all = new ArrayList<>(of(takeId).stream().filter(f -> f.frame() < chunkStart).toList());
        all.addAll(found);
        put(takeId, all);
    }

    private void put(String takeId, List<QualityFlag> flags) {
        if (flags.isEmpty()) {
            byTake.remove(takeId);
        } else {
            byTake.put(takeId, List.copyOf(flags));
        }
    }
}
