package dev.storyboard.inference.dit;

import java.util.Arrays;

/**
 * Per-token metadata of one forward (arrays of length N): the segment (selects the timestep / modulation),
 * shot (−1 = global caption), chunk (text → 0, frame f → f / chunk_frames), whether it is a video token,
 * the (t, h, w) RoPE position, and the latent frame index inside its shot (−1 for text; camera RoPE moves a video
 * token's position by how far the camera has gone at that frame). A {@link KvCache} keeps the table of its tokens.
 */
public record TokenTable(int[] segment, int[] shot, int[] chunk, boolean[] isVideo, int[] posT, int[] posH, int[] posW,
                         int[] frame) {
    public int size() {
        return segment.length;
    }

    /** The (shot, chunk) ids the attention masks need. */
    public TokenIds ids() {
        return new TokenIds(shot, chunk);
    }

    public static TokenTable empty() {
        return new TokenTable(new int[0], new int[0], new int[0], new boolean[0], new int[0], new int[0], new int[0],
                new int[0]);
    }

    /** This table followed by {@code other}. */
    public TokenTable concat(TokenTable other) {
        return new TokenTable(cat(segment, other.segment), cat(shot, other.shot), cat(chunk, other.chunk),
                cat(isVideo, other.isVideo), cat(posT, other.posT), cat(posH, other.posH), cat(posW, other.posW),
                cat(frame, other.frame));
    }

    /** The rows at {@code index}. */
    public TokenTable select(int[] index) {
        int n = index.length;
        int[] sg = new int[n];
        int[] sh = new int[n];
        int[] ch = new int[n];
        boolean[] v = new boolean[n];
        int[] pt = new int[n];
        int[] ph = new int[n];
        int[] pw = new int[n];
        int[] fr = new int[n];
        for (int i = 0; i < n; i++) {
            int j = index[i];
            sg[i] = segment[j];
            sh[i] = shot[j];
            ch[i] = chunk[j];
            v[i] = isVideo[j];
            pt[i] = posT[j];
            ph[i] = posH[j];
            pw[i] = posW[j];
            fr[i] = frame[j];
        }
        return new TokenTable(sg, sh, ch, v, pt, ph, pw, fr);
    }

    private static int[] cat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static boolean[] cat(boolean[] a, boolean[] b) {
        boolean[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
