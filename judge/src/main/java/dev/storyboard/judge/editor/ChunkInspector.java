package dev.storyboard.judge.editor;

import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.judge.JudgeException;
import dev.storyboard.judge.metrics.CompensatedDrift;
import dev.storyboard.judge.metrics.GlobalMotion;
import dev.storyboard.judge.metrics.SceneCutDetector;
import dev.storyboard.judge.metrics.TemporalMetrics;
import dev.storyboard.judge.video.Clip;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The editor's hook: call {@link #inspect} when a chunk of a shot has landed (plain Java, no JavaFX; cheap
 * enough for the UI's background thread: a 64-frame 64&times;64 shot takes a few milliseconds). It looks at
 * the shot's frames so far and flags, within the new chunk:
 * <ul>
 *   <li>{@link ChunkFlag.Type#SEAM}: the frame difference across the chunk boundary against the median of its
 *   neighbours ({@link TemporalMetrics#seams}: ratio &ge; 3 and at least 2 grey levels above the median);</li>
 *   <li>{@link ChunkFlag.Type#CUT}: a cut inside the chunk by the SCuts detector (PySceneDetect's adaptive
 *   detector, cuts allowed from the shot's first frame on, including the chunk's first frame, where a seam
 *   can be flagged too);</li>
 *   <li>{@link ChunkFlag.Type#FLASH}: a frame that differs from both neighbours by more than
 *   {@link Params#flashDifference} grey levels while the neighbours are within a third of that of each other;</li>
 *   <li>{@link ChunkFlag.Type#DRIFT}: brightness or saturation has moved more than {@link Params#lumaDrift}
 *   grey levels / {@link Params#saturationDrift} since the shot's first frame, measured with the camera's
 *   motion removed ({@link CompensatedDrift}: median per-pixel change, averaged over the chunk's frames), so a
 *   pan to a darker part of the set is no drift. Not reported once the shot contains a cut.</li>
 * </ul>
 */
public final class ChunkInspector {

    /** Thresholds. */
    public record Params(double flashDifference, double lumaDrift, double saturationDrift) {
        public static final Params DEFAULT = new Params(20.0, 15.0, 0.06);
    }

    private final Params params;

    public ChunkInspector(Params params) {
        this.params = params;
    }

    public ChunkInspector() {
        this(Params.DEFAULT);
    }

    /**
     * @param shotFrames the shot's frames so far, the new chunk last (all of one size)
     * @param chunkStart index of the new chunk's first frame (0 for the first chunk)
     * @param fps        frames per second (for the cut detector's time base only)
     */
    public ChunkReport inspect(List<VideoFrame> shotFrames, int chunkStart, double fps) {
        if (shotFrames == null || shotFrames.isEmpty()) {
            throw new JudgeException("chunk inspection: the shot has no frames");
        }
        if (chunkStart < 0 || chunkStart >= shotFrames.size()) {
            throw new JudgeException("chunk inspection: chunk start " + chunkStart + " is outside the shot's "
                    + shotFrames.size() + " frames");
        }
        return inspect(Clip.ofVideoFrames("shot", shotFrames, fps), chunkStart);
    }

    /** As {@link #inspect(List, int, double)} for frames already in a {@link Clip}. */
    public ChunkReport inspect(Clip shot, int chunkStart) {
        int n = shot.frameCount();
        if (chunkStart < 0 || chunkStart >= n) {
            throw new JudgeException("chunk inspection: chunk start " + chunkStart + " is outside the shot's "
                    + n + " frames");
        }
        List<ChunkFlag> flags = new ArrayList<>();
        double[] d = TemporalMetrics.pairDifferences(shot);
        // cuts (the detector runs over the whole shot so the window has context on both sides)
        List<Integer> cutFrames = List.of();
        if (n >= 2) {
            SceneCutDetector.Result cuts = SceneCutDetector.detect(shot, SceneCutDetector.Params.ANYWHERE);
            cutFrames = cuts.cuts();
            for (int c : cutFrames) {
                if (c >= chunkStart && c < n) {
                    flags.add(new ChunkFlag(ChunkFlag.Type.CUT, c, cuts.adaptiveRatios()[c],
                            String.format(Locale.ROOT, "hard cut at frame %d (content change %.1f, %.1fx its neighbours)",
                                    c, cuts.contentValues()[c], cuts.adaptiveRatios()[c])));
                }
            }
        }
        // seam
        TemporalMetrics.Seam seam = null;
        if (chunkStart > 0) {
            seam = TemporalMetrics.seams(d, new int[] {chunkStart}, shot.name()).get(0);
            if (seam.suspicious()) {
                flags.add(new ChunkFlag(ChunkFlag.Type.SEAM, chunkStart, seam.score(),
                        String.format(Locale.ROOT, "visible seam: the change into frame %d is %.1fx the usual change",
                                chunkStart, seam.score())));
            }
        }
        // flashes: frame f differs from f-1 and f+1, which agree
        for (int f = Math.max(1, chunkStart); f + 1 < n; f++) {
            double in = d[f - 1];
            double out = d[f];
            if (in >= params.flashDifference() && out >= params.flashDifference()) {
                double across = TemporalMetrics.meanAbsDiff(shot.bgr(f - 1), shot.bgr(f + 1));
                if (across <= Math.min(in, out) / 3.0) {
                    flags.add(new ChunkFlag(ChunkFlag.Type.FLASH, f, Math.min(in, out),
                            String.format(Locale.ROOT, "flash at frame %d (%.0f grey levels off both neighbours)", f,
                                    Math.min(in, out))));
                }
            }
        }
        // drift against the shot's first frame, camera motion removed; mean over the chunk's frames
        double lumaShift = 0;
        double satShift = 0;
        if (chunkStart > 0 && n >= 2) {
            GlobalMotion.Result gm = GlobalMotion.estimate(shot, null);
            int from = Math.max(chunkStart, 1);
            for (int f = from; f < n; f++) {
                CompensatedDrift.Change c = CompensatedDrift.between(shot, 0, f, gm.steps());
                lumaShift += c.luma();
                satShift += c.saturation();
            }
            lumaShift /= n - from;
            satShift /= n - from;
        }
        boolean cutInShot = !cutFrames.isEmpty() && cutFrames.get(0) <= n - 1;
        if (!cutInShot && (Math.abs(lumaShift) > params.lumaDrift() || Math.abs(satShift) > params.saturationDrift())) {
            boolean luma = Math.abs(lumaShift) > params.lumaDrift();
            flags.add(new ChunkFlag(ChunkFlag.Type.DRIFT, chunkStart, luma ? lumaShift : satShift,
                    luma ? String.format(Locale.ROOT, "brightness drifted %+.1f grey levels since the shot began", lumaShift)
                            : String.format(Locale.ROOT, "saturation drifted %+.3f since the shot began", satShift)));
        }
        flags.sort(Comparator.comparingInt(ChunkFlag::frame));
        return new ChunkReport(chunkStart, n, seam, lumaShift, satShift, flags);
    }

}
