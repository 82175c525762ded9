package dev.storyboard.inference.session;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.storyboard.inference.config.StoryDiTConfig;
import dev.storyboard.inference.dit.CaptionCondition;
import dev.storyboard.inference.dit.Segment;
import dev.storyboard.inference.dit.ShotLabel;
import dev.storyboard.inference.layout.BoxPlanner;
import dev.storyboard.inference.model.StoryboardModel;
import java.util.Arrays;
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
 *       they were drawn with, so their context (cached or recomputed) reads the same box as their sampling did. A
 *       model that reads the planned silhouette ({@code actor_layout = "silhouette"}) also needs the shot's kind and
 *       facing ({@link SessionShot#kind}): the kind is the scene's, one per scene, which its planner names from all the
 *       scene's words together ({@link #sceneActor}, the session chooses the words); the facing is the shot's own,
 *       which the planner {@link #name names} from the shot's pooled caption alone where its boxes are planned, once
 *       per shot (an extension's frames share the caption, so they share the facing). A model that reads it painted
 *       ({@code actor_layout = "painted"}) also needs the shot's colour ({@link SessionShot#colour}): the scene's,
 *       named from the same words by the kind's rule.</li>
 *   <li>{@link #masks}: a forward's box input, the masks of exactly the frames of its segments in layout order —
 *       each shot's boxes drawn as the planner draws them ({@link BoxPlanner#masks}: 0/1 boxes, the silhouette of
 *       the shot's kind, facing its way, or that silhouette painted the shot's colour) — context frames and target
 *       frames alike, and the same in every CFG row (the layout is given; guidance acts on the words, {@code
 *       pipeline.denoise}), unless the model's layout guidance drops the target's from the unconditional row.</li>
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

    /** Whether the model draws a named kind's silhouette (its planner names kinds), so its scene has a kind. */
    boolean namesKinds() {
        return planner != null && planner.config().plansSilhouette();
    }

    /**
     * The kind and facing a shot whose caption rows are {@code text} is drawn with: the scene's kind {@code sceneKind}
     * ({@link #sceneActor}) and the way the planner names from the shot's pooled caption alone (every frame of the shot
     * has it); null for a model without the box or one that reads the 0/1 box.
     */
    BoxPlanner.NamedKind name(NDManager parent, float[] text, int sceneKind) {
        if (!namesKinds()) {
            return null;
        }
        return new BoxPlanner.NamedKind(sceneKind, planner.name(parent, CaptionCondition.pool(text, cfg.textDim())).facing());
    }

    /** Whether the model paints the silhouette a named colour (its planner names colours), so its scene has a colour. */
    boolean namesColours() {
        return planner != null && planner.config().plansColour();
    }

    /**
     * The actor the planner names for a scene whose words are {@code texts} (caption rows each, l_txt · text_dim,
     * zero-padded; a caption without words is the null prompt and is left out): the kind ({@link BoxPlanner#sceneKind})
     * and, for a painting planner, the colour ({@link BoxPlanner#sceneColour}) of their pooled captions, by one rule;
     * {@link SceneActor#NONE} for a model that names no kind.
     *
     * @throws IllegalArgumentException when no caption has words
     */
    SceneActor sceneActor(NDManager parent, List<float[]> texts) {
        if (!namesKinds()) {
            return SceneActor.NONE;
        }
        List<float[]> pooled = pooled(texts);
        return new SceneActor(planner.sceneKind(parent, pooled),
                namesColours() ? planner.sceneColour(parent, pooled) : -1);
    }

    /**
     * Whether any of {@code texts} has words, i.e. is not the null prompt ({@link BoxPlanner#isNullPrompt}); false for a
     * model that names no kind.
     */
    boolean anyWords(List<float[]> texts) {
        return namesKinds() && pooled(texts).stream().anyMatch(p -> !BoxPlanner.isNullPrompt(p));
    }

    private List<float[]> pooled(List<float[]> texts) {
        return texts.stream().map(t -> CaptionCondition.pool(t, cfg.textDim())).toList();
    }

    /**
     * The box input (rows, F, Cb, H, W) of a forward over {@code segments}, in scope (Cb the model's actor layout's
     * channels): the masks of each segment's frames of its shot ({@code shots}: shot index → its entry; {@link
     * BoxPlanner#masks} of its boxes, kind, facing and colour), in layout order, the same in every row; null for a
     * model without the box.
     */
    NDArray masks(NDManager scope, List<Segment> segments, IntFunction<SessionShot> shots, int rows) {
        return masks(scope, segments, shots, rows, false);
    }

    /**
     * As {@link #masks(NDManager, List, IntFunction, int)}; with {@code layoutGuided} (two rows, {@link
     * dev.storyboard.inference.config.LayoutGuidance}) row 1 reads no layout for the frames of the last segment, the
     * target, and keeps the context's.
     */
    NDArray masks(NDManager scope, List<Segment> segments, IntFunction<SessionShot> shots, int rows, boolean layoutGuided) {
        if (layoutGuided && rows != 2) {
            throw new IllegalArgumentException("layout guidance needs the two CFG rows, not " + rows);
        }
        if (planner == null) {
            return null;
        }
        int h = cfg.latentH();
        int w = cfg.latentW();
        int channels = cfg.actorLayout().channels();
        int frames = segments.stream().mapToInt(Segment::nFrames).sum();
        float[] one = new float[frames * channels * h * w];
        int at = 0;
        for (Segment s : segments) {
            if (s.nFrames() > 0) {
                SessionShot shot = shots.apply(s.shot());
                float[] boxes = Arrays.copyOfRange(shot.boxes, s.frameStart() * BoxPlanner.BOX,
                        (s.frameStart() + s.nFrames()) * BoxPlanner.BOX);
                float[] masks = planner.masks(boxes, shot.kind, shot.colour, h, w);
                System.arraycopy(masks, 0, one, at, masks.length);
                at += masks.length;
            }
        }
        float[] all = new float[rows * one.length];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(one, 0, all, r * one.length, one.length);
        }
        if (layoutGuided) {
            int target = segments.get(segments.size() - 1).nFrames() * channels * h * w;
            Arrays.fill(all, all.length - target, all.length, 0f);
        }
        return scope.create(all, new Shape(rows, frames, channels, h, w));
    }
}
