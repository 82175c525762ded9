package dev.storyboard.inference.session;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns finished frames into context: re-noises them to the context level t_c (x = (1 − t_c)·z + t_c·ε, ε the shot's
 * CONTEXT noise) and encodes them into K/V, computes the missing caches of the global caption and earlier shots, and
 * assembles the cached context one query sees through {@link ContextWindow} and the long-context policy. A model that
 * reads the actor's box is given the boxes of the frames it encodes ({@link ActorBoxes}), their own caption or not.
 */
final class ContextEncoder {
    private final StoryDiT dit;
    private final StoryDiTConfig cfg;
    private final float tContext;
    private final int frameSize;
    private final Scene scene;
    private final LongContextPolicy policy;
    private final NDArray rotateHalf;
    private final ActorBoxes actorBoxes;

    ContextEncoder(StoryboardModel model, Scene scene, LongContextPolicy policy, NDArray rotateHalf,
                   ActorBoxes actorBoxes) {
        this.dit = model.dit();
        this.cfg = model.config().dit();
        this.tContext = (float) model.config().sampler().tContext();
        this.frameSize = cfg.latentFrameSize();
        this.scene = scene;
        this.policy = policy;
        this.rotateHalf = rotateHalf;
        this.actorBoxes = actorBoxes;
    }

    /**
     * One forward of the span's frames of the shot (with its caption when the span starts the shot) re-noised to t_c,
     * t = t_c; returns its K/V (batch 1) in scope. {@code nullCaption}: the shot's caption is null (zero tokens, zero
     * pooled caption, null shot labels) — its null-caption stream.
     */
    KvCache encode(NDManager scope, ShotTarget shot, FrameSpan span, KvCache prefix, boolean nullCaption) {
        SessionShot entry = shot.entry();
        int start = span.start();
        int n = span.count();
        float[] z = Arrays.copyOfRange(entry.latents, start * frameSize, (start + n) * frameSize);
        NDArray x = scope.create(renoise(z, entry.seed, start, n), new Shape(1, n, cfg.latentChannels(), cfg.latentH(), cfg.latentW()));
        Segment seg = shot.segment(start, n);
        float[] caption = nullCaption ? new float[entry.text.length] : entry.text;
        NDArray text = seg.text() ? scope.create(caption, new Shape(1, 1, cfg.lTxt(), cfg.textDim())) : null;
        // a chunk without its caption tokens still carries the caption in its condition (caption_cond models)
        NDArray captions = cfg.captionCond()
                ? scope.create(CaptionCondition.pool(caption, cfg.textDim()), new Shape(1, 1, cfg.textDim())) : null;
        ShotLabel[][] labels = {{nullCaption ? ShotLabel.NULL : entry.label}};
        NDArray box = actorBoxes.masks(scope, List.of(seg), j -> entry, 1);             // (1, n, 1, H, W) or null
        return dit.forward(scope, x, text, new float[][] {{tContext}}, shot.real().withSegments(List.of(seg)), span.mask(),
                prefix, true, new SegmentConditions(captions, labels, box)).newKv();
    }

    /** (1 − t_c)·z + t_c·ε with ε the shot's CONTEXT noise of frames [start, start + n). */
    float[] renoise(float[] z, long seed, int start, int n) {
        float keep = 1f - tContext;
        float[] eps = GaussianNoise.frames(seed, GaussianNoise.Purpose.CONTEXT, start, n, frameSize);
        float[] out = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            out[i] = keep * z[i] + tContext * eps[i];
        }
        return out;
    }

    /**
     * The cache of (global ++ shots &lt; shot.index ++ {@code current}: the shot's chunks &lt; chunk), windowed by the
     * policy, in scope.
     */
    KvCache window(NDManager scope, ShotTarget shot, int chunk, ShotKv current) {
        List<ShotKv> earlier = new ArrayList<>();
        for (int j = 0; j < shot.index(); j++) {
            earlier.add(scene.shot(j).cache);
        }
        return new ContextWindow(policy, shot.real()).assemble(scene.globalCache(), earlier, current, shot.index(), chunk,
                dit.rope(), rotateHalf, scope);
    }

    /**
     * Computes the missing caches of the global caption and shots &lt; upTo under {@code mask}, in order (each one
     * forward), into the session's manager.
     */
    void ensureCaches(int upTo, AttentionMask mask, NDManager session, CancellationToken cancel) {
        if (scene.hasGlobal() && scene.globalCache() == null) {
            cancel.throwIfCancelled();
            try (NDManager scope = session.newSubManager()) {
                SceneLayout layout = dit.layoutFor(scene.shotFramesWith(-1, 0), true).withSegments(List.of(Segment.globalCaption()));
                NDArray text = scope.create(scene.globalText(), new Shape(1, 1, cfg.lTxt(), cfg.textDim()));
                scene.setGlobalCache(dit.forward(scope, null, text, new float[][] {{0f}}, layout, mask, null, true)
                        .newKv().copyTo(session));
            }
        }
        for (int j = 0; j < upTo; j++) {
            SessionShot s = scene.shot(j);
            if (s.cache != null) {
                continue;
            }
            cancel.throwIfCancelled();
            ShotTarget shot = new ShotTarget(dit.layoutFor(scene.shotFramesWith(j, s.frames), scene.hasGlobal()), j, s);
            try (NDManager scope = session.newSubManager()) {
                KvCache prefix = window(scope, shot, 0, null);
                s.cache = ShotKv.of(encode(scope, shot, new FrameSpan(0, s.frames, mask), prefix, false).copyTo(session));
            }
        }
    }
}
