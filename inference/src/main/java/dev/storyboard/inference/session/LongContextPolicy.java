package dev.storyboard.inference.session;

/**
 * How much cached context a query sees once a scene outgrows the trained length (FreeLOC-style position
 * re-encoding + a tiered sparse attention pattern). The trained length of the shipped presets is three
 * shots of 8 latent frames (two chunks) each; the policy keeps everything up to a threshold, so short
 * scenes are computed exactly, and beyond it keeps per-chunk cost bounded:
 *
 * <ul>
 *   <li><b>within a shot</b> (the shot being generated/extended, and long earlier shots): the first chunk
 *       with the caption as an attention <i>sink</i>, the {@code recentChunks} chunks right before the
 *       query as a dense window, and {@code farChunks} evenly spaced chunks in between (sparse far
 *       context); a shot with at most 1 + farChunks + recentChunks chunks is kept whole;</li>
 *   <li><b>across shots</b>: the {@code denseShots} shots right before the current one are kept (windowed
 *       as above), the first {@code sinkShots} shots of the scene keep only caption + first chunk, the
 *       rest are left out; the global caption is always kept;</li>
 *   <li><b>positions</b>: kept chunks and shots are re-encoded onto a compact virtual layout (each kept
 *       chunk takes the next chunk slot of its shot, each kept shot the next shot offset), so every
 *       relative RoPE distance the query sees is one a scene of that compact size would have: exact
 *       inside the window, grouped beyond it. Cached keys are post-RoPE, so re-encoding is one extra
 *       rotation of the kept keys by (virtual − real) position; values carry no position.</li>
 * </ul>
 *
 * @param enabled       false = attend to the whole cache with real positions (exact; cost grows with length)
 * @param denseShots    earlier shots kept (windowed) before the current one
 * @param sinkShots     earliest shots kept as caption + first chunk when they are not dense
 * @param recentChunks  dense window of most recent chunks
 * @param farChunks     sparse samples between the sink and the window
 */
public record LongContextPolicy(boolean enabled, int denseShots, int sinkShots, int recentChunks, int farChunks) {
    public LongContextPolicy {
        if (denseShots < 0 || sinkShots < 0 || recentChunks < 1 || farChunks < 0) {
            throw new IllegalArgumentException("invalid long-context policy");
        }
    }

    /** Whole cache, real positions: what the KV-cache equivalence tests compare against full recompute. */
    public static LongContextPolicy exact() {
        return new LongContextPolicy(false, Integer.MAX_VALUE, 0, 1, 0);
    }

    /**
     * Default: 2 dense earlier shots + the first shot as a sink; inside a shot sink + 1 far + 2 recent
     * chunks. Exact for scenes of up to 3 shots of up to 4 chunks each (16 frames at the S preset).
     */
    public static LongContextPolicy defaults() {
        return new LongContextPolicy(true, 2, 1, 2, 1);
    }

    /** Chunks of a shot with {@code n} cached chunks that stay visible (sorted). */
    public int[] keptChunks(int n) {
        if (!enabled || n <= 1 + farChunks + recentChunks) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] kept = new int[1 + farChunks + recentChunks];
        kept[0] = 0;
        int middle = n - recentChunks - 1;                     // chunks 1 .. n-recent-1
        for (int k = 0; k < farChunks; k++) {
            kept[1 + k] = 1 + (int) Math.floor((k + 0.5) * middle / farChunks);
        }
        for (int k = 0; k < recentChunks; k++) {
            kept[1 + farChunks + k] = n - recentChunks + k;
        }
        return kept;
    }

    /** How an earlier shot j is seen from shot {@code current}. */
    public enum ShotRole { DENSE, SINK, DROPPED }

    public ShotRole roleOf(int shot, int current) {
        if (!enabled || shot >= current - denseShots) {
            return ShotRole.DENSE;
        }
        return shot < sinkShots ? ShotRole.SINK : ShotRole.DROPPED;
    }
}
