package dev.storyboard.inference.dit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which tokens one forward pass holds, in which order (docs/STORYDIT.md §3–4; {@code layout.py}).
 *
 * <pre>
 *   [global text: l_txt]?  [shot 0 text: l_txt][shot 0 video: F_0·Hp·Wp]  [shot 1 text][shot 1 video] ...
 * </pre>
 *
 * {@code shotFrames} are the planned/generated latent frame counts of every shot of the scene: they fix
 * the RoPE offsets even when a forward holds only a later segment.
 */
public record SceneLayout(int[] shotFrames, boolean hasGlobal, List<Segment> segments, int gridH, int gridW,
                          int lTxt, int chunkFrames, int patchT) {

    public SceneLayout {
        shotFrames = shotFrames.clone();
        segments = List.copyOf(segments);
        if (chunkFrames % patchT != 0) {
            throw new IllegalArgumentException("chunk_frames must be a multiple of patch_t");
        }
        int lastShot = Segment.GLOBAL_SHOT - 1;
        for (Segment s : segments) {
            if (s.isGlobal()) {
                if (!hasGlobal) {
                    throw new IllegalArgumentException("a global segment needs hasGlobal");
                }
            } else {
                if (s.shot() >= shotFrames.length) {
                    throw new IllegalArgumentException("segment shot " + s.shot() + " outside shotFrames");
                }
                if (s.frameStart() % patchT != 0 || s.nFrames() % patchT != 0) {
                    throw new IllegalArgumentException("segment frames must be multiples of patch_t: " + s);
                }
                if (s.frameStart() + s.nFrames() > shotFrames[s.shot()]) {
                    throw new IllegalArgumentException("segment " + s + " runs past the shot's planned "
                            + shotFrames[s.shot()] + " frames");
                }
            }
            if (s.shot() < lastShot) {
                throw new IllegalArgumentException("segments must be in shot order");
            }
            lastShot = s.shot();
        }
    }

    /** Every shot complete, one segment per shot. */
    public static SceneLayout full(int[] shotFrames, boolean hasGlobal, int gridH, int gridW, int lTxt, int chunkFrames,
                                   int patchT) {
        List<Segment> segs = new ArrayList<>();
        if (hasGlobal) {
            segs.add(Segment.globalCaption());
        }
        for (int i = 0; i < shotFrames.length; i++) {
            segs.add(Segment.wholeShot(i, shotFrames[i]));
        }
        return new SceneLayout(shotFrames, hasGlobal, segs, gridH, gridW, lTxt, chunkFrames, patchT);
    }

    /** Same scene (same offsets), other tokens present. */
    public SceneLayout withSegments(List<Segment> newSegments) {
        return new SceneLayout(shotFrames, hasGlobal, newSegments, gridH, gridW, lTxt, chunkFrames, patchT);
    }

    /** Same tokens, other planned frame counts. */
    public SceneLayout withShotFrames(int[] newShotFrames) {
        return new SceneLayout(newShotFrames, hasGlobal, segments, gridH, gridW, lTxt, chunkFrames, patchT);
    }

    public int tokensPerFrame() {
        return gridH * gridW;
    }

    public int segmentTokens(Segment s) {
        return (s.text() ? lTxt : 0) + (s.nFrames() / patchT) * tokensPerFrame();
    }

    public int nTokens() {
        return segments.stream().mapToInt(this::segmentTokens).sum();
    }

    public int nTextSegments() {
        return (int) segments.stream().filter(Segment::text).count();
    }

    /** Latent frames in this forward (concatenated over segments in order). */
    public int nFrames() {
        return segments.stream().mapToInt(Segment::nFrames).sum();
    }

    /** o_i of every shot: o_0 = l_txt if global else 0; o_{i+1} = o_i + l_txt + max(F_i / pt, Hp, Wp). */
    public int[] shotOffsets() {
        int o = hasGlobal ? lTxt : 0;
        int[] offsets = new int[shotFrames.length];
        for (int i = 0; i < shotFrames.length; i++) {
            offsets[i] = o;
            o += lTxt + Math.max(shotFrames[i] / patchT, Math.max(gridH, gridW));
        }
        return offsets;
    }

    /** Per-token segment, shot, chunk, video flag, RoPE position and frame in its shot of this forward. */
    public TokenTable tokenTable() {
        int n = nTokens();
        int[] seg = new int[n];
        int[] shot = new int[n];
        int[] chunk = new int[n];
        boolean[] video = new boolean[n];
        int[][] pos = new int[3][n];
        int[] frame = new int[n];
        int[] offsets = shotOffsets();
        int k = 0;
        for (int si = 0; si < segments.size(); si++) {
            Segment s = segments.get(si);
            int o = s.isGlobal() ? 0 : offsets[s.shot()];
            if (s.text()) {
                for (int j = 0; j < lTxt; j++, k++) {
                    seg[k] = si;
                    shot[k] = s.shot();
                    chunk[k] = 0;
                    pos[0][k] = pos[1][k] = pos[2][k] = o + j;          // text on the diagonal
                    frame[k] = -1;
                }
            }
            int base = o + lTxt;
            for (int f = s.frameStart() / patchT; f < (s.frameStart() + s.nFrames()) / patchT; f++) {
                for (int h = 0; h < gridH; h++) {
                    for (int w = 0; w < gridW; w++, k++) {
                        seg[k] = si;
                        shot[k] = s.shot();
                        chunk[k] = (f * patchT) / chunkFrames;
                        video[k] = true;
                        pos[0][k] = base + f;
                        pos[1][k] = base + h;
                        pos[2][k] = base + w;
                        frame[k] = f * patchT;
                    }
                }
            }
        }
        return new TokenTable(seg, shot, chunk, video, pos[0], pos[1], pos[2], frame);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SceneLayout l && Arrays.equals(shotFrames, l.shotFrames) && hasGlobal == l.hasGlobal
                && segments.equals(l.segments) && gridH == l.gridH && gridW == l.gridW && lTxt == l.lTxt
                && chunkFrames == l.chunkFrames && patchT == l.patchT;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shotFrames) * 31 + segments.hashCode();
    }

    @Override
    public String toString() {
        return "SceneLayout" + Arrays.toString(shotFrames) + (hasGlobal ? "+global" : "") + segments;
    }
}
