package dev.storyboard.inference.session;

import ai.djl.ndarray.NDManager;
import dev.storyboard.inference.dit.KvCache;
import dev.storyboard.inference.dit.TokenTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cached K/V of one shot as the forwards produced them: one part per chunk for a streamed shot, one
 * part for a shot encoded at once. Parts are never concatenated in place, so appending a chunk costs
 * nothing and a windowed context copies only the parts it keeps.
 */
final class ShotKv implements AutoCloseable {
    private final List<KvCache> parts = new ArrayList<>();
    private TokenTable tokens = TokenTable.empty();

    static ShotKv of(KvCache part) {
        ShotKv s = new ShotKv();
        s.add(part);
        return s;
    }

    /** A new list holding the same parts (sharing them). */
    ShotKv shallowCopy() {
        ShotKv s = new ShotKv();
        parts.forEach(s::add);
        return s;
    }

    void add(KvCache part) {
        parts.add(part);
        tokens = tokens.concat(part.tokens());
    }

    List<KvCache> parts() {
        return List.copyOf(parts);
    }

    TokenTable tokens() {
        return tokens;
    }

    int size() {
        return tokens.size();
    }

    /**
     * The tokens at {@code index} (sorted indices into {@link #tokens()}) as caches: fully kept parts are
     * returned as they are (no copy), partly kept ones as selections in {@code scope}.
     */
    List<KvCache> select(int[] index, NDManager scope) {
        List<KvCache> out = new ArrayList<>();
        int start = 0;
        int k = 0;
        for (KvCache part : parts) {
            int end = start + part.size();
            int from = k;
            while (k < index.length && index[k] < end) {
                k++;
            }
            int n = k - from;
            if (n == part.size()) {
                out.add(part);
            } else if (n > 0) {
                int[] local = Arrays.copyOfRange(index, from, k);
                for (int i = 0; i < local.length; i++) {
                    local[i] -= start;
                }
                out.add(part.select(local, scope));
            }
            start = end;
        }
        return out;
    }

    long bytes() {
        return parts.stream().mapToLong(KvCache::bytes).sum();
    }

    /** Closes the parts (only call on a list that owns them). */
    @Override
    public void close() {
        parts.forEach(KvCache::close);
        parts.clear();
        tokens = TokenTable.empty();
    }
}
