package dev.storyboard.inference.session;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.storyboard.inference.config.LayoutGuidance;
import dev.storyboard.inference.config.SamplerConfig;
import dev.storyboard.inference.config.StoryDiTConfig;
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
import java.util.function.Supplier;

/**
 * Samples a target — frames of the operation's shot — from its INITIAL noise (or, continuing the shot, from its previous
 * frame: {@link ContinuationStart}) against a {@link Context}. A target
 * that carries the shot's caption (its first chunk, or a whole shot) is guided: CFG with cond and uncond in one batch
 * of two, the uncond row with the target's caption zeroed (context keeps its captions), a caption_cond model's uncond
 * row also with the target's pooled caption zeroed and a shot_cond model's with the target's shot labels null. Later
 * chunks run one row at guidance 1, unless the context offers an unconditional view of the shot
 * ({@link ChunkGuidance#EVERY_CHUNK}). An actor_box_cond model reads the boxes of the forward's frames, inline context
 * and target, in both rows ({@link ActorBoxes}), except that under the model's {@link LayoutGuidance} the unconditional
 * row reads none for the target's frames: on the guided targets, and with {@link LayoutGuidance#EVERY_CHUNK} on later
 * chunks too (with {@link LayoutGuidance#STILL_SHOT_CHUNKS} on those of a shot whose camera holds still), whose two rows
 * then differ only there (guided at the model's {@code layout_guidance_scale} where it names one); a prev_frame_cond
 * model reads, for every frame of a target that does not begin its shot, the shot's final frame before the target, in
 * both rows ({@link PreviousFrame}).
 */
final class TargetDenoiser {

    /** Called after every denoising step. */
    @FunctionalInterface
    interface StepProgress {
        void done(int step, int steps);
    }

    /** Adjusts the target's latents before a step ({@link SeamBlend}'s inpainting); production uses {@link #NONE}. */
    @FunctionalInterface
    interface BeforeStep {
        /** The latents to step from, given those reached before step {@code step} at time {@code t}. */
        float[] apply(float[] x, int step, double t);

        BeforeStep NONE = (x, step, t) -> x;
    }

    private final StoryDiT dit;
    private final StoryDiTConfig cfg;
    private final int frameSize;
    private final Scene scene;
    private final ActorBoxes actorBoxes;
    private final PreviousFrame previousFrame;
    private final SamplerConfig samplerDefaults;
    private int lastContextTokens;

    TargetDenoiser(StoryboardModel model, Scene scene, ActorBoxes actorBoxes) {
        this.dit = model.dit();
        this.cfg = model.config().dit();
        this.frameSize = cfg.latentFrameSize();
        this.scene = scene;
        this.actorBoxes = actorBoxes;
        this.previousFrame = PreviousFrame.of(cfg);
        this.samplerDefaults = model.config().sampler();
    }

    /** Context tokens (cached keys, or inline tokens when recomputing) the last target attended to. */
    int lastContextTokens() {
        return lastContextTokens;
    }

    /** The span's frames of the operation's shot, denoised in scope; returns the clean latents (n · C·H·W). */
    float[] denoise(NDManager scope, Context ctx, ShotOperation op, FrameSpan span, StepProgress progress) {
        return denoise(scope, ctx, op, span, progress, BeforeStep.NONE);
    }

    /** As {@link #denoise(NDManager, Context, ShotOperation, FrameSpan, StepProgress)}, with the latents adjusted before every step. */
    float[] denoise(NDManager scope, Context ctx, ShotOperation op, FrameSpan span, StepProgress progress, BeforeStep before) {
        ShotTarget shot = op.shot();
        Segment target = shot.segment(span.start(), span.count());
        List<Segment> segs = new ArrayList<>(ctx.segments());
        segs.add(target);
        SceneLayout layout = shot.real().withSegments(segs);
        lastContextTokens = ctx.cache() != null ? ctx.cache().size() : layout.nTokens() - layout.segmentTokens(target);
        boolean wordsGuided = target.text() || ctx.guidesLaterChunks();
        boolean layoutGuided = samplerDefaults.layoutGuidance()         // a model without a layout has NONE (ModelConfig)
                .guidesLayout(wordsGuided, cfg.holdsStill(shot.entry().label.camera()));
        int rows = wordsGuided || layoutGuided ? 2 : 1;
        VelocityField batched = velocity(scope, ctx, shot, segs, layout, target, span, rows, wordsGuided, layoutGuided);
        VelocityField field = rows == 1 ? batched : wordsGuided
                ? FlowMatchSampler.guided(batched, op.sampling().guidance())
                : layoutOnly(FlowMatchSampler.guided(batched, samplerDefaults.layoutOnlyScale(op.sampling().guidance())),
                        () -> velocity(scope, ctx, shot, segs, layout, target, span, 1, false, false));
        return sample(scope, field, op, span, progress, before);
    }

