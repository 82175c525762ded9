package dev.storyboard.inference.dit;

/** (shot, chunk) of every token of a query or key sequence: all that the attention masks look at. */
public record TokenIds(int[] shot, int[] chunk) {
    public TokenIds {
        if (shot.length != chunk.length) {
            throw new IllegalArgumentException("shot and chunk ids differ in length");
        }
    }

    public int size() {
        return shot.length;
    }

    public static TokenIds concat(TokenIds a, TokenIds b) {
        int[] s = new int[a.size() + b.size()];
        int[] c = new int[s.length];
        System.arraycopy(a.shot, 0, s, 0, a.size());
        System.arraycopy(b.shot, 0, s, a.size(), b.size());
        System.arraycopy(a.chunk, 0, c, 0, a.size());
        System.arraycopy(b.chunk, 0, c, a.size(), b.size());
        return new TokenIds(s, c);
    }

    public static TokenIds empty() {
        return new TokenIds(new int[0], new int[0]);
    }
}
