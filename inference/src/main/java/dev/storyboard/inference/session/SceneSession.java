package dev.storyboard.inference.session;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.storyboard.inference.config.ContinuationAnchor;
import dev.storyboard.inference.config.SamplerConfig;
import dev.storyboard.inference.config.StoryDiTConfig;
import dev.storyboard.inference.dit.KvCache;
import dev.storyboard.inference.dit.SceneLayout;
import dev.storyboard.inference.dit.ShotLabel;
import dev.storyboard.inference.dit.StoryDiT;
import dev.storyboard.inference.layout.BoxPlanner;
import dev.storyboard.inference.model.StoryboardModel;
import dev.storyboard.inference.sampler.FlowMatchSampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

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
 * <p>An {@code actor_box_cond} model also reads the actor's box of every frame it computes ({@link ActorBoxes}): the
 * model's layout planner plans a shot's boxes from its caption and labels when its frames are made, frame k of F at
 * phase k / F; an extension plans its new frames at the shot's new length, and every frame keeps the box it was drawn
 * with, for its context too. A model that reads the planned silhouette ({@code actor_layout = "silhouette"}) reads,
 * in the same input, a silhouette drawn into each frame's box: of the scene's one kind, which its planner names from
 * all the scene's words together ({@link #setSceneWords}, {@link #sceneKind}), facing the way the planner names from
 * the shot's own caption. A model that reads the silhouette painted ({@code actor_layout = "painted"}) reads it painted
 * the scene's one colour, which its planner names from the same words by the same rule ({@link #sceneColour}). When the
 * scene's kind or colour changes, every shot is drawn with the new one and every shot's cache is invalidated.
 *
 * <p>A {@code prev_frame_cond} model also reads the previous frame ({@link PreviousFrame}): every denoising forward of
 * a target that does not begin its shot (a later chunk, an extension's first chunk, a seam-blending window) gives each
 * target frame the shot's final frame before the target, in both CFG rows, whether the continuation start is on or
 * not; a shot's first chunk and every context frame get none.
 *
 * <p>Not thread-safe: use it from one thread (the service's inference thread). Frame counts are whole
 * chunks ({@code chunk_frames} latent frames); requests are rounded up.
 *
 * <p>Structure. The session holds the {@link Scene} and commits operations; the work is done by small parts chosen
 * once, in the constructor. Production (the default {@link Options}) is one path: {@link CachedContext} (earlier
 * shots and chunks as K/V at t_c, assembled by {@link ContextEncoder}) and {@link ChunkCausalFlow} (chunk by chunk:
 * context → {@link TargetDenoiser} → deliver → append). The ablations replace one part each:
 * {@link RecomputedContext} ({@code recompute}), {@link NullCaptionContext} ({@link ChunkGuidance#EVERY_CHUNK}) and
 * {@link ContextCausalFlow} ({@link ContextMode#CONTEXT_CAUSAL}).
 */
public final class SceneSession implements AutoCloseable {

    /**
     * Session settings. {@code seamBlending}: how seams between a shot's chunks are sampled ({@link SeamBlending};
     * {@link SeamBlending#NONE}, the default, is the plain chunk loop); its overlap must be below the model's
     * chunk_frames, and it needs the cache (not {@code recompute}). {@code noisePrior}: the {@link ShotNoisePrior} new
     * frames start from; empty (the default) = the model's ({@code config.json → sampler.noise_correlation}).
     * {@code continuationStart}: where a target that continues its shot starts ({@link ContinuationStart}); empty (the
     * default) = the model's ({@code config.json → sampler.continuation_start}).
     */
    public record Options(ContextMode mode, LongContextPolicy longContext, boolean recompute, boolean decode,
                          ChunkGuidance chunkGuidance, SeamBlending seamBlending, Optional<ShotNoisePrior> noisePrior,
                          Optional<ContinuationStart> continuationStart) {
        public Options {
            Objects.requireNonNull(mode);
            Objects.requireNonNull(longContext);
            Objects.requireNonNull(chunkGuidance);
            Objects.requireNonNull(seamBlending);
            Objects.requireNonNull(noisePrior);
            Objects.requireNonNull(continuationStart);
            if (seamBlending.enabled() && recompute) {
                throw new IllegalArgumentException("blendOverlap needs the cached context; recompute is the equivalence "
                        + "reference of plain chunks only");
            }
        }

        /** Without seam blending. */
        public Options(ContextMode mode, LongContextPolicy longContext, boolean recompute, boolean decode,
                       ChunkGuidance chunkGuidance) {
            this(mode, longContext, recompute, decode, chunkGuidance, SeamBlending.NONE, Optional.empty(), Optional.empty());
        }

        /** With the model's noise prior. */
        public Options(ContextMode mode, LongContextPolicy longContext, boolean recompute, boolean decode,
                       ChunkGuidance chunkGuidance, SeamBlending seamBlending) {
            this(mode, longContext, recompute, decode, chunkGuidance, seamBlending, Optional.empty(), Optional.empty());
        }

        /** With the default chunk guidance ({@link ChunkGuidance#FIRST_CHUNK}), without seam blending. */
        public Options(ContextMode mode, LongContextPolicy longContext, boolean recompute, boolean decode) {
            this(mode, longContext, recompute, decode, ChunkGuidance.FIRST_CHUNK);
        }

        /** Chunk-causal streaming, default long-context policy, KV cache, decoding on, guidance on first chunks, no blend. */
        public static Options defaults() {
            return new Options(ContextMode.CHUNK_CAUSAL, LongContextPolicy.defaults(), false, true);
        }

        public Options withMode(ContextMode m) {
            return new Options(m, longContext, recompute, decode, chunkGuidance, seamBlending, noisePrior, continuationStart);
        }

        public Options withLongContext(LongContextPolicy p) {
            return new Options(mode, p, recompute, decode, chunkGuidance, seamBlending, noisePrior, continuationStart);
        }

        /**
         * true: no KV cache, every forward holds the whole context ({@link RecomputedContext}: the reference for the
         * equivalence tests).
         */
        public Options withRecompute(boolean r) {
            return new Options(mode, longContext, r, decode, chunkGuidance, seamBlending, noisePrior, continuationStart);
        }

        public Options withDecode(boolean d) {
            return new Options(mode, longContext, recompute, d, chunkGuidance, seamBlending, noisePrior, continuationStart);
        }

        public Options withChunkGuidance(ChunkGuidance g) {
            return new Options(mode, longContext, recompute, decode, g, seamBlending, noisePrior, continuationStart);
        }

        public Options withSeamBlending(SeamBlending b) {
            return new Options(mode, longContext, recompute, decode, chunkGuidance, b, noisePrior, continuationStart);
        }

        /** The noise prior of new frames instead of the model's. */
        public Options withNoisePrior(ShotNoisePrior prior) {
            return new Options(mode, longContext, recompute, decode, chunkGuidance, seamBlending, Optional.of(prior),
                    continuationStart);
        }

        /** Where targets that continue their shot start, instead of the model's. */
        public Options withContinuationStart(ContinuationStart start) {
            return new Options(mode, longContext, recompute, decode, chunkGuidance, seamBlending, noisePrior,
                    Optional.of(start));
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

    /**
     * How to extend a shot: latent frames to add (rounded up to whole chunks), the seed of the new frames' noise,
     * guidance and steps (0 = default).
     */
    public record ExtendRequest(int frames, long seed, double guidance, int steps) {
        public ExtendRequest {
            if (frames <= 0) {
                throw new IllegalArgumentException("frames must be > 0, was " + frames);
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

    private final StoryDiT dit;
    private final StoryDiTConfig cfg;
    private final SamplerConfig samplerDefaults;
    private final ShotNoisePrior noisePrior;        // what new frames start from
    private final ContinuationStart continuationStart;  // where targets after a shot's first frame start
    private final Options options;
    private final NDManager manager;
    private final int frameSize;
    private final Scene scene = new Scene();
    private List<float[]> sceneWords;               // caption rows of every shot of the storyboard; null = not given
    private final ActorBoxes actorBoxes;            // the boxes of models that read the actor's box
    private final TargetDenoiser denoiser;
    private final ContextStrategy context;
    private final ShotFlow flow;

    public SceneSession(StoryboardModel model, NDManager root, Options options) {
        this.dit = model.dit();
        this.cfg = model.config().dit();
        options.seamBlending().requireFits(cfg.chunkFrames());
        this.samplerDefaults = model.config().sampler();
        this.noisePrior = options.noisePrior().orElseGet(() -> new ShotNoisePrior(samplerDefaults.noiseCorrelation()));
        this.continuationStart = options.continuationStart()
                .orElseGet(() -> new ContinuationStart(samplerDefaults.continuationStart()));
        this.options = options;
        this.manager = root.newSubManager();
        this.frameSize = cfg.latentFrameSize();
        NDArray rotateHalf = manager.create(dit.rope().rotateHalfMatrix(), new Shape(cfg.headDim(), cfg.headDim()));
        this.actorBoxes = ActorBoxes.of(model);
        ContextEncoder encoder = new ContextEncoder(model, scene, options.longContext(), rotateHalf, actorBoxes);
        this.denoiser = new TargetDenoiser(model, scene, actorBoxes);
        // the ablations are chosen here, once; production is CachedContext + ChunkCausalFlow
        this.context = contextStrategy(model, encoder);
        this.flow = shotFlow(model);
    }

    private ContextStrategy contextStrategy(StoryboardModel model, ContextEncoder encoder) {
        boolean everyChunk = options.chunkGuidance() == ChunkGuidance.EVERY_CHUNK;
        if (options.recompute()) {
            return new RecomputedContext(model, scene, encoder, everyChunk);
        }
        CachedContext cached = new CachedContext(encoder, options.mode().mask(), manager, cfg.chunkFrames());
        return everyChunk ? new NullCaptionContext(cached, encoder, cfg.chunkFrames()) : cached;
    }

    private ShotFlow shotFlow(StoryboardModel model) {
        ChunkCausalFlow streaming = new ChunkCausalFlow(denoiser, options.decode() ? model.codec() : null, cfg,
                options.seamBlending());
        return options.mode() == ContextMode.CHUNK_CAUSAL ? streaming
                : new ContextCausalFlow(denoiser, streaming, cfg.chunkFrames(), frameSize);
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

    /**
     * Sets (or clears, with null / no rows) the global caption; a change invalidates every cache. The global caption is
     * part of the scene's words: for a model that reads the planned silhouette, every shot follows the kind (and,
     * painted, the colour) they name.
     */
    public void setGlobalCaption(float[][] caption) {
        float[] text = caption == null || caption.length == 0 ? null : padText(caption);
        if (Arrays.equals(text, scene.globalText())) {
            return;
        }
        SceneActor actor = actorOf(text, sceneWords, held());
        scene.setGlobalText(text);
        drawWith(actor);
    }

    /**
     * Gives the session the scene's words: the caption token rows of every shot of the storyboard (n × 384 each, n ≤
     * l_txt; no rows = a shot without words, left out), not only the shots this session holds — a later shot's words
     * name the actor too. For a model that reads the planned silhouette, the scene's kind is then the one its planner
     * names from the global caption and these captions together ({@link BoxPlanner#sceneKind}), and every shot is
     * drawn with it, facing the way its own caption names; for a model that reads it painted, so is the scene's colour
     * ({@link BoxPlanner#sceneColour}), and every shot is painted it. When the kind or the colour changes, every shot
     * the session holds follows and every shot's cache is invalidated (their K/V read the silhouettes; the global
     * caption's stay); words that keep both keep the caches. Null: never given, the fallback — the scene's words are then the global caption,
     * the captions of the shots the session holds and, during an operation, its target's. A scene without any words
     * keeps the kind its shots were drawn with (an operation that draws a shot needs words). Other models keep the
     * words and change nothing.
     */
    public void setSceneWords(List<float[][]> shotCaptions) {
        List<float[]> words = shotCaptions == null ? null : shotCaptions.stream().map(this::padText).toList();
        SceneActor actor = actorOf(scene.globalText(), words, held());
        sceneWords = words;
        drawWith(actor);
    }

    /**
     * The kind the scene's words name now ({@link #setSceneWords}: the global caption and the scene's words, or, when
     * those were never given, the global caption and the shots the session holds), an index into the planner's kinds:
     * every shot a silhouette model draws is of this kind. Empty for a model that names no kind (the 0/1 box, or no
     * box) and for a scene without words.
     */
    public OptionalInt sceneKind() {
        int kind = actorOf(scene.globalText(), sceneWords, held()).kind();
        return kind < 0 ? OptionalInt.empty() : OptionalInt.of(kind);
    }

    /**
     * The colour the scene's words name now, by {@link #sceneKind}'s words and rule, an index into the planner's colours:
     * every shot a painted model draws is painted this colour. Empty for a model that paints nothing (the 0/1 box, the
     * unpainted silhouette, or no box) and for a scene without words.
     */
    public OptionalInt sceneColour() {
        int colour = actorOf(scene.globalText(), sceneWords, held()).colour();
        return colour < 0 ? OptionalInt.empty() : OptionalInt.of(colour);
    }

    /** Whether the model draws one kind per scene (it reads the planned silhouette), so {@link #setSceneWords} matters. */
    public boolean drawsSceneKind() {
        return actorBoxes.namesKinds();
    }

    public int shotCount() {
        return scene.size();
    }

    public int frames(int shot) {
        return scene.shot(shot).frames;
    }

    public float[] latents(int shot) {
        return scene.shot(shot).latents.clone();
    }

    public String tag(int shot) {
        return scene.shot(shot).tag;
    }

    /** Names shot i's current content (what {@link #putShot} compares); keeps its cache. */
    public void setTag(int shot, String tag) {
        scene.shot(shot).tag = Objects.requireNonNull(tag);
    }

    /** Whether shot i's K/V are cached and valid. */
    public boolean isCached(int shot) {
        return scene.shot(shot).cache != null;
    }

    /** The noise prior new frames start from: the options' override, else the model's. */
    public ShotNoisePrior noisePrior() {
        return noisePrior;
    }

    /** Where targets that continue their shot start: the options' override, else the model's. */
    public ContinuationStart continuationStart() {
        return continuationStart;
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
        if (index < 0 || index > scene.size()) {
            throw new IndexOutOfBoundsException("shot " + index + " of " + scene.size());
        }
        if (content.frames() <= 0 || content.frames() % cfg.chunkFrames() != 0) {
            throw new IllegalArgumentException("a shot holds whole chunks of " + cfg.chunkFrames() + " frames, got " + content.frames());
        }
        if (content.latents().length != content.frames() * frameSize) {
            throw new IllegalArgumentException("latents hold " + content.latents().length + " floats, expected "
                    + content.frames() * frameSize);
        }
        if (index < scene.size()) {
            SessionShot old = scene.shot(index);
            if (old.tag.equals(content.tag()) && old.frames == content.frames()) {
                return List.of();
            }
        }
        float[] text = padText(content.caption());
        SceneActor actor = requireActor(heldWith(index, text));
        // a finished shot given as context is planned as one shot of its frames
        float[] boxes = actorBoxes.plan(manager, text, content.label(), 0, content.frames(), content.frames());
        SessionShot e = new SessionShot(text, content.label(), content.latents().clone(), boxes,
                actorBoxes.name(manager, text, actor.kind()), actor.colour(), content.frames(), content.seed(),
                content.tag());
        List<Integer> stale = scene.replace(index, e);
        drawWith(actor);                // the fallback's words changed with the shot: the others follow the actor
        return stale;
    }

    /** Drops shots ≥ n (without the scene's words, the kind and colour are named again from the shots left). */
    public void truncate(int n) {
        scene.truncate(n);
        if (sceneWords == null) {
            drawWith(actorOf(scene.globalText(), null, held()));
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
        if (index < 0 || index > scene.size()) {
            throw new IndexOutOfBoundsException("shot " + index + " of " + scene.size());
        }
        JniUtils.setGradMode(false);
        int frames = roundToChunks(request.frames());
        float[] text = padText(request.caption());
        // the scene's kind and colour with the target's words (they count without the scene's words): when they change,
        // the shots held follow now and their caches are recomputed; a failed or cancelled operation puts them back
        SceneActor actor = requireActor(heldWith(index, text));
        SceneActor before = scene.actor();
        drawWith(actor);
        try {
            Sampling sampling = new Sampling(request.seed(), request.seed(), request.guidance(), sampler(request.steps()),
                    noisePrior, sharedNoise(request.label()), anchorFrames(request.label()), continuationStart);
            context.prepare(index, cancel);
            float[] boxes = actorBoxes.plan(manager, text, request.label(), 0, frames, frames);
            SessionShot fresh = new SessionShot(text, request.label(), new float[frames * frameSize], boxes,
                    actorBoxes.name(manager, text, actor.kind()), actor.colour(), frames, request.seed(), "");
            ShotTarget shot = new ShotTarget(layout(index, frames), index, fresh);
            try (NDManager job = manager.newSubManager()) {
                flow.generate(new ShotOperation(job, shot, context.open(job, shot, 0, cancel), sampling, listener, cancel));
                cancel.throwIfCancelled();
                // commit (nothing above touched the session's state but derived caches and the scene's kind)
                if (fresh.cache != null) {
                    fresh.cache.parts().forEach(part -> part.attachTo(manager));       // job-owned → session-owned
                }
                List<Integer> stale = scene.replace(index, fresh);
                return new Result(index, fresh.latents.clone(), frames, 0, stale);
            }
        } catch (RuntimeException | Error e) {
            drawWith(before);
            throw e;
        }
    }

    /**
     * Extends shot {@code index} by {@code request.frames()} (rounded up to chunks), chunk-causally from its cached
     * chunks; only the new frames are computed. Later shots' caches are invalidated (their RoPE offsets
     * move) and reported.
     */
    public Result extendShot(int index, ExtendRequest request, ChunkListener listener, CancellationToken cancel) {
        if (index < 0 || index >= scene.size()) {
            throw new IndexOutOfBoundsException("shot " + index + " of " + scene.size());
        }
        JniUtils.setGradMode(false);
        int added = roundToChunks(request.frames());
        // new frames start from the extension seed's INITIAL noise (and the shared part of the shot's own seed, as the
        // shot's first frames did); context noise keeps the shot's own seed
        SessionShot old = scene.shot(index);
        Sampling sampling = new Sampling(request.seed(), old.seed, request.guidance(), sampler(request.steps()), noisePrior,
                sharedNoise(old.label), anchorFrames(old.label), continuationStart);
        context.prepare(index + 1, cancel);
        int total = old.frames + added;
        // the new frames are planned at the shot's new length; the frames already drawn keep their boxes; the kind and
        // colour are the scene's and the facing is named from the caption alone, so the grown shot keeps the shot's
        SessionShot grown = old.grownTo(total, frameSize,
                actorBoxes.plan(manager, old.text, old.label, old.frames, total, total));
        int sharedParts = grown.cache == null ? 0 : grown.cache.parts().size();
        ShotTarget shot = new ShotTarget(layout(index, total), index, grown);
        try (NDManager job = manager.newSubManager()) {
            flow.extend(new ShotOperation(job, shot, context.open(job, shot, old.frames, cancel), sampling, listener, cancel),
                    old.frames);
            cancel.throwIfCancelled();
            // commit: the shot keeps its tag and original context-noise seed for already cached frames
            List<Integer> stale = scene.invalidateAfter(index);
            old.latents = grown.latents;
            old.boxes = grown.boxes;
            old.frames = total;
            if (grown.cache != null) {
                List<KvCache> parts = grown.cache.parts();
                parts.subList(sharedParts, parts.size()).forEach(part -> part.attachTo(manager));
                old.cache = grown.cache;
            } else {
                old.dropCache();
            }
            return new Result(index, grown.latents.clone(), total, total - added, stale);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // helpers
    // ------------------------------------------------------------------------------------------------

    /**
     * The one rule for the words a scene's kind and colour are named from: the global caption {@code global} (null =
     * none) and the scene's words {@code words} ({@link #setSceneWords}); when those were never given (null), the
     * captions {@code held} of the shots the session holds, an operation's target in its place. Caption rows each
     * (l_txt · text_dim).
     */
    private static List<float[]> wordsOf(float[] global, List<float[]> words, List<float[]> held) {
        List<float[]> all = new ArrayList<>();
        if (global != null) {
            all.add(global);
        }
        all.addAll(words != null ? words : held);
        return all;
    }

    /** The actor those words name; {@link SceneActor#NONE} for a model that names no kind, or when none has words. */
    private SceneActor actorOf(float[] global, List<float[]> words, List<float[]> held) {
        List<float[]> all = wordsOf(global, words, held);
        return actorBoxes.anyWords(all) ? actorBoxes.sceneActor(manager, all) : SceneActor.NONE;
    }

    /**
     * The scene's actor for an operation that draws a shot, with {@code held} the captions the session will hold;
     * {@link SceneActor#NONE} for a model that names no kind. A silhouette model's scene without words names none: a
     * clear error.
     */
    private SceneActor requireActor(List<float[]> held) {
        return actorBoxes.sceneActor(manager, wordsOf(scene.globalText(), sceneWords, held));
    }

    /**
     * Every shot is drawn with {@code actor} (invalidating every shot's cache if that changes one); nothing named: as
     * they are.
     */
    private void drawWith(SceneActor actor) {
        if (actor.named()) {
            scene.setActor(actor);
        }
    }

    /** The captions of the shots the session holds, in order. */
    private List<float[]> held() {
        List<float[]> texts = new ArrayList<>();
        for (int i = 0; i < scene.size(); i++) {
            texts.add(scene.shot(i).text);
        }
        return texts;
    }

    /** {@link #held}, with shot {@code index}'s caption {@code text} (index = shotCount: appended). */
    private List<float[]> heldWith(int index, float[] text) {
        List<float[]> texts = held();
        if (index == texts.size()) {
            texts.add(text);
        } else {
            texts.set(index, text);
        }
        return texts;
    }

    /** The real layout of shots 0..index−1 and shot index with {@code frames}. */
    private SceneLayout layout(int index, int frames) {
        return dit.layoutFor(scene.shotFramesWith(index, frames), scene.hasGlobal());
    }

    /** The shared part of a shot's noise: moving with its camera label where the model's sampler says so. */
    private SharedNoise sharedNoise(ShotLabel label) {
        return SharedNoise.moving(cameraRates(label), samplerDefaults.cameraNoise().holdFrames(), cfg.latentChannels(),
                cfg.latentH(), cfg.latentW());
    }

    /** The picture a continuing target starts from: carried by its camera where the model's sampler says so. */
    private AnchorFrames anchorFrames(ShotLabel label) {
        if (samplerDefaults.continuationAnchor() != ContinuationAnchor.CAMERA) {
            return AnchorFrames.STILL;
        }
        return AnchorFrames.camera(cameraRates(label), samplerDefaults.cameraNoise().holdFrames(), cfg.latentChannels(),
                cfg.latentH(), cfg.latentW());
    }

    /** {pan, log zoom} per latent frame of a shot's camera label at the sampler's camera rates; {0, 0} for none. */
    private double[] cameraRates(ShotLabel label) {
        return label.camera() == 0 ? new double[] {0, 0}
                : samplerDefaults.cameraNoise().rates(cfg.cameras().get(label.camera() - 1));
    }

    private FlowMatchSampler sampler(int steps) {
        return new FlowMatchSampler(FlowMatchSampler.Method.parse(samplerDefaults.sampler()),
                steps > 0 ? steps : samplerDefaults.steps(), samplerDefaults.shift());
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

    /**
     * The planned box of every frame of shot i, frames · 4 floats (x0 y0 x1 y1 shares); null for a model that reads no
     * box (package-private: tests check which phase each frame was planned at).
     */
    float[] boxes(int shot) {
        float[] b = scene.shot(shot).boxes;
        return b == null ? null : b.clone();
    }

    /**
     * The kind (the scene's) and facing (named from shot i's own caption) shot i's silhouette is drawn with; null for a
     * model that reads no box or the 0/1 box (package-private: tests check which kind each shot's frames read).
     */
    BoxPlanner.NamedKind kind(int shot) {
        return scene.shot(shot).kind;
    }

    /**
     * The colour (the scene's, an index into the planner's colours) shot i's silhouette is painted; −1 for a model that
     * paints nothing (package-private: tests check which colour each shot's frames read).
     */
    int colour(int shot) {
        return scene.shot(shot).colour;
    }

    /** Context tokens (cached keys, or inline tokens when recomputing) the last denoised target attended to. */
    public int lastContextTokens() {
        return denoiser.lastContextTokens();
    }

    /** Bytes of cached K/V held by the session. */
    public long cachedBytes() {
        return scene.cachedBytes();
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