    /**
     * The model's velocity for {@code rows} rows of the target against the context: row 0 conditional, a row 1 the
     * unconditional view ({@code wordsGuided}: no caption for the target; {@code layoutGuided}: no layout for it).
     */
    private VelocityField velocity(NDManager scope, Context ctx, ShotTarget shot, List<Segment> segs, SceneLayout layout,
                                   Segment target, FrameSpan span, int rows, boolean wordsGuided, boolean layoutGuided) {
        NDArray text = textRows(scope, ctx, target, shot.entry(), rows);
        boolean nullOwnShot = ctx.ownText() >= 0;
        NDArray captions = cfg.captionCond() ? pooledCaptions(scope, segs, shot.entry(), nullOwnShot, rows, wordsGuided) : null;
        ShotLabel[][] labels = cfg.shotCond() ? shotLabels(segs, shot.entry(), nullOwnShot, rows, wordsGuided) : null;
        NDArray box = actorBoxes.masks(scope, segs, j -> j == shot.index() ? shot.entry() : scene.shot(j), rows, layoutGuided);
        NDArray prev = previousFrame.input(scope, shot.entry().latents, span, ctx.latentFrames(), rows);
        SegmentConditions conditions = new SegmentConditions(captions, labels, box, prev);
        NDArray inline = ctx.latentFrames() == 0 ? null
                : scope.create(ctx.latents(), new Shape(1, ctx.latentFrames(), cfg.latentChannels(), cfg.latentH(), cfg.latentW()))
                        .broadcast(rows, ctx.latentFrames(), cfg.latentChannels(), cfg.latentH(), cfg.latentW());
        int g = segs.size();
        // the cache is the same for every step: lay it out once with room for the target's tokens
        KvCache stepCache = ctx.cache() == null ? null
                : rows == 2 && ctx.nullCache() != null ? KvCache.pairWithRoom(ctx.cache(), ctx.nullCache(), layout.segmentTokens(target), scope)
                : ctx.cache().withRoom(rows, layout.segmentTokens(target), scope);
        return (xr, t) -> {
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
            NDArray v = dit.forward(xr.getManager(), latents, text, tt, layout, span.mask(), stepCache, false, conditions).velocity();
            return inline == null ? v : v.get(new NDIndex(":, {}:", ctx.latentFrames()));
        };
    }

    /**
     * A chunk guided on its layout alone ({@link LayoutGuidance#guidesLayoutAlone}): guided at the steps whose t is at
     * least the model's {@code layout_guidance_t_min}, its conditional row alone (one forward) below it; every step
     * where the model names none (the bundled model: session 38 measured 0.75 and lost most of the guidance's gain).
     */
    private VelocityField layoutOnly(VelocityField guided, Supplier<VelocityField> conditional) {
        double tMin = samplerDefaults.layoutGuidanceTMin();
        if (tMin == 0) {
            return guided;
        }
        VelocityField single = conditional.get();
        return (x, t) -> t >= tMin ? guided.velocity(x, t) : single.velocity(x, t);
    }

