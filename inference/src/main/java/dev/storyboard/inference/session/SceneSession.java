package dev.storyboard.inference.session;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.inference.config.SamplerConfig;
import dev.storyboard.inference.config.StoryDiTConfig;
import dev.storyboard.inference.dit.AttentionMask;
import dev.storyboard.inference.dit.CaptionCondition;
import dev.storyboard.inference.dit.KvCache;
import dev.storyboard.inference.dit.SceneLayout;
import dev.storyboard.inference.dit.Segment;
import dev.storyboard.inference.dit.SegmentConditions;
import dev.storyboard.inference.dit.ShotLabel;
import dev.storyboard.inference.dit.StoryDiT;
import dev.storyboard.inference.model.StoryboardModel;
import dev.storyboard.inference.sampler.FlowMatchSampler;
import dev.storyboard.inference.sampler.VelocityField;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One scene being directed: an optional global caption and shots in timeline order, each with its
 * caption, its clean latents and — once finished — its K/V computed <b>once</b> at the context noise level
 * t_c and cached (docs/STORYDIT.md §7). Generating shot k reuses the caches of shots &lt; k; extending a
 * shot continues from its cached chunks and computes only the new frames.
 *
 * <p>Operations ({@link #generateShot}, {@link #extendShot}) are all-or-nothing: their results are
 * committed only at the end, so a cancelled or failed operation leaves the session exactly as it was.
 * They report which later shots' caches they invalidated (those shots were made against the old
 * context). Deterministic: the same inputs and seed give the same latents ({@link GaussianNoise}).
 *
 * <p>A {@code shot_cond} model also reads each shot's camera / shot-size labels ({@link ShotLabel}) on every
 * segment of that shot (its text segment, its chunks, extensions, cached context); the global caption's are null,
 * and CFG's unconditional row drops the target's labels together with its caption. Other models ignore them.
 *
 * <p>Not thread-safe: use it from one thread (the service's inference thread). Frame counts are whole
 * chunks ({@code chunk_frames} latent frames); requests are rounded up.
 */
public final class SceneSession implements AutoCloseable {

    /** Session settings. */
    public record Options(ContextMode mode, LongContextPolicy longContext, boolean recompute, boolean decode,
                          ChunkGuidance chunkGuidance) {
        public Options {
            Objects.requireNonNull(mode);
            Objects.requireNonNull(longContext);
            Objects.requireNonNull(chunkGuidance);
        }

        /** With the default chunk guidance ({@link ChunkGuidance#FIRST_CHUNK}). */
        public Options(ContextMode mode, LongContextPolicy longContext, boolean recompute, boolean decode) {
            this(mode, longContext, recompute, decode, ChunkGuidance.FIRST_CHUNK);
        }

        /** Chunk-causal streaming, default long-context policy, KV cache, decoding on, guidance on first chunks. */
        public static Options defaults() {
            return new Options(ContextMode.CHUNK_CAUSAL, LongContextPolicy.defaults(), false, true);
        }

        public Options withMode(ContextMode m) {
            return new Options(m, longContext, recompute, decode, chunkGuidance);
        }

        public Options withLongContext(LongContextPolicy p) {
            return new Options(mode, p, recompute, decode, chunkGuidance);
        }

        /** true: no KV cache, every forward holds the whole context (the reference for equivalence tests). */
        public Options withRecompute(boolean r) {
            return new Options(mode, longContext, r, decode, chunkGuidance);
        }

        public Options withDecode(boolean d) {
            return new Options(mode, longContext, recompute, d, chunkGuidance);
        }

        public Options withChunkGuidance(ChunkGuidance g) {
            return new Options(mode, longContext, recompute, decode, g);
        }

        /** Guidance on every chunk: later chunks need the shot's null-caption stream. */
        boolean everyChunk() {
            return chunkGuidance == ChunkGuidance.EVERY_CHUNK;
        }
    }

    /**
     * What to generate: caption token rows (n × 384, n ≤ l_txt), length, seed, guidance, steps (0 = default) and
     * the shot's labels (shot_cond models; {@link ShotLabel#NULL} otherwise).
     */
    public record ShotRequest(float[][] caption, int frames, long seed, double guidance, int steps, ShotLabel label) {
        /** Without shot labels. */
        public ShotRequest(float[][] caption, int frames, long seed, double guidance, int steps) {
            this(caption, frames, seed, guidance, steps, ShotLabel.NULL);
        }

        public ShotRequest {
            Objects.requireNonNull(caption, "caption");
            Objects.requireNonNull(label, "label");
            if (frames <= 0) {
                throw new IllegalArgumentException("frames must be > 0, was " + frames);
            }
            if (steps < 0) {
                throw new IllegalArgumentException("steps must be >= 0, was " + steps);
            }
        }
    }

    /** A finished shot given to the session as context (e.g. a take generated earlier), with its shot labels. */
    public record ShotContent(float[][] caption, float[] latents, int frames, long seed, String tag, ShotLabel label) {
        /** Without shot labels. */
        public ShotContent(float[][] caption, float[] latents, int frames, long seed, String tag) {
            this(caption, latents, frames, seed, tag, ShotLabel.NULL);
        }

        public ShotContent {
            Objects.requireNonNull(caption, "caption");
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(latents, "latents");
            Objects.requireNonNull(tag, "tag");
        }
    }

    /** Outcome of an operation. */
    public record Result(int shot, float[] latents, int frames, int firstNewFrame, List<Integer> staleShots) {}

    private static final class ShotEntry {
        final float[] text;            // l_txt · text_dim, zero-padded caption rows
        final ShotLabel label;         // camera / shot-size labels of every segment of the shot
        float[] latents;               // frames · C·H·W, clean DiT latents
        int frames;
        final long seed;               // context re-noising draws from this seed
        String tag;
        ShotKv cache;                  // K/V of the whole shot at t_c under the session mask; null = not computed

        ShotEntry(float[] text, ShotLabel label, float[] latents, int frames, long seed, String tag) {
            this.text = text;
            this.label = label;
            this.latents = latents;
            this.frames = frames;
            this.seed = seed;
            this.tag = tag;
        }

        void dropCache() {
            if (cache != null) {
                cache.close();
                cache = null;
            }
        }
    }

    private final StoryboardModel model;
    private final StoryDiT dit;
    private final StoryDiTConfig cfg;
    private final SamplerConfig samplerDefaults;
    private final Options options;
    private final NDManager manager;
    private final NDArray rotateHalf;
    private final int frameSize;
    private float[] globalText;              // null = no global caption
    private KvCache globalCache;
    private final List<ShotEntry> shots = new ArrayList<>();
    private int lastContextTokens;

    public SceneSession(StoryboardModel model, NDManager root, Options options) {
        this.model = model;
        this.dit = model.dit();
        this.cfg = model.config().dit();
        this.samplerDefaults = model.config().sampler();
        this.options = options;
        this.manager = root.newSubManager();
        this.rotateHalf = manager.create(dit.rope().rotateHalfMatrix(), new Shape(cfg.headDim(), cfg.headDim()));
        this.frameSize = cfg.latentFrameSize();
    }

    public Options options() {
        return options;
    }

    public StoryDiTConfig config() {
        return cfg;
    }

    // ------------------------------------------------------------------------------------------------
    // scene state
    // ------------------------------------------------------------------------------------------------

    /** Sets (or clears, with null / no rows) the global caption; a change invalidates every cache. */
    public void setGlobalCaption(float[][] caption) {
        float[] text = caption == null || caption.length == 0 ? null : padText(caption);
        if (Arrays.equals(text, globalText)) {
            return;
        }
        globalText = text;
        if (globalCache != null) {
            globalCache.close();
            globalCache = null;
        }
        invalidateFrom(0);
    }

    public int shotCount() {
        return shots.size();
    }

    public int frames(int shot) {
        return shots.get(shot).frames;
    }

    public float[] latents(int shot) {
        return shots.get(shot).latents.clone();
    }

    public String tag(int shot) {
        return shots.get(shot).tag;
    }

    /** Names shot i's current content (what {@link #putShot} compares); keeps its cache. */
    public void setTag(int shot, String tag) {
        shots.get(shot).tag = Objects.requireNonNull(tag);
    }

    /** Whether shot i's K/V are cached and valid. */
    public boolean isCached(int shot) {
        return shots.get(shot).cache != null;
    }

    /** Latent frames rounded up to whole chunks. */
    public int roundToChunks(int frames) {
        int cf = cfg.chunkFrames();
        return (frames + cf - 1) / cf * cf;
    }

    /**
     * Puts a finished shot at {@code index} (≤ shotCount) as context. The tag names everything the shot is
     * conditioned on (latents, caption, labels): when the shot there already has the same tag and frame count
     * nothing happens (its cache stays); otherwise it is replaced and the caches of it and every later shot are
     * invalidated. Returns the invalidated later shots.
     */
    public List<Integer> putShot(int index, ShotContent content) {
        if (index < 0 || index > shots.size()) {
            throw new IndexOutOfBoundsException("shot " + index + " of " + shots.size());
        }
        if (content.frames() <= 0 || content.frames() % cfg.chunkFrames() != 0) {
            throw new IllegalArgumentException("a shot holds whole chunks of " + cfg.chunkFrames() + " frames, got " + content.frames());
        }
        if (content.latents().length != content.frames() * frameSize) {
            throw new IllegalArgumentException("latents hold " + content.latents().length + " floats, expected "
                    + content.frames() * frameSize);
        }
        if (index < shots.size()) {
            ShotEntry old = shots.get(index);
            if (old.tag.equals(content.tag()) && old.frames == content.frames()) {
                return List.of();
            }
        }
        ShotEntry e = new ShotEntry(padText(content.caption()), content.label(), content.latents().clone(), content.frames(),
                content.seed(), content.tag());
        return replace(index, e);
    }

    /** Drops shots ≥ n. */
    public void truncate(int n) {
        while (shots.size() > n) {
            shots.remove(shots.size() - 1).dropCache();
        }
    }

    private List<Integer> replace(int index, ShotEntry e) {
        List<Integer> stale = new ArrayList<>();
        for (int j = index + 1; j < shots.size(); j++) {
            stale.add(j);
        }
        invalidateFrom(index);
        if (index == shots.size()) {
            shots.add(e);
        } else {
            shots.set(index, e).dropCache();
        }
        return stale;
    }

    private void invalidateFrom(int index) {
        for (int j = index; j < shots.size(); j++) {
            shots.get(j).dropCache();
        }
    }

    // ------------------------------------------------------------------------------------------------
    // operations
    // ------------------------------------------------------------------------------------------------

    /**
     * Generates shot {@code index} (append when index == shotCount, else regenerate: the shot is replaced
     * and the caches of later shots are invalidated, reported in {@link Result#staleShots()}).
     */
    public Result generateShot(int index, ShotRequest request, ChunkListener listener, CancellationToken cancel) {
        if (index < 0 || index > shots.size()) {
            throw new IndexOutOfBoundsException("shot " + index + " of " + shots.size());
        }
        JniUtils.setGradMode(false);
        int frames = roundToChunks(request.frames());
        float[] text = padText(request.caption());
        FlowMatchSampler sampler = sampler(request.steps());
        ensureCaches(index, cancel);
        int[] shotFrames = shotFramesWith(index, frames);
        SceneLayout real = dit.layoutFor(shotFrames, globalText != null);
        ShotEntry fresh = new ShotEntry(text, request.label(), new float[frames * frameSize], frames, request.seed(), "");
        try (NDManager job = manager.newSubManager()) {
            if (options.mode() == ContextMode.CHUNK_CAUSAL) {
                streamChunks(job, real, index, fresh, 0, frames, request.seed(), request.guidance(), sampler, listener, cancel);
            } else {
                wholeShot(job, real, index, fresh, request.guidance(), sampler, listener, cancel);
            }
            cancel(cancel);
            // commit (nothing above touched the session's state)
            if (fresh.cache != null) {
                fresh.cache.parts().forEach(part -> part.attachTo(manager));       // job-owned → session-owned
            }
            List<Integer> stale = replace(index, fresh);
            return new Result(index, fresh.latents.clone(), frames, 0, stale);
        }
    }

    /**
     * Extends shot {@code index} by {@code frames} (rounded up to chunks), chunk-causally from its cached
     * chunks; only the new frames are computed. Later shots' caches are invalidated (their RoPE offsets
     * move) and reported.
     */
    public Result extendShot(int index, int frames, long seed, double guidance, int steps, ChunkListener listener,
                             CancellationToken cancel) {
        if (index < 0 || index >= shots.size()) {
            throw new IndexOutOfBoundsException("shot " + index + " of " + shots.size());
        }
        if (frames <= 0) {
            throw new IllegalArgumentException("frames must be > 0, was " + frames);
        }
        JniUtils.setGradMode(false);
        int added = roundToChunks(frames);
        FlowMatchSampler sampler = sampler(steps);
        ensureCaches(index + 1, cancel);
        ShotEntry old = shots.get(index);
        int total = old.frames + added;
        int[] shotFrames = shotFramesWith(index, total);
        SceneLayout real = dit.layoutFor(shotFrames, globalText != null);
        // context noise keeps the shot's own seed (so a recomputed cache equals this one); new frames start
        // from the extension seed's INITIAL noise
        ShotEntry grown = new ShotEntry(old.text, old.label, Arrays.copyOf(old.latents, total * frameSize), total, old.seed, old.tag);
        try (NDManager job = manager.newSubManager()) {
            List<KvCache> newParts = new ArrayList<>();
            if (options.mode() == ContextMode.CONTEXT_CAUSAL) {
                // the shot's own tokens must be chunk-causal for the extension: re-encode them once
                grown.cache = ShotKv.of(encodeContext(job, real, index, old, 0, old.frames, true, AttentionMask.CHUNK_CAUSAL,
                        prefixFor(job, real, index, 0, null), old.seed, false).copyTo(job));
            } else {
                grown.cache = old.cache == null ? null : old.cache.shallowCopy();   // shares the session-owned parts
            }
            int sharedParts = grown.cache == null ? 0 : grown.cache.parts().size();
            streamChunks(job, real, index, grown, old.frames, added, seed, guidance, sampler, listener, cancel);
            cancel(cancel);
            // commit: the shot keeps its tag and original context-noise seed for already cached frames
            List<Integer> stale = new ArrayList<>();
            for (int j = index + 1; j < shots.size(); j++) {
                stale.add(j);
            }
            invalidateFrom(index + 1);
            old.latents = grown.latents;
            old.frames = total;
            if (options.mode() == ContextMode.CHUNK_CAUSAL && grown.cache != null) {
                List<KvCache> parts = grown.cache.parts();
                parts.subList(sharedParts, parts.size()).forEach(part -> part.attachTo(manager));
                old.cache = grown.cache;
            } else {
                old.dropCache();                                          // recomputed under context_causal when needed
            }
            return new Result(index, grown.latents.clone(), total, total - added, stale);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // the two denoising flows
    // ------------------------------------------------------------------------------------------------

    /**
     * Chunk-causal streaming: frames [from, from + count) of shot {@code index}, one chunk at a time. Each
     * chunk is denoised against (global ++ earlier shots ++ this shot's earlier chunks) at t_c, decoded and
     * handed to the listener, then encoded at t_c and appended to {@code entry.cache} (job-owned).
     *
     * <p>With {@link ChunkGuidance#EVERY_CHUNK} the shot's earlier chunks are also kept encoded without its
     * caption ({@code nullStream}, job-owned, dropped at the end): the unconditional pass of every later chunk
     * attends to them, so it is a true unconditional pass. An extension builds that stream once from the
     * shot's old frames.
     */
    private void streamChunks(NDManager job, SceneLayout real, int index, ShotEntry entry, int from, int count,
                              long initialSeed, double guidance, FlowMatchSampler sampler, ChunkListener listener, CancellationToken cancel) {
        int cf = cfg.chunkFrames();
        int chunks = count / cf;
        boolean cached = !options.recompute();
        ShotKv nullStream = null;
        if (cached && options.everyChunk() && from > 0) {
            cancel(cancel);
            nullStream = ShotKv.of(encodeContext(job, real, index, entry, 0, from, true, AttentionMask.CHUNK_CAUSAL,
                    prefixFor(job, real, index, 0, null), entry.seed, true).copyTo(job));
        }
        for (int c = 0; c < chunks; c++) {
            int start = from + c * cf;
            int chunkIndex = start / cf;
            boolean withText = start == 0;
            Segment target = withText ? Segment.wholeShot(index, cf) : Segment.frames(index, start, cf);
            float[] x;
            try (NDManager chunkScope = job.newSubManager()) {
                Context ctx = context(chunkScope, real, index, chunkIndex, entry, nullStream);
                int chunkNo = c;
                x = denoise(chunkScope, real, ctx, target, entry, initialSeed, start, cf, guidance, sampler,
                        AttentionMask.CHUNK_CAUSAL, (step, steps) -> listener.progress(chunkNo, chunks, step, steps), cancel);
            }
            System.arraycopy(x, 0, entry.latents, start * frameSize, cf * frameSize);
            deliver(job, listener, index, start, x, cf);
            if (!cached) {
                continue;                                                 // full recompute needs no cache
            }
            cancel(cancel);
            try (NDManager chunkScope = job.newSubManager()) {
                KvCache prefix = prefixFor(chunkScope, real, index, chunkIndex, entry.cache);
                KvCache chunkKv = encodeContext(chunkScope, real, index, entry, start, cf, withText,
                        AttentionMask.CHUNK_CAUSAL, prefix, entry.seed, false).copyTo(job);
                if (entry.cache == null) {
                    entry.cache = new ShotKv();
                }
                entry.cache.add(chunkKv);
                if (options.everyChunk() && c < chunks - 1) {              // the last chunk's is never attended to here
                    KvCache nullPrefix = prefixFor(chunkScope, real, index, chunkIndex, nullStream);
                    KvCache nullKv = encodeContext(chunkScope, real, index, entry, start, cf, withText,
                            AttentionMask.CHUNK_CAUSAL, nullPrefix, entry.seed, true).copyTo(job);
                    if (nullStream == null) {
                        nullStream = new ShotKv();
                    }
                    nullStream.add(nullKv);
                }
            }
        }
    }

    /** Context-causal: the whole shot as one segment, then its chunks decoded in order. */
    private void wholeShot(NDManager job, SceneLayout real, int index, ShotEntry entry, double guidance,
                           FlowMatchSampler sampler, ChunkListener listener, CancellationToken cancel) {
        int frames = entry.frames;
        float[] x;
        try (NDManager scope = job.newSubManager()) {
            Context ctx = context(scope, real, index, 0, null, null);
            x = denoise(scope, real, ctx, Segment.wholeShot(index, frames), entry, entry.seed, 0, frames, guidance,
                    sampler, AttentionMask.CONTEXT_CAUSAL, (step, steps) -> listener.progress(0, 1, step, steps), cancel);
        }
        System.arraycopy(x, 0, entry.latents, 0, x.length);
        int cf = cfg.chunkFrames();
        for (int start = 0; start < frames; start += cf) {
            deliver(job, listener, index, start, Arrays.copyOfRange(x, start * frameSize, (start + cf) * frameSize), cf);
        }
        if (!options.recompute()) {
            cancel(cancel);
            try (NDManager scope = job.newSubManager()) {
                KvCache prefix = prefixFor(scope, real, index, 0, null);
                KvCache kv = encodeContext(scope, real, index, entry, 0, frames, true, AttentionMask.CONTEXT_CAUSAL, prefix,
                        entry.seed, false);
                entry.cache = ShotKv.of(kv.copyTo(job));
            }
        }
    }

    private void deliver(NDManager job, ChunkListener listener, int shot, int start, float[] latents, int frames) {
        List<VideoFrame> decoded = List.of();
        if (options.decode()) {
            try (NDManager scope = job.newSubManager()) {
                NDArray z = scope.create(latents, new Shape(frames, cfg.latentChannels(), cfg.latentH(), cfg.latentW()));
                decoded = model.codec().decodeFrames(scope, z);
            }
        }
        listener.chunk(shot, start, latents, decoded);
    }

    // ------------------------------------------------------------------------------------------------
    // context: cached (KV) or inline (full recompute)
    // ------------------------------------------------------------------------------------------------

    /**
     * The context a target forward sees: a KV cache, or inline segments (full recompute). {@code nullCache}
     * (cached) is the same context with the target shot's earlier chunks taken from its null-caption stream;
     * {@code ownText} (inline) is the text index of those chunks' caption, zeroed in the unconditional row.
     * Both are absent (null / −1) unless the target continues a shot under {@link ChunkGuidance#EVERY_CHUNK}.
     */
    private record Context(KvCache cache, KvCache nullCache, List<Segment> segments, float[] latents, int latentFrames,
                           float[] text, int textSegments, float[] t, int ownText) {
        static Context cached(KvCache cache, KvCache nullCache) {
            return new Context(cache, nullCache, List.of(), new float[0], 0, new float[0], 0, new float[0], -1);
        }
    }

    private Context context(NDManager scope, SceneLayout real, int index, int chunkIndex, ShotEntry current, ShotKv nullStream) {
        if (!options.recompute()) {
            KvCache cache = prefixFor(scope, real, index, chunkIndex, current == null ? null : current.cache);
            KvCache nullCache = nullStream == null || chunkIndex == 0 ? null
                    : prefixFor(scope, real, index, chunkIndex, nullStream);
            return Context.cached(cache, nullCache);
        }
        // inline: [global] + whole earlier shots at t_c + this shot's text and earlier chunks at t_c
        List<Segment> segs = new ArrayList<>();
        List<float[]> lat = new ArrayList<>();
        List<float[]> txt = new ArrayList<>();
        List<Float> ts = new ArrayList<>();
        if (globalText != null) {
            segs.add(Segment.globalCaption());
            txt.add(globalText);
            ts.add(0f);
        }
        for (int j = 0; j < index; j++) {
            ShotEntry s = shots.get(j);
            segs.add(Segment.wholeShot(j, s.frames));
            txt.add(s.text);
            lat.add(renoise(s.latents, s.seed, 0, s.frames));
            ts.add((float) samplerDefaults.tContext());
        }
        int ownText = -1;
        if (current != null && chunkIndex > 0) {
            int f = chunkIndex * cfg.chunkFrames();
            segs.add(new Segment(index, true, 0, f));
            if (options.everyChunk()) {
                ownText = txt.size();
            }
            txt.add(current.text);
            lat.add(renoise(Arrays.copyOf(current.latents, f * frameSize), current.seed, 0, f));
            ts.add((float) samplerDefaults.tContext());
        }
        float[] t = new float[ts.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = ts.get(i);
        }
        float[] latents = concat(lat);
        return new Context(null, null, segs, latents, latents.length / frameSize, concat(txt), txt.size(), t, ownText);
    }

    /** Cache of (global ++ shots < index ++ shot index's chunks < chunkIndex), windowed by the policy, in scope. */
    private KvCache prefixFor(NDManager scope, SceneLayout real, int index, int chunkIndex, ShotKv current) {
        List<ShotKv> earlier = new ArrayList<>();
        for (int j = 0; j < index; j++) {
            earlier.add(shots.get(j).cache);
        }
        return new ContextWindow(options.longContext(), real).assemble(globalCache, earlier, current, index, chunkIndex,
                dit.rope(), rotateHalf, scope);
    }

    /** Computes missing caches of the global caption and shots < upTo, in order (each one forward). */
    private void ensureCaches(int upTo, CancellationToken cancel) {
        if (options.recompute()) {
            return;
        }
        if (globalText != null && globalCache == null) {
            cancel(cancel);
            try (NDManager scope = manager.newSubManager()) {
                SceneLayout layout = dit.layoutFor(shotFramesWith(-1, 0), true).withSegments(List.of(Segment.globalCaption()));
                NDArray text = scope.create(globalText, new Shape(1, 1, cfg.lTxt(), cfg.textDim()));
                globalCache = dit.forward(scope, null, text, new float[][] {{0f}}, layout, options.mode().mask(), null, true)
                        .newKv().copyTo(manager);
            }
        }
        for (int j = 0; j < upTo; j++) {
            ShotEntry s = shots.get(j);
            if (s.cache != null) {
                continue;
            }
            cancel(cancel);
            SceneLayout real = dit.layoutFor(shotFramesWith(j, s.frames), globalText != null);
            try (NDManager scope = manager.newSubManager()) {
                KvCache prefix = prefixFor(scope, real, j, 0, null);
                s.cache = ShotKv.of(encodeContext(scope, real, j, s, 0, s.frames, true, options.mode().mask(), prefix, s.seed, false)
                        .copyTo(manager));
            }
        }
    }

    /**
     * One forward of frames [start, start + n) of a shot (with its caption when {@code withText}) re-noised
     * to t_c: x = (1 − t_c)·z + t_c·ε, t = t_c; returns its K/V (batch 1) in scope. {@code nullCaption}: the
     * shot's caption is null (zero tokens, zero pooled caption, null shot labels) — its null-caption stream.
     */
    private KvCache encodeContext(NDManager scope, SceneLayout real, int index, ShotEntry entry, int start, int n,
                                  boolean withText, AttentionMask mask, KvCache prefix, long seed, boolean nullCaption) {
        float[] z = Arrays.copyOfRange(entry.latents, start * frameSize, (start + n) * frameSize);
        NDArray x = scope.create(renoise(z, seed, start, n), new Shape(1, n, cfg.latentChannels(), cfg.latentH(), cfg.latentW()));
        Segment seg = withText ? new Segment(index, true, start, n) : Segment.frames(index, start, n);
        float[] caption = nullCaption ? new float[entry.text.length] : entry.text;
        NDArray text = withText ? scope.create(caption, new Shape(1, 1, cfg.lTxt(), cfg.textDim())) : null;
        // a chunk without its caption tokens still carries the caption in its condition (caption_cond models)
        NDArray captions = cfg.captionCond()
                ? scope.create(CaptionCondition.pool(caption, cfg.textDim()), new Shape(1, 1, cfg.textDim())) : null;
        ShotLabel[][] labels = {{nullCaption ? ShotLabel.NULL : entry.label}};
        float tc = (float) samplerDefaults.tContext();
        return dit.forward(scope, x, text, new float[][] {{tc}}, real.withSegments(List.of(seg)), mask, prefix, true,
                new SegmentConditions(captions, labels)).newKv();
    }

    /** (1 − t_c)·z + t_c·ε with ε the shot's CONTEXT noise of frames [start, start + n). */
    private float[] renoise(float[] z, long seed, int start, int n) {
        float tc = (float) samplerDefaults.tContext();
        float keep = 1f - tc;
        float[] eps = GaussianNoise.frames(seed, GaussianNoise.Purpose.CONTEXT, start, n, frameSize);
        float[] out = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            out[i] = keep * z[i] + tc * eps[i];
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------
    // denoising one target segment with CFG
    // ------------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface StepProgress {
        void done(int step, int steps);
    }

    /**
     * Samples the target's frames [start, start + n) of a shot from its INITIAL noise. A guided target runs
     * CFG with cond and uncond in one batch of two (the uncond row has the target's caption zeroed, context
     * keeps its captions, a caption_cond model's uncond row also has the target's pooled caption zeroed and a
     * shot_cond model's the target's shot labels null; under
     * {@link ChunkGuidance#EVERY_CHUNK} a later chunk's uncond row attends to the shot's null-caption stream).
     * Under {@link ChunkGuidance#FIRST_CHUNK} only a shot's first chunk (the target with the caption) is
     * guided; others run one row at guidance 1. Returns the clean latents (n · C·H·W).
     */
    private float[] denoise(NDManager scope, SceneLayout real, Context ctx, Segment target, ShotEntry entry, long seed,
                            int start, int n, double guidance, FlowMatchSampler sampler, AttentionMask mask,
                            StepProgress progress, CancellationToken cancel) {
        float[] caption = entry.text;
        List<Segment> segs = new ArrayList<>(ctx.segments());
        segs.add(target);
        SceneLayout layout = real.withSegments(segs);
        lastContextTokens = ctx.cache() != null ? ctx.cache().size() : layout.nTokens() - layout.segmentTokens(target);
        boolean guided = target.text() || options.everyChunk();
        int rows = guided ? 2 : 1;
        int textSegments = ctx.textSegments() + (target.text() ? 1 : 0);
        int rowText = cfg.lTxt() * cfg.textDim();
        // text (rows, T, l, 384): row 0 = [context captions, target caption], row 1 = [context captions, zeros]
        // (and, with the null-caption stream, zeros for the target shot's earlier chunks too)
        float[] textRows = new float[rows * textSegments * rowText];
        for (int row = 0; row < rows; row++) {
            int base = row * textSegments * rowText;
            System.arraycopy(ctx.text(), 0, textRows, base, ctx.text().length);
            if (row == 1 && ctx.ownText() >= 0) {
                Arrays.fill(textRows, base + ctx.ownText() * rowText, base + (ctx.ownText() + 1) * rowText, 0f);
            }
            if (target.text() && row == 0) {
                System.arraycopy(caption, 0, textRows, base + ctx.textSegments() * rowText, rowText);
            }
        }
        NDArray text = textSegments == 0 ? null : scope.create(textRows, new Shape(rows, textSegments, cfg.lTxt(), cfg.textDim()));
        NDArray captions = cfg.captionCond() ? pooledCaptions(scope, segs, target, caption, ctx.ownText() >= 0, rows) : null;
        ShotLabel[][] labels = cfg.shotCond() ? shotLabels(segs, target, entry.label, ctx.ownText() >= 0, rows) : null;
        SegmentConditions conditions = new SegmentConditions(captions, labels);
        NDArray inline = ctx.latentFrames() == 0 ? null
                : scope.create(ctx.latents(), new Shape(1, ctx.latentFrames(), cfg.latentChannels(), cfg.latentH(), cfg.latentW()))
                        .broadcast(rows, ctx.latentFrames(), cfg.latentChannels(), cfg.latentH(), cfg.latentW());
        int g = segs.size();
        // the cache is the same for every step: lay it out once with room for the target's tokens
        KvCache stepCache = ctx.cache() == null ? null
                : rows == 2 && ctx.nullCache() != null ? KvCache.pairWithRoom(ctx.cache(), ctx.nullCache(), layout.segmentTokens(target), scope)
                : ctx.cache().withRoom(rows, layout.segmentTokens(target), scope);
        VelocityField batched = (xr, t) -> {
            float[][] tt = new float[rows][g];
            for (int row = 0; row < rows; row++) {
                System.arraycopy(ctx.t(), 0, tt[row], 0, ctx.t().length);
                tt[row][g - 1] = (float) t;
            }
            NDArray latents = xr;
            if (inline != null) {
                latents = inline.concat(xr, 1);
                latents.attach(xr.getManager());
            }
            NDArray v = dit.forward(xr.getManager(), latents, text, tt, layout, mask, stepCache, false, conditions).velocity();
            return inline == null ? v : v.get(new NDIndex(":, {}:", ctx.latentFrames()));
        };
        VelocityField field = guided ? FlowMatchSampler.guided(batched, guidance) : batched;
        Shape shape = new Shape(1, n, cfg.latentChannels(), cfg.latentH(), cfg.latentW());
        float[] x = GaussianNoise.frames(seed, GaussianNoise.Purpose.INITIAL, start, n, frameSize);
        for (int k = 0; k < sampler.steps(); k++) {
            cancel(cancel);
            try (NDManager step = scope.newSubManager()) {      // every array of this step dies here
                x = sampler.step(field, step.create(x, shape), k).toFloatArray();
            }
            progress.done(k + 1, sampler.steps());
        }
        return x;
    }

    /**
     * Pooled captions (rows, G, D) of a forward's segments: row 0 every segment's shot caption; a CFG row 1 the
     * same with the target's zeroed (the target is the last segment; its shot's caption is {@code targetCaption})
     * and, when {@code nullOwnShot}, every other segment of the target's shot too (its null-caption stream).
     */
    private NDArray pooledCaptions(NDManager scope, List<Segment> segs, Segment target, float[] targetCaption,
                                   boolean nullOwnShot, int rows) {
        int dim = cfg.textDim();
        int g = segs.size();
        float[] out = new float[rows * g * dim];
        for (int i = 0; i < g; i++) {
            Segment s = segs.get(i);
            boolean ownShot = !s.isGlobal() && s.shot() == target.shot();
            float[] tokens = s.isGlobal() ? globalText : ownShot ? targetCaption : shots.get(s.shot()).text;
            float[] pooled = CaptionCondition.pool(tokens, dim);
            System.arraycopy(pooled, 0, out, i * dim, dim);
            if (rows == 2 && i < g - 1 && !(nullOwnShot && ownShot)) {
                System.arraycopy(pooled, 0, out, (g + i) * dim, dim);
            }
        }
        return scope.create(out, new Shape(rows, g, dim));
    }

    /**
     * Shot labels (rows × G) of a forward's segments, as {@link #pooledCaptions}: row 0 every segment's shot labels
     * (null for the global caption); a CFG row 1 the same with the target's null and, when {@code nullOwnShot}, every
     * other segment of the target's shot too (its null-caption stream was encoded without them).
     */
    private ShotLabel[][] shotLabels(List<Segment> segs, Segment target, ShotLabel targetLabel, boolean nullOwnShot,
                                     int rows) {
        int g = segs.size();
        ShotLabel[][] out = new ShotLabel[rows][g];
        for (int i = 0; i < g; i++) {
            Segment s = segs.get(i);
            boolean ownShot = !s.isGlobal() && s.shot() == target.shot();
            ShotLabel label = s.isGlobal() ? ShotLabel.NULL : ownShot ? targetLabel : shots.get(s.shot()).label;
            out[0][i] = label;
            if (rows == 2) {
                out[1][i] = i == g - 1 || (nullOwnShot && ownShot) ? ShotLabel.NULL : label;
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------
    // helpers
    // ------------------------------------------------------------------------------------------------

    private FlowMatchSampler sampler(int steps) {
        return new FlowMatchSampler(FlowMatchSampler.Method.parse(samplerDefaults.sampler()),
                steps > 0 ? steps : samplerDefaults.steps(), samplerDefaults.shift());
    }

    /** Frame counts of shots 0..index−1 and {@code frames} for shot index (positions need no later shots). */
    private int[] shotFramesWith(int index, int frames) {
        int[] out = new int[Math.max(index + 1, 0)];
        for (int j = 0; j < index; j++) {
            out[j] = shots.get(j).frames;
        }
        if (index >= 0) {
            out[index] = frames;
        }
        return out;
    }

    private float[] padText(float[][] rows) {
        if (rows.length > cfg.lTxt()) {
            throw new IllegalArgumentException("caption has " + rows.length + " token rows, the model takes at most " + cfg.lTxt());
        }
        float[] out = new float[cfg.lTxt() * cfg.textDim()];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cfg.textDim()) {
                throw new IllegalArgumentException("caption row " + i + " has " + rows[i].length + " values, expected " + cfg.textDim());
            }
            System.arraycopy(rows[i], 0, out, i * cfg.textDim(), cfg.textDim());
        }
        return out;
    }

    private static float[] concat(List<float[]> parts) {
        int n = parts.stream().mapToInt(a -> a.length).sum();
        float[] out = new float[n];
        int o = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    private static void cancel(CancellationToken token) {
        if (token.isCancelled()) {
            throw new CancelledException();
        }
    }

    /** Context tokens (cached keys, or inline tokens when recomputing) the last denoised target attended to. */
    public int lastContextTokens() {
        return lastContextTokens;
    }

    /** Bytes of cached K/V held by the session. */
    public long cachedBytes() {
        long n = globalCache == null ? 0 : globalCache.bytes();
        for (ShotEntry s : shots) {
            n += s.cache == null ? 0 : s.cache.bytes();
        }
        return n;
    }

    /** Arrays the session's own manager holds (caches and constants), for leak checks. */
    public int managedArrays() {
        return manager.getManagedArrays().size();
    }

    @Override
    public void close() {
        manager.close();
    }
}
