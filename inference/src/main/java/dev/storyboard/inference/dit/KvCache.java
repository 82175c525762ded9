package dev.storyboard.inference.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Post-RoPE keys and values of earlier tokens, per layer, plus the token table of those tokens (their
 * (shot, chunk) ids for masking and their RoPE positions for re-encoding), docs/STORYDIT.md §7.
 *
 * <p>{@code keys(l)}, {@code values(l)}: (Bc, nh, Nc, Dh) with Bc = 1 (broadcast over the batch, e.g.
 * CFG's two rows) or B. The arrays belong to the manager they were attached to (a session keeps them in
 * its own); {@link #close()} frees them.
 */
public final class KvCache implements AutoCloseable {
    private final List<NDArray> keys;
    private final List<NDArray> values;
    private final TokenTable tokens;
    private final int room;

    public KvCache(List<NDArray> keys, List<NDArray> values, TokenTable tokens) {
        this(keys, values, tokens, 0);
    }

    private KvCache(List<NDArray> keys, List<NDArray> values, TokenTable tokens, int room) {
        if (keys.size() != values.size()) {
            throw new IllegalArgumentException("keys and values differ in layer count");
        }
        this.keys = List.copyOf(keys);
        this.values = List.copyOf(values);
        this.tokens = Objects.requireNonNull(tokens);
        this.room = room;
    }

    /**
     * This cache laid out for repeated forwards of {@code newTokens} tokens with batch {@code batch} (the
     * denoising steps of one target): per layer one (batch, nh, Nc + newTokens, Dh) buffer whose first Nc
     * slots hold the cache. Each forward writes its new K/V into the tail in place instead of concatenating
     * cache ++ new (which would copy the whole cache twice per layer and step).
     */
    public KvCache withRoom(long batch, int newTokens, NDManager target) {
        List<NDArray> k = new ArrayList<>();
        List<NDArray> v = new ArrayList<>();
        for (int l = 0; l < layers(); l++) {
            k.add(roomy(keys.get(l), batch, newTokens, target));
            v.add(roomy(values.get(l), batch, newTokens, target));
        }
        return new KvCache(k, v, tokens, newTokens);
    }

    /**
     * A CFG pair laid out like {@link #withRoom}: row 0 holds {@code cond}, row 1 {@code uncond} — two
     * batch-1 caches of the same tokens that differ in what they were computed from (e.g. a shot's chunks
     * with and without its caption).
     */
    public static KvCache pairWithRoom(KvCache cond, KvCache uncond, int newTokens, NDManager target) {
        if (cond.size() != uncond.size() || cond.layers() != uncond.layers()) {
            throw new IllegalArgumentException("a CFG pair needs caches of the same tokens: " + cond.size() + " vs "
                    + uncond.size() + " tokens, " + cond.layers() + " vs " + uncond.layers() + " layers");
        }
        if (cond.batch() != 1 || uncond.batch() != 1) {
            throw new IllegalArgumentException("a CFG pair is made of batch-1 caches");
        }
        List<NDArray> k = new ArrayList<>();
        List<NDArray> v = new ArrayList<>();
        try (NDManager tmp = target.newSubManager()) {
            for (int l = 0; l < cond.layers(); l++) {
                k.add(roomy(rows(cond.keys(l), uncond.keys(l), tmp), 2, newTokens, target));
                v.add(roomy(rows(cond.values(l), uncond.values(l), tmp), 2, newTokens, target));
            }
        }
        return new KvCache(k, v, cond.tokens, newTokens);
    }

    /** (1, …) and (1, …) stacked as a (2, …) array owned by {@code tmp} (freed with it). */
    private static NDArray rows(NDArray row0, NDArray row1, NDManager tmp) {
        NDArray both = row0.concat(row1, 0);
        both.attach(tmp);
        return both;
    }

    private static NDArray roomy(NDArray a, long batch, int newTokens, NDManager target) {
        Shape s = a.getShape();
        NDArray buf = target.zeros(new Shape(batch, s.get(1), s.get(2) + newTokens, s.get(3)));
        buf.set(new NDIndex(":, :, 0:{}", s.get(2)), a.getShape().get(0) == batch ? a : a.broadcast(batch, s.get(1), s.get(2), s.get(3)));
        return buf;
    }

    /** Free slots at the end of every buffer for the next forward's tokens (0 = a plain cache). */
    public int room() {
        return room;
    }

    public int layers() {
        return keys.size();
    }

    public NDArray keys(int layer) {
        return keys.get(layer);
    }

    public NDArray values(int layer) {
        return values.get(layer);
    }

    /** Metadata of the cached tokens (positions are the real RoPE positions the keys were rotated with). */
    public TokenTable tokens() {
        return tokens;
    }

    public TokenIds ids() {
        return tokens.ids();
    }

    /** Cached tokens Nc. */
    public int size() {
        return tokens.size();
    }

    /** Batch rows of the cached arrays (1 = shared by every row of a forward). With room, the buffers' batch. */
    public long batch() {
        return keys.isEmpty() ? 1 : keys.get(0).getShape().get(0);
    }

    /** A compact copy in {@code target} (a forward's K/V are views of bigger arrays). */
    public KvCache copyTo(NDManager target) {
        List<NDArray> k = new ArrayList<>();
        List<NDArray> v = new ArrayList<>();
        for (int l = 0; l < layers(); l++) {
            k.add(keep(keys.get(l).duplicate(), target));
            v.add(keep(values.get(l).duplicate(), target));
        }
        return new KvCache(k, v, tokens);
    }

    /** The caches one after another on the token axis, copied into {@code target}; null and empty parts are skipped. */
    public static KvCache concat(List<KvCache> parts, NDManager target) {
        List<KvCache> present = parts.stream().filter(Objects::nonNull).filter(c -> c.size() > 0).toList();
        if (present.isEmpty()) {
            return null;
        }
        if (present.size() == 1) {
            return present.get(0).copyTo(target);
        }
        List<NDArray> k = new ArrayList<>();
        List<NDArray> v = new ArrayList<>();
        for (int l = 0; l < present.get(0).layers(); l++) {
            NDList ks = new NDList();
            NDList vs = new NDList();
            for (KvCache c : present) {
                ks.add(c.keys(l));
                vs.add(c.values(l));
            }
            k.add(keep(NDArrays.concat(ks, 2), target));
            v.add(keep(NDArrays.concat(vs, 2), target));
        }
        TokenTable table = present.get(0).tokens;
        for (KvCache c : present.subList(1, present.size())) {
            table = table.concat(c.tokens);
        }
        return new KvCache(k, v, table);
    }

    /** The cached tokens at {@code index} (token indices, in order), copied into {@code target}. */
    public KvCache select(int[] index, NDManager target) {
        if (isIdentity(index)) {
            return copyTo(target);
        }
        List<NDArray> k = new ArrayList<>();
        List<NDArray> v = new ArrayList<>();
        long[] idx = new long[index.length];
        for (int i = 0; i < index.length; i++) {
            idx[i] = index[i];
        }
        try (NDManager tmp = target.newSubManager()) {
            NDArray sel = tmp.create(idx);
            for (int l = 0; l < layers(); l++) {
                k.add(keep(keys.get(l).get(tmp, new NDIndex(":, :, {}", sel)), target));
                v.add(keep(values.get(l).get(tmp, new NDIndex(":, :, {}", sel)), target));
            }
        }
        return new KvCache(k, v, tokens.select(index));
    }

    private boolean isIdentity(int[] index) {
        if (index.length != size()) {
            return false;
        }
        for (int i = 0; i < index.length; i++) {
            if (index[i] != i) {
                return false;
            }
        }
        return true;
    }

    /**
     * Re-encodes positions: every key of token j is rotated further by (dT[j], dH[j], dW[j]) — RoPE
     * rotations compose, so the key then looks as if it had been computed at its position + Δ. Values
     * carry no position and are shared. Returns a new cache in {@code target}; positions in its table are
     * the shifted ones.
     */
    public KvCache shifted(int[] dT, int[] dH, int[] dW, InterleavedRope3d rope, NDArray rotateHalf, NDManager target) {
        List<NDArray> k = new ArrayList<>();
        List<NDArray> v = new ArrayList<>();
        try (NDManager tmp = target.newSubManager()) {
            InterleavedRope3d.Tables tables = rope.tables(tmp, dT, dH, dW);
            for (int l = 0; l < layers(); l++) {
                NDArray key = keys.get(l);
                key.tempAttach(tmp);
                k.add(keep(InterleavedRope3d.apply(key, tables, rotateHalf), target));
                v.add(keep(values.get(l).duplicate(), target));
            }
        }
        int n = size();
        int[] pt = new int[n];
        int[] ph = new int[n];
        int[] pw = new int[n];
        for (int j = 0; j < n; j++) {
            pt[j] = tokens.posT()[j] + dT[j];
            ph[j] = tokens.posH()[j] + dH[j];
            pw[j] = tokens.posW()[j] + dW[j];
        }
        return new KvCache(k, v, new TokenTable(tokens.segment(), tokens.shot(), tokens.chunk(), tokens.isVideo(), pt, ph, pw,
                tokens.frame()));
    }

    /** Moves the arrays (no copy) to {@code target}: for committing job-owned caches to a session. */
    public KvCache attachTo(NDManager target) {
        keys.forEach(a -> a.attach(target));
        values.forEach(a -> a.attach(target));
        return this;
    }

    private static NDArray keep(NDArray a, NDManager target) {
        a.attach(target);
        return a;
    }

    /** Bytes held by the key and value arrays. */
    public long bytes() {
        long n = 0;
        for (int l = 0; l < layers(); l++) {
            n += keys.get(l).size() * 4L + values.get(l).size() * 4L;
        }
        return n;
    }

    @Override
    public void close() {
        keys.forEach(NDArray::close);
        values.forEach(NDArray::close);
    }
}
