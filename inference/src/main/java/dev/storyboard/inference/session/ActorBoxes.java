package dev.storyboard.inference.session;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.storyboard.inference.config.StoryDiTConfig;
import dev.storyboard.inference.dit.CaptionCondition;
import dev.storyboard.inference.dit.Segment;
import dev.storyboard.inference.dit.ShotLabel;
import dev.storyboard.inference.layout.BoxMasks;
import dev.storyboard.inference.layout.BoxPlanner;
import dev.storyboard.inference.model.StoryboardModel;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The actor's box of every frame a forward computes, for a model that reads it ({@code actor_box_cond}; others get
 * none, and their forwards are what they were). Two jobs, one per side of a shot's frames:
 *
 * <ul>
 *   <li>{@link #plan}: when frames of a shot are made (a new shot, an extension, a finished shot given as context),
 *       the model's {@link BoxPlanner} plans their boxes from the shot's pooled caption and labels, frame k at phase
 *       k / F with F the shot's length at that moment. A shot keeps each frame's box ({@link SessionShot#boxes}):
 *       an extension plans only its new frames, at the shot's new length, and the frames already drawn keep the boxes
 *       they were drawn with, so their context (cached or recomputed) reads the same box as their sampling did.</li>
 *   <li>{@link #masks}: a forward's box input, the masks ({@link BoxMasks}) of exactly the frames of its segments in
 *       layout order: context frames and target frames alike, and the same in every CFG row (the layout is given;
 *       guidance acts on the words, {@code pipeline.denoise}).</li>
 * </ul>
 */
final class ActorBoxes {
    /** A model without the box input: no plans, no masks. */
    static final ActorBoxes NONE = new ActorBoxes(null, null);

    private final BoxPlanner planner;          // null = the model reads no box
    private final StoryDiTConfig cfg;

    private ActorBoxes(BoxPlanner planner, StoryDiTConfig cfg) {
        this.planner = planner;
        this.cfg = cfg;
    }

    /** The model's boxes: planned by its layout planner when it reads the actor's box, else {@link #NONE}. */
    static ActorBoxes of(StoryboardModel model) {
        return model.boxPlanner().map(p -> new ActorBoxes(p, model.config().dit())).orElse(NONE);
    }

    /**
     * The boxes of frames [from, to) of a shot of {@code shotFrames} frames whose caption rows are {@code text}
     * (l_txt · text_dim, zero-padded) and whose labels are {@code label}: (to − from) · 4 floats, frame k at phase
     * k / shotFrames; null for a model without the box. Planned in a sub-manager of {@code parent}.
     */
    float[] plan(NDManager parent, float[] text, ShotLabel label, int from, int to, int shotFrames) {
        if (planner == null) {
            return null;
        }
        float[] phases = new float[to - from];
        for (int k = from; k < to; k++) {
            phases[k - from] = BoxPlanner.phase(k, shotFrames);
        }
        float[] pooled = CaptionCondition.pool(text, cfg.textDim());
        return planner.plan(parent, pooled, label.camera(), label.shotSize(), phases);
    }

    /**
     * The box input (rows, F, 1, H, W) of a forward over {@code segments}, in scope: the masks of each segment's
     * frames of its shot ({@code shots}: shot index → its entry), in layout order, the same in every row; null for a
     * model without the box.
     */
    NDArray masks(NDManager scope, List<Segment> segments, IntFunction<SessionShot> shots, int rows) {
        if (planner == null) {
            return null;
        }
        int frames = segments.stream().mapToInt(Segment::nFrames).sum();
        float[] boxes = new float[frames * BoxPlanner.BOX];
        int at = 0;
        for (Segment s : segments) {
            if (s.nFrames() > 0) {
                float[] own = shots.apply(s.shot()).boxes;
                System.arraycopy(own, s.frameStart() * BoxPlanner.BOX, boxes, at, s.nFrames() * BoxPlanner.BOX);
                at += s.nFrames() * BoxPlanner.BOX;
            }
        }
        float[] one = BoxMasks.masks(boxes, cfg.latentH(), cfg.latentW());
        float[] all = new float[rows * one.length];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(one, 0, all, r * one.length, one.length);
        }
        return scope.create(all, new Shape(rows, frames, 1, cfg.latentH(), cfg.latentW()));
    }
}
