package dev.storyboard.inference.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.storyboard.inference.config.StoryDiTConfig;
import dev.storyboard.inference.nn.Nn;
import dev.storyboard.inference.weights.Weights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * StoryDiT, the scene-level diffusion transformer (docs/STORYDIT.md §6; {@code model.py}). One sequence
 * holds the scene: per shot {@code [caption tokens][video tokens]}, positions only from interleaved 3D
 * RoPE, one timestep per segment through adaLN-single, three attention-mask modes, and a KV cache. A
 * {@code caption_cond} model also adds each segment's pooled caption to its condition ({@link CaptionCondition}),
 * a {@code shot_cond} model its camera / shot-size labels ({@link ShotCondition}). A {@code prediction = "x"}
 * model's head predicts the clean frames x̂; the forward turns them into v = (x_t − x̂) / max(t_frame, x_pred_t_min),
 * so callers always get a velocity. An x-prediction model may have the U-Net around the DiT: a {@link ConvEncoder}
 * whose features join the patch tokens ({@code conv_encoder}) and a {@link ConvDecoder} that refines x̂ from the
 * head's features ({@code conv_decoder_width}); both work per frame, so chunked and cached forwards are unchanged.
 * An {@code actor_box_cond} model's conv encoder also reads the actor's box of every frame: a 0/1 mask, a soft
 * silhouette, or a silhouette painted in 4 channels, as its {@code actor_layout} says ({@link SegmentConditions#actorBox};
 * no box = zeros = the forward without it, bit for bit).
 * A {@code prev_frame_cond} model's conv encoder also reads, for every frame of a target that continues its shot,
 * the shot's final frame before the target ({@link SegmentConditions#prevFrame}; none = zeros = the forward without
 * it, bit for bit).
 *
 * <pre>
 * Shape legend
 *   B batch            G segments of the layout       T text segments of the layout
 *   F latent frames    C latent channels              H, W latent height / width
 *   N tokens of this forward   Nc cached tokens   Nk = Nc + N keys   Nv video tokens   d width
 *   nh heads           Dh = d / nh                    P = pt·ph·pw·C (one tubelet, flattened)
 *   actor box          (B, F, 1, H, W), 1 inside the actor's box of each frame
 *   previous frame     (B, F, C, H, W), the shot's frame before each frame's target (zeros: none)
 * </pre>
 *
 * Weights live in a manager that is capped after loading; {@link #forward} creates everything in the
 * caller's {@code scope} (use a per-step sub-manager and close it).
 */
public final class StoryDiT {
    private static final int TEXT_TYPE = 0;
    private static final int VIDEO_TYPE = 1;

    private final StoryDiTConfig cfg;
    private final NDArray patchW;
    private final NDArray patchB;
    private final NDArray textNormW;
    private final NDArray textNormB;
    private final NDArray textProjW;
    private final NDArray textProjB;
    private final NDArray tokenTypeText;
    private final NDArray tokenTypeVideo;
    private final AdaLnSingle adaLn;
    private final CaptionCondition captionCondition;      // null unless cfg.captionCond()
    private final ShotCondition shotCondition;            // null unless cfg.shotCond()
    private final ConvEncoder convEncoder;                // null unless cfg.convEncoder()
    private final ConvDecoder convDecoder;                // null unless cfg.convDecoderWidth() > 0
    private final List<StoryDiTBlock> blocks = new ArrayList<>();
    private final NDArray finalShift;      // final.table[0]
    private final NDArray finalScale;      // final.table[1] + 1
    private final NDArray finalProjW;
    private final NDArray finalProjB;
    private final NDArray lnOnes;
    private final NDArray lnZeros;
    private final NDArray rotateHalf;
    private final InterleavedRope3d rope;
    private final CameraRope cameraRope;                // null: positions on the screen grid
    private volatile ForwardObserver observer = ForwardObserver.NONE;

    /** Reads every tensor of {@code storydit.safetensors} into {@code weights} (checked against {@code cfg}). */
    public StoryDiT(StoryDiTConfig cfg, Weights w, NDManager weights) {
        this.cfg = cfg;
        int d = cfg.dModel();
        patchW = w.take("patch_embed.weight", d, cfg.patchDim());
        patchB = w.take("patch_embed.bias", d);
        textNormW = w.take("text_norm.weight", cfg.textDim());
        textNormB = w.take("text_norm.bias", cfg.textDim());
        textProjW = w.take("text_proj.weight", d, cfg.textDim());
        textProjB = w.take("text_proj.bias", d);
        float[] types = w.floats("token_type.weight", 2, d);
        tokenTypeText = weights.create(Arrays.copyOfRange(types, TEXT_TYPE * d, (TEXT_TYPE + 1) * d), new Shape(d));
        tokenTypeVideo = weights.create(Arrays.copyOfRange(types, VIDEO_TYPE * d, (VIDEO_TYPE + 1) * d), new Shape(d));
        adaLn = new AdaLnSingle(cfg, w);
        captionCondition = cfg.captionCond() ? new CaptionCondition(cfg, w) : null;
        shotCondition = cfg.shotCond() ? new ShotCondition(cfg, w) : null;
        for (int l = 0; l < cfg.nLayers(); l++) {
            blocks.add(new StoryDiTBlock(cfg, w, weights, l));
        }
        float[] table = w.floats("final.table", 2, d);
        float[] scale = Arrays.copyOfRange(table, d, 2 * d);
        for (int j = 0; j < d; j++) {
            scale[j] += 1f;
        }
        finalShift = weights.create(Arrays.copyOfRange(table, 0, d), new Shape(d));
        finalScale = weights.create(scale, new Shape(d));
        finalProjW = w.take("final.proj.weight", cfg.patchDim(), d);
        finalProjB = w.take("final.proj.bias", cfg.patchDim());
        convEncoder = cfg.convEncoder() ? new ConvEncoder(cfg, w) : null;
        convDecoder = cfg.convDecoderWidth() > 0 ? new ConvDecoder(cfg, w) : null;
        w.requireAllUsed();
        lnOnes = weights.ones(new Shape(d));
        lnZeros = weights.zeros(new Shape(d));
        rope = new InterleavedRope3d(cfg.headDim(), cfg.ropeTheta());
        cameraRope = cfg.cameraMotion() == null ? null : new CameraRope(cfg);
        rotateHalf = weights.create(rope.rotateHalfMatrix(), new Shape(cfg.headDim(), cfg.headDim()));
    }

    public StoryDiTConfig config() {
        return cfg;
    }

    public InterleavedRope3d rope() {
        return rope;
    }

    /** The U-Net's encoder, or null (package-private: the parity test checks it is loaded). */
    ConvEncoder convEncoder() {
        return convEncoder;
    }

    /** The U-Net's decoder, or null. */
    ConvDecoder convDecoder() {
        return convDecoder;
    }

    /** The layout of whole shots with this model's grid, l_txt, chunk size and tubelet. */
    public SceneLayout layoutFor(int[] shotFrames, boolean hasGlobal) {
        return SceneLayout.full(shotFrames, hasGlobal, cfg.gridH(), cfg.gridW(), cfg.lTxt(), cfg.chunkFrames(), cfg.patchT());
    }

    /** Velocity of every video frame of the forward, and (when asked) the K/V of its tokens. */
    public record Output(NDArray velocity, KvCache newKv) {}

    /**
     * One forward pass.
     *
     * @param scope    manager that owns every array this call creates (a per-step sub-manager)
     * @param latents  (B, F, C, H, W) latent frames of the layout's segments, concatenated in order (F may be 0)
     * @param text     (B, T, l_txt, 384) caption token rows, one per text segment (zeros = null caption); null if T = 0
     * @param t        B × G timesteps in [0, 1], one per segment
     * @param layout   which tokens this forward holds
     * @param mask     attention mask mode
     * @param cache    K/V of earlier tokens (they precede this layout's tokens), or null
     * @param returnKv also return this forward's post-RoPE K and V (B, nh, N, Dh) per layer, owned by scope
     * @return velocity (B, F, C, H, W) (null when F = 0) and the new K/V (null unless returnKv)
     */
    public Output forward(NDManager scope, NDArray latents, NDArray text, float[][] t, SceneLayout layout,
                          AttentionMask mask, KvCache cache, boolean returnKv) {
        return forward(scope, latents, text, t, layout, mask, cache, returnKv, SegmentConditions.NONE);
    }

    /**
     * One forward pass with explicit pooled captions (B, G, 384) per segment ({@link CaptionCondition#pool}; zeros
     * = null caption) for a {@code caption_cond} model; needed when a segment's shot caption is only in the cache.
     * Null: derived from the text segments of the layout. Ignored by models without the caption condition.
     */
    public Output forward(NDManager scope, NDArray latents, NDArray text, float[][] t, SceneLayout layout,
                          AttentionMask mask, KvCache cache, boolean returnKv, NDArray captions) {
        return forward(scope, latents, text, t, layout, mask, cache, returnKv, SegmentConditions.captions(captions));
    }

    /**
     * One forward pass with the conditions besides t: pooled captions ({@code caption_cond}), shot labels
     * ({@code shot_cond}), the actor's box per frame ({@code actor_box_cond}) and the previous frame per frame
     * ({@code prev_frame_cond}), each optional ({@link SegmentConditions}; null = {@link SegmentConditions#NONE}).
     *
     * @throws IllegalArgumentException when a box or a previous frame is given to a model without that input, or its
     *                                  shape is not (B, F, Cb, H, W) (Cb the actor layout's channels) / (B, F, C, H,
     *                                  W) of this forward
     */
    public Output forward(NDManager scope, NDArray latents, NDArray text, float[][] t, SceneLayout layout,
                          AttentionMask mask, KvCache cache, boolean returnKv, SegmentConditions conditions) {
        ForwardObserver o = observer;
        if (o == ForwardObserver.NONE) {
            return forwardImpl(scope, latents, text, t, layout, mask, cache, returnKv, conditions);
        }
        long start = System.nanoTime();
        Output out = forwardImpl(scope, latents, text, t, layout, mask, cache, returnKv, conditions);
        o.forwardDone(t.length, layout.nTokens(), layout.nTokens() + (cache == null ? 0 : cache.size()),
                System.nanoTime() - start);
        return out;
    }

    /** Tells {@code o} about every later forward (the benchmark's meter); {@link ForwardObserver#NONE} to stop. */
    public void observe(ForwardObserver o) {
        observer = o == null ? ForwardObserver.NONE : o;
    }

    private Output forwardImpl(NDManager scope, NDArray latents, NDArray text, float[][] t, SceneLayout layout,
                               AttentionMask mask, KvCache cache, boolean returnKv, SegmentConditions conditions) {
        checkInputs(latents, text, t, layout);
        NDArray captions = conditions == null ? null : conditions.captions();
        ShotLabel[][] shotLabels = conditions == null ? null : conditions.shotLabels();
        NDArray actorBox = conditions == null ? null : conditions.actorBox();
        NDArray prevFrame = conditions == null ? null : conditions.prevFrame();
        checkActorBox(actorBox, t.length, layout);
        checkPrevFrame(prevFrame, t.length, layout);
        // Inputs owned by longer-lived managers are borrowed into the scope, so every array derived from
        // them (views included) is released with the scope; they return to their owners when it closes.
        borrow(scope, latents);
        borrow(scope, text);
        borrow(scope, captions);
        borrow(scope, actorBox);
        borrow(scope, prevFrame);
        if (cache != null) {
            for (int l = 0; l < cache.layers(); l++) {
                borrow(scope, cache.keys(l));
                borrow(scope, cache.values(l));
            }
        }
        int b = t.length;
        int d = cfg.dModel();
        int lTxt = cfg.lTxt();
        int tpf = cfg.tokensPerFrame();
        TokenTable table = layout.tokenTable();
        List<Segment> segs = layout.segments();

        // 1. Embedding: tubelets → d (+ the conv encoder's tokens, which read the actor's box and the previous frame
        //    where given) (+ video type), caption rows → LN → d (+ text type); layout order. x-prediction: the
        //    unclamped timestep of every frame (B·F), for the conv parts.
        float[] tFrames = cfg.prediction() == StoryDiTConfig.Prediction.X ? framesT(t, layout) : null;
        NDArray vid = null;                                                                             // (B, Nv, d)
        List<NDArray> skips = null;
        if (layout.nFrames() > 0) {
            vid = Nn.linear(patchify(latents), patchW, patchB);
            if (convEncoder != null) {
                ConvEncoder.Features enc = convEncoder.encode(scope, latents, tFrames, actorBox, prevFrame);
                skips = enc.skips();
                vid = vid.addi(enc.tokens());
            }
            vid = vid.addi(tokenTypeVideo);
        }
        NDArray txt = layout.nTextSegments() == 0 ? null
                : Nn.linear(Nn.layerNorm(text.reshape(b, (long) layout.nTextSegments() * lTxt, cfg.textDim()),
                        textNormW, textNormB, cfg.normEps()), textProjW, textProjB).addi(tokenTypeText);  // (B, T·l, d)
        List<NDArray> pieces = new ArrayList<>();
        int[] tokenCounts = new int[segs.size()];
        int[] videoCounts = new int[segs.size()];
        long ti = 0;
        long vi = 0;
        for (int g = 0; g < segs.size(); g++) {
            Segment s = segs.get(g);
            if (s.text()) {
                pieces.add(Nn.rows(txt, ti, ti + lTxt));
                ti += lTxt;
            }
            int nv = (s.nFrames() / cfg.patchT()) * tpf;
            if (nv > 0) {
                pieces.add(Nn.rows(vid, vi, vi + nv));
                vi += nv;
            }
            tokenCounts[g] = layout.segmentTokens(s);
            videoCounts[g] = nv;
        }
        NDArray x = Nn.concat(pieces, 1);                                                               // (B, N, d)

        // 2. Condition: per-segment timestep embedding c (B, G, d) (+ the pooled caption's embedding) and
        //    adaLN-single modulation (B, G, 6d), gathered to the tokens of each segment.
        NDArray c = adaLn.condition(scope, t);
        if (captionCondition != null) {
            NDArray pooled = captions != null ? captions : CaptionCondition.segmentCaptions(scope, layout, text);
            Shape expected = new Shape(b, segs.size(), cfg.textDim());
            if (!pooled.getShape().equals(expected)) {
                throw new IllegalArgumentException("pooled captions " + pooled.getShape() + " expected " + expected);
            }
            c = c.addi(captionCondition.embed(pooled));
        }
        if (shotCondition != null) {
            c = c.addi(shotCondition.embed(scope, shotLabels, b, segs.size()));                               // (B, G, d)
        }
        NDArray tokenMod = Nn.expandSegments(adaLn.modulation(c), tokenCounts);                       // (B, N, 6d)

        // 3. Positions (RoPE tables of this forward's tokens; camera RoPE: per row, moved by each token's camera
        //    label) and the attention mask over cache ++ new keys.
        InterleavedRope3d.Tables ropeTables = cameraRope == null
                ? rope.tables(scope, table.posT(), table.posH(), table.posW())                      // (N, Dh)
                : rope.tables(scope, cameraRope.positions(table, shotLabels, b));                   // (B, 1, N, Dh)
        TokenIds queryIds = table.ids();
        TokenIds keyIds = cache == null ? queryIds : TokenIds.concat(cache.ids(), queryIds);
        NDArray maskArray = additiveMask(scope, mask, queryIds, keyIds);                                // (N, Nk) or null

        // 4. Transformer blocks.
        StoryDiTBlock.Context ctx = new StoryDiTBlock.Context(scope, tokenMod, ropeTables, rotateHalf, maskArray,
                lnOnes, lnZeros);
        List<NDArray> newK = new ArrayList<>();
        List<NDArray> newV = new ArrayList<>();
        for (int l = 0; l < blocks.size(); l++) {
            StoryDiTBlock.Out out = blocks.get(l).forward(x, ctx,
                    cache == null ? null : cache.keys(l), cache == null ? null : cache.values(l), cache == null ? 0 : cache.room());
            x = out.x();
            if (returnKv) {
                newK.add(out.k());
                newV.add(out.v());
            }
        }
        KvCache kv = returnKv ? new KvCache(newK, newV, table) : null;
        if (layout.nFrames() == 0) {
            return new Output(null, kv);
        }

        // 5. Output: video tokens only, LN · (1 + c + table[1]) + (c + table[0]) → P → unpatchify; x-prediction:
        //    the conv decoder refines x̂ from the same features, and x̂ becomes v.
        List<NDArray> videoRows = new ArrayList<>();
        long start = 0;
        for (int g = 0; g < segs.size(); g++) {
            long textTokens = segs.get(g).text() ? lTxt : 0;
            if (videoCounts[g] > 0) {
                videoRows.add(Nn.rows(x, start + textTokens, start + textTokens + videoCounts[g]));
            }
            start += tokenCounts[g];
        }
        NDArray xv = Nn.concat(videoRows, 1);                                                           // (B, Nv, d)
        NDArray cTok = Nn.expandSegments(c, videoCounts);                                               // (B, Nv, d)
        NDArray h = Nn.layerNorm(xv, lnOnes, lnZeros, cfg.normEps())
                .muli(cTok.add(finalScale)).addi(cTok.add(finalShift));
        NDArray patches = Nn.linear(h, finalProjW, finalProjB);                                         // (B, Nv, P)
        NDArray head = unpatchify(patches, layout.nFrames());                                           // (B, F, C, H, W)
        if (cfg.prediction() == StoryDiTConfig.Prediction.V) {
            return new Output(head, kv);
        }
        if (convDecoder != null) {
            head = convDecoder.refine(scope, h, head, latents, tFrames, skips);                         // (B, F, C, H, W)
        }
        return new Output(velocityFromClean(scope, latents, head, tFrames), kv);
    }

    /** The timestep of every frame's segment, (B·F) batch-major, unclamped ({@code flow.frames_t}). */
    private static float[] framesT(float[][] t, SceneLayout layout) {
        int frames = layout.nFrames();
        float[] out = new float[t.length * frames];
        for (int i = 0; i < t.length; i++) {
            int f = 0;
            for (int g = 0; g < layout.segments().size(); g++) {
                int n = layout.segments().get(g).nFrames();
                Arrays.fill(out, i * frames + f, i * frames + f + n, t[i][g]);
                f += n;
            }
        }
        return out;
    }

    /**
     * x-prediction (JiT): the clean frames x̂ → v = (x_t − x̂) / max(t_frame, x_pred_t_min), t_frame the
     * timestep of each frame's segment ({@link #framesT}).
     */
    private NDArray velocityFromClean(NDManager scope, NDArray latents, NDArray xHat, float[] tFrames) {
        Shape s = xHat.getShape();
        float tMin = (float) cfg.xPredTMin();
        float[] denom = new float[tFrames.length];                                                    // (B·F)
        for (int i = 0; i < denom.length; i++) {
            denom[i] = Math.max(tFrames[i], tMin);
        }
        NDArray tf = scope.create(denom, new Shape(s.get(0), s.get(1), 1, 1, 1));
        return latents.sub(xHat).divi(tf);                                                             // (B, F, C, H, W)
    }

    private static void borrow(NDManager scope, NDArray a) {
        if (a != null && a.getManager() != scope) {
            a.tempAttach(scope);
        }
    }

    private void checkInputs(NDArray latents, NDArray text, float[][] t, SceneLayout layout) {
        if (layout.gridH() != cfg.gridH() || layout.gridW() != cfg.gridW() || layout.lTxt() != cfg.lTxt()
                || layout.chunkFrames() != cfg.chunkFrames() || layout.patchT() != cfg.patchT()) {
            throw new IllegalArgumentException("layout was built for another config: " + layout);
        }
        int b = t.length;
        if (b == 0 || t[0].length != layout.segments().size()) {
            throw new IllegalArgumentException("t must be B × " + layout.segments().size() + " (one per segment)");
        }
        if (layout.nFrames() > 0) {
            Shape expected = new Shape(b, layout.nFrames(), cfg.latentChannels(), cfg.latentH(), cfg.latentW());
            if (latents == null || !latents.getShape().equals(expected)) {
                throw new IllegalArgumentException("latents " + (latents == null ? "null" : latents.getShape())
                        + " expected " + expected);
            }
        }
        if (layout.nTextSegments() > 0) {
            Shape expected = new Shape(b, layout.nTextSegments(), cfg.lTxt(), cfg.textDim());
            if (text == null || !text.getShape().equals(expected)) {
                throw new IllegalArgumentException("text " + (text == null ? "null" : text.getShape()) + " expected " + expected);
            }
        }
    }

    /**
     * A box is for an actor_box_cond model only, one (Cb, H, W) input per frame of the forward, Cb the actor layout's
     * channels.
     */
    private void checkActorBox(NDArray actorBox, int batch, SceneLayout layout) {
        if (actorBox == null) {
            return;
        }
        if (!cfg.actorBoxCond()) {
            throw new IllegalArgumentException("an actor box was given to a model without actor_box_cond");
        }
        Shape expected = new Shape(batch, layout.nFrames(), cfg.actorLayout().channels(), cfg.latentH(),
                cfg.latentW());
        if (!actorBox.getShape().equals(expected)) {
            throw new IllegalArgumentException("actor box " + actorBox.getShape() + " expected " + expected
                    + " (one mask per frame of the forward)");
        }
    }

    /** A previous frame is for a prev_frame_cond model only, one (C, H, W) frame per frame of the forward. */
    private void checkPrevFrame(NDArray prevFrame, int batch, SceneLayout layout) {
        if (prevFrame == null) {
            return;
        }
        if (!cfg.prevFrameCond()) {
            throw new IllegalArgumentException("a previous frame was given to a model without prev_frame_cond");
        }
        Shape expected = new Shape(batch, layout.nFrames(), cfg.latentChannels(), cfg.latentH(), cfg.latentW());
        if (!prevFrame.getShape().equals(expected)) {
            throw new IllegalArgumentException("previous frame " + prevFrame.getShape() + " expected " + expected
                    + " (one frame per frame of the forward)");
        }
    }

    /** 0 where allowed, −∞ where masked; null when every query sees every key. */
    static NDArray additiveMask(NDManager scope, AttentionMask mask, TokenIds queries, TokenIds keys) {
        if (mask instanceof AttentionMask.SceneFull) {
            return null;
        }
        boolean[] allow = mask.allowMatrix(queries, keys);
        float[] add = new float[allow.length];
        boolean all = true;
        for (int i = 0; i < allow.length; i++) {
            if (!allow[i]) {
                add[i] = Float.NEGATIVE_INFINITY;
                all = false;
            }
        }
        return all ? null : scope.create(add, new Shape(queries.size(), keys.size()));
    }

    /** (B, F, C, H, W) → (B, F/pt·Hp·Wp, P), tubelets in (f, h, w) raster order, vector order (pt, ph, pw, C). */
    NDArray patchify(NDArray latents) {
        Shape s = latents.getShape();
        long b = s.get(0);
        long f = s.get(1);
        int pt = cfg.patchT();
        int ph = cfg.patchH();
        int pw = cfg.patchW();
        return latents.reshape(b, f / pt, pt, cfg.latentChannels(), cfg.gridH(), ph, cfg.gridW(), pw)  // (B, Ft, pt, C, Hp, ph, Wp, pw)
                .transpose(0, 1, 4, 6, 2, 5, 7, 3)                                                 // (B, Ft, Hp, Wp, pt, ph, pw, C)
                .reshape(b, (f / pt) * cfg.tokensPerFrame(), cfg.patchDim());
    }

    /** (B, F/pt·Hp·Wp, P) → (B, F, C, H, W). */
    NDArray unpatchify(NDArray tokens, int frames) {
        long b = tokens.getShape().get(0);
        int pt = cfg.patchT();
        return tokens.reshape(b, frames / pt, cfg.gridH(), cfg.gridW(), pt, cfg.patchH(), cfg.patchW(), cfg.latentChannels())
                .transpose(0, 1, 4, 7, 2, 5, 3, 6)                                                 // (B, Ft, pt, C, Hp, ph, Wp, pw)
                .reshape(b, frames, cfg.latentChannels(), cfg.latentH(), cfg.latentW());
    }

    /**
     * Model FLOPs of one forward (2 per multiply-add of the block matmuls: qkv, proj, MLP, q·kᵀ, p·v), the
     * numerator of MFU. Embedding, adaLN and the final layer are left out (&lt; 2 % at the S preset), and so
     * is the engine's own RoPE product.
     */
    public double flops(int batch, int tokens, int keys) {
        int d = cfg.dModel();
        double perTokenLinear = 2.0 * (3.0 * d * d + d * d + 2.0 * d * cfg.mlpHidden());
        double attention = 2.0 * 2.0 * tokens * (double) keys * d;                    // q·kᵀ and p·v
        return batch * (cfg.nLayers() * (tokens * perTokenLinear + attention));
    }
}