    /** The sampler's loop from the span's start (its INITIAL noise, or {@link ContinuationStart}); every step runs in its own manager. */
    private float[] sample(NDManager scope, VelocityField field, ShotOperation op, FrameSpan span, StepProgress progress,
                           BeforeStep before) {
        Sampling.Start start = op.sampling().start(span.start(), span.count(), frameSize, op.shot().entry().latents);
        FlowMatchSampler sampler = start.sampler();
        double[] times = sampler.timesteps();
        Shape shape = new Shape(1, span.count(), cfg.latentChannels(), cfg.latentH(), cfg.latentW());
        float[] x = start.x();
        for (int k = 0; k < sampler.steps(); k++) {
            op.cancel().throwIfCancelled();
            try (NDManager step = scope.newSubManager()) {      // every array of this step dies here
                x = sampler.step(field, step.create(before.apply(x, k, times[k]), shape), k).toFloatArray();
            }
            progress.done(k + 1, sampler.steps());
        }
        return x;
    }

    /**
     * Text (rows, T, l, 384), null without text segments: row 0 = [context captions, target caption], a CFG row 1 =
     * [context captions, zeros] (and, with the shot's unconditional view, zeros for its earlier chunks' caption too).
     */
    private NDArray textRows(NDManager scope, Context ctx, Segment target, SessionShot entry, int rows) {
        int textSegments = ctx.textSegments() + (target.text() ? 1 : 0);
        if (textSegments == 0) {
            return null;
        }
        int rowText = cfg.lTxt() * cfg.textDim();
        float[] out = new float[rows * textSegments * rowText];
        for (int row = 0; row < rows; row++) {
            int base = row * textSegments * rowText;
            System.arraycopy(ctx.text(), 0, out, base, ctx.text().length);
            if (row == 1 && ctx.ownText() >= 0) {
                Arrays.fill(out, base + ctx.ownText() * rowText, base + (ctx.ownText() + 1) * rowText, 0f);
            }
            if (target.text() && row == 0) {
                System.arraycopy(entry.text, 0, out, base + ctx.textSegments() * rowText, rowText);
            }
        }
        return scope.create(out, new Shape(rows, textSegments, cfg.lTxt(), cfg.textDim()));
    }

    /**
     * Pooled captions (rows, G, D) of a forward's segments: row 0 every segment's shot caption; a CFG row 1 the
     * same with the target's zeroed (the target is the last segment, its shot is {@code own}) and, when
     * {@code nullOwnShot}, every other segment of the target's shot too (its null-caption view).
     */
    private NDArray pooledCaptions(NDManager scope, List<Segment> segs, SessionShot own, boolean nullOwnShot, int rows,
                                   boolean wordsGuided) {
        int dim = cfg.textDim();
        int g = segs.size();
        int targetShot = segs.get(g - 1).shot();
        float[] out = new float[rows * g * dim];
        for (int i = 0; i < g; i++) {
            Segment s = segs.get(i);
            boolean ownShot = !s.isGlobal() && s.shot() == targetShot;
            float[] tokens = s.isGlobal() ? scene.globalText() : ownShot ? own.text : scene.shot(s.shot()).text;
            float[] pooled = CaptionCondition.pool(tokens, dim);
            System.arraycopy(pooled, 0, out, i * dim, dim);
            if (rows == 2 && (!wordsGuided || i < g - 1 && !(nullOwnShot && ownShot))) {
                System.arraycopy(pooled, 0, out, (g + i) * dim, dim);
            }
        }
        return scope.create(out, new Shape(rows, g, dim));
    }

    /**
     * Shot labels (rows × G) of a forward's segments, as {@link #pooledCaptions}: row 0 every segment's shot labels
     * (null for the global caption); a CFG row 1 the same with the target's null and, when {@code nullOwnShot}, every
     * other segment of the target's shot too (its null-caption view was encoded without them).
     */
    private ShotLabel[][] shotLabels(List<Segment> segs, SessionShot own, boolean nullOwnShot, int rows, boolean wordsGuided) {
        int g = segs.size();
        int targetShot = segs.get(g - 1).shot();
        ShotLabel[][] out = new ShotLabel[rows][g];
        for (int i = 0; i < g; i++) {
            Segment s = segs.get(i);
            boolean ownShot = !s.isGlobal() && s.shot() == targetShot;
            ShotLabel label = s.isGlobal() ? ShotLabel.NULL : ownShot ? own.label : scene.shot(s.shot()).label;
            out[0][i] = label;
            if (rows == 2) {
                out[1][i] = wordsGuided && (i == g - 1 || nullOwnShot && ownShot) ? ShotLabel.NULL : label;
            }
        }
        return out;
    }
}
