package dev.storyboard.inference.session;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.storyboard.inference.dit.InterleavedRope3d;
import dev.storyboard.inference.dit.KvCache;
import dev.storyboard.inference.dit.SceneLayout;
import dev.storyboard.inference.dit.TokenTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Assembles the cached context one query sees, applying a {@link LongContextPolicy}: which cached tokens
 * stay (sink / sparse far / dense recent) and how their keys are re-encoded onto a compact virtual layout.
 * With the policy off, or a scene inside its thresholds, this is the plain concatenation
 * {@code global ++ shots < i ++ shot i's earlier chunks} with real positions.
 */
final class ContextWindow {
    private final LongContextPolicy policy;
    private final SceneLayout realLayout;      // shot frames of shots 0..i (real), used for offsets only
    private final int cfT;                     // tubelet frames per chunk

    ContextWindow(LongContextPolicy policy, SceneLayout realLayout) {
        this.policy = policy;
        this.realLayout = realLayout;
        this.cfT = realLayout.chunkFrames() / realLayout.patchT();
    }

    /** The tokens to keep and their position shifts (virtual − real − query shift). */
    record Plan(List<int[]> keep, List<int[][]> shift, boolean identity) {}

    /**
     * @param global       the global caption's cache or null
     * @param shots        caches of shots 0..i−1 (whole shots)
     * @param current      cache of shot i's earlier chunks (with its caption) or null
     * @param currentShot  i
     * @param queryChunk   first chunk of the query in shot i (0 for a whole shot)
     */
    Plan plan(KvCache global, List<KvCache> shots, KvCache current, int currentShot, int queryChunk) {
        int[] realOffsets = realLayout.shotOffsets();
        int lTxt = realLayout.lTxt();
        int maxGrid = Math.max(realLayout.gridH(), realLayout.gridW());
        List<int[]> keep = new ArrayList<>();
        List<int[][]> shift = new ArrayList<>();
        List<TokenTable> tables = new ArrayList<>();
        List<int[]> keptChunksPerPart = new ArrayList<>();
        List<Integer> shotOfPart = new ArrayList<>();

        // 1. which chunks of which shot stay
        if (global != null) {
            tables.add(global.tokens());
            keptChunksPerPart.add(null);
            shotOfPart.add(-1);
        }
        for (int j = 0; j < shots.size(); j++) {
            LongContextPolicy.ShotRole role = policy.roleOf(j, currentShot);
            int n = chunksOf(shots.get(j).tokens());
            int[] kept = switch (role) {
                case DENSE -> policy.keptChunks(n);
                case SINK -> new int[] {0};
                case DROPPED -> new int[0];
            };
            tables.add(shots.get(j).tokens());
            keptChunksPerPart.add(kept);
            shotOfPart.add(j);
        }
        if (current != null) {
            tables.add(current.tokens());
            keptChunksPerPart.add(policy.keptChunks(queryChunk));
            shotOfPart.add(currentShot);
        }

        // 2. virtual offsets of the kept shots (a dropped shot takes no room)
        int[] virtualOffsets = new int[currentShot + 1];
        int o = realLayout.hasGlobal() ? lTxt : 0;
        for (int j = 0; j < currentShot; j++) {
            virtualOffsets[j] = o;
            int[] kept = keptChunksPerPart.get(indexOfShot(shotOfPart, j));
            if (kept.length > 0) {
                o += lTxt + Math.max(kept.length * cfT, maxGrid);
            }
        }
        virtualOffsets[currentShot] = o;
        int keptCurrent = current == null ? 0 : policy.keptChunks(queryChunk).length;
        int qT = (virtualOffsets[currentShot] + lTxt + keptCurrent * cfT) - (realOffsets[currentShot] + lTxt + queryChunk * cfT);
        int qHw = virtualOffsets[currentShot] - realOffsets[currentShot];

        // 3. per part: kept token indices and shifts
        boolean identity = true;
        for (int p = 0; p < tables.size(); p++) {
            TokenTable t = tables.get(p);
            int shot = shotOfPart.get(p);
            int[] kept = keptChunksPerPart.get(p);
            List<Integer> idx = new ArrayList<>();
            List<int[]> d = new ArrayList<>();
            for (int k = 0; k < t.size(); k++) {
                int rank = shot < 0 ? 0 : Arrays.binarySearch(kept, t.chunk()[k]);
                if (rank < 0) {
                    continue;
                }
                int dT;
                int dH;
                int dW;
                if (shot < 0) {
                    dT = dH = dW = 0;                                            // global caption: fixed
                } else {
                    int move = virtualOffsets[shot] - realOffsets[shot];
                    dH = dW = move;
                    dT = move;
                    if (t.isVideo()[k]) {
                        dT += (rank - t.chunk()[k]) * cfT;                       // chunk slot compaction
                    }
                }
                idx.add(k);
                d.add(new int[] {dT - qT, dH - qHw, dW - qHw});
                identity &= dT == qT && dH == qHw && dW == qHw;
            }
            identity &= idx.size() == t.size();
            keep.add(idx.stream().mapToInt(Integer::intValue).toArray());
            int[][] s = new int[3][idx.size()];
            for (int k = 0; k < idx.size(); k++) {
                s[0][k] = d.get(k)[0];
                s[1][k] = d.get(k)[1];
                s[2][k] = d.get(k)[2];
            }
            shift.add(s);
        }
        return new Plan(keep, shift, identity);
    }

    /**
     * The context cache for the query, one copy in {@code target}: the plain concatenation when nothing is
     * left out or moved, else the kept tokens with re-encoded keys.
     */
    KvCache assemble(KvCache global, List<ShotKv> shots, ShotKv current, int currentShot, int queryChunk,
                     InterleavedRope3d rope, NDArray rotateHalf, NDManager target) {
        List<ShotKv> parts = new ArrayList<>(shots);
        if (current != null) {
            parts.add(current);
        }
        List<KvCache> wholeShots = new ArrayList<>();
        for (ShotKv s : shots) {
            wholeShots.add(new KvCache(List.of(), List.of(), s.tokens()));
        }
        KvCache currentTable = current == null ? null : new KvCache(List.of(), List.of(), current.tokens());
        Plan plan = plan(global, wholeShots, currentTable, currentShot, queryChunk);
        try (NDManager tmp = target.newSubManager()) {
            List<KvCache> pieces = new ArrayList<>();
            int p = 0;
            if (global != null) {
                pieces.add(global);
                p++;
            }
            for (ShotKv shot : parts) {
                int[] keep = plan.keep().get(p);
                int[][] s = plan.shift().get(p);
                p++;
                if (keep.length == 0) {
                    continue;
                }
                List<KvCache> selected = shot.select(keep, tmp);
                if (isZero(s)) {
                    pieces.addAll(selected);
                } else {
                    KvCache joined = KvCache.concat(selected, tmp);
                    pieces.add(joined.shifted(s[0], s[1], s[2], rope, rotateHalf, tmp));
                }
            }
            return KvCache.concat(pieces, target);
        }
    }

    private static boolean isZero(int[][] s) {
        for (int[] a : s) {
            for (int v : a) {
                if (v != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private int chunksOf(TokenTable t) {
        int max = 0;
        for (int c : t.chunk()) {
            max = Math.max(max, c);
        }
        return max + 1;
    }

    private static int indexOfShot(List<Integer> shotOfPart, int shot) {
        return shotOfPart.indexOf(shot);
    }
}
