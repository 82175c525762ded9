package dev.storyboard.inference.layout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.storyboard.inference.config.BoxPlannerConfig;
import dev.storyboard.inference.nn.Nn;
import dev.storyboard.inference.weights.Weights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The layout planner ({@code box_planner.py BoxPlanner}): where the actor stands in every frame of a shot, planned from
 * what the engine has for the shot — its prompt (the pooled MiniLM sentence embedding, as the caption condition pools
 * it), its camera and shot-size labels (the DiT's; 0 = not given) and the frame's {@link #phase phase} in the shot. An
 * {@code actor_box_cond} model reads the box as a mask ({@link #masks}): the 0/1 box ({@link BoxMasks}), or, for a
 * silhouette planner (its config has kinds; the model's {@code actor_layout} is silhouette), the silhouette of a kind
 * facing a way ({@link SilhouetteMasks}): the way a shot's own prompt {@link #name names}, and the kind its scene's
 * prompts name together ({@link #sceneKind}; {@link #name} also names a kind from one prompt alone); or, for a painting
 * planner (its config has colours too; the model's {@code actor_layout} is painted), that silhouette painted a colour
 * ({@link PaintedMasks}): the colour its scene's prompts name together ({@link #sceneColour}, by the kind's rule). An
 * acting planner (its config has actions) also names the shot's action from its prompt ({@link #nameAction}) and plans
 * that action's path: its MLP reads the named action's label, so a shot's boxes follow one action, never a blend.
 *
 * <pre>
 * Shape legend
 *   N frames planned at once    D = textDim    E = labelDim    K = phaseFreqs    Hd = hidden
 *
 * 1. input   [pooled (D) | camera.weight[camera] (E) | shot_size.weight[size] (E) |
 *             (acting) action_label.weight[action] (E) |
 *             sin(2^k·π·phase), k &lt; K | cos(2^k·π·phase), k &lt; K]                (N, D + 2E + 2K, acting + E)
 * 2. MLP     mlp.0 → SiLU → mlp.2 → SiLU → mlp.4                                     (N, Hd) → (N, Hd) → (N, 4)
 * 3. box     (cx, cy, w, h) = σ(·);  box = clamp([cx − w/2, cy − h/2, cx + w/2, cy + h/2], 0, 1)   (N, 4)
 *            x0 y0 x1 y1 as shares of the frame's width and height
 *
 * A silhouette planner (Kn = len(kinds) &gt; 0, s = template_size), once per shot:
 * 4. kind    pooled (D) → kind.0 → SiLU → kind.2                                          (Hd) → (Kn + 1)
 *            kind = argmax of the first Kn logits (the first on a tie); facing = +1 if the last logit ≥ 0, else −1
 * 5. scene   the scene's non-null prompts (M, D) → kind head → (M, Kn + 1)
 *            kind = argmax over k of Σ_m log_softmax(logits[m, :Kn])[k] (the first on a tie)     (the scene's kind)
 *
 * A painting planner (C = len(colours) &gt; 0; it has kinds too):
 * 6. colour  pooled (D) → colour.0 → SiLU → colour.2                                      (Hd) → (C)
 *            colour = argmax (the first on a tie), painted as palette[colour] (its mean fill, RGB in [0, 1])
 * 7. scene   the scene's colour by step 5's rule on the colour head: argmax over c of Σ_m log_softmax(logits[m])[c]
 *
 * An acting planner (A = len(actions) &gt; 0), once per shot, before step 1:
 * 0. action  pooled (D) → action.0 → SiLU → action.2                                      (Hd) → (A)
 *            action = argmax (the first on a tie); step 1 reads its row of action_label.weight
 * </pre>
 *
 * Weights ({@value #FILE}, names as the PyTorch state_dict): {@code camera.weight} (len(cameras) + 1, E),
 * {@code shot_size.weight} (len(shot_sizes) + 1, E), {@code mlp.{0,2,4}.weight / .bias}; a silhouette planner's also
 * {@code kind.0.weight} (Hd, D), {@code kind.0.bias} (Hd), {@code kind.2.weight} (Kn + 1, Hd), {@code kind.2.bias}
 * (Kn + 1) and {@code templates} (Kn, s, s), each kind's mean silhouette in its box, facing right; a painting planner's
 * also {@code colour.0.weight} (Hd, D), {@code colour.0.bias} (Hd), {@code colour.2.weight} (C, Hd), {@code
 * colour.2.bias} (C) and {@code palette} (C, 3); an acting planner's also {@code action.0.weight} (Hd, D), {@code
 * action.0.bias} (Hd), {@code action.2.weight} (A, Hd), {@code action.2.bias} (A) and {@code action_label.weight} (A,
 * E).
 */
public final class BoxPlanner {
    /** The planner's weights in a model folder ({@code export.py BOX_PLANNER_FILE}). */
    public static final String FILE = "box_planner.safetensors";
    /** Values per box: x0, y0, x1, y1. */
    public static final int BOX = 4;

    private final BoxPlannerConfig cfg;
    private final float[] cameraTable;       // (len(cameras) + 1) · E
    private final float[] shotSizeTable;     // (len(shot_sizes) + 1) · E
    private final NDArray w0;
    private final NDArray b0;
    private final NDArray w2;
    private final NDArray b2;
    private final NDArray w4;
    private final NDArray b4;
    private final PromptHead kindHead;       // kind.0 … kind.2 and templates: null for a box planner
    private final float[] templates;         // Kn · s · s
    private final PromptHead colourHead;     // colour.0 … colour.2 and palette: null unless it paints
    private final float[] palette;           // C · 3
    private final PromptHead actionHead;     // action.0 … action.2: null unless it names the action
    private final float[] actionTable;       // A · E

    /**
     * The kind a silhouette planner names for a shot and the way the actor faces: {@code kind} indexes the config's
     * kinds, {@code facing} is +1 (right) or −1 (left).
     */
    public record NamedKind(int kind, int facing) {
        public NamedKind {
            if (kind < 0 || (facing != 1 && facing != -1)) {
                throw new IllegalArgumentException("a named kind is an index and a facing of +1 or -1, got " + kind
                        + ", " + facing);
            }
        }
    }

    /** Reads every tensor of the planner's file (checked against {@code cfg}; errors name the file and the tensor). */
    public BoxPlanner(BoxPlannerConfig cfg, Weights w) {
        this.cfg = cfg;
        int e = cfg.labelDim();
        int hidden = cfg.hidden();
        cameraTable = w.floats("camera.weight", cfg.cameraLabels(), e);
        shotSizeTable = w.floats("shot_size.weight", cfg.shotSizeLabels(), e);
        w0 = w.take("mlp.0.weight", hidden, cfg.inputWidth());
        b0 = w.take("mlp.0.bias", hidden);
        w2 = w.take("mlp.2.weight", hidden, hidden);
        b2 = w.take("mlp.2.bias", hidden);
        w4 = w.take("mlp.4.weight", BOX, hidden);
        b4 = w.take("mlp.4.bias", BOX);
        if (cfg.plansSilhouette()) {
            int s = cfg.templateSize();
            kindHead = new PromptHead(w, "kind", cfg.textDim(), hidden, cfg.kindLogits());
            templates = w.floats("templates", cfg.kinds().size(), s, s);
        } else {
            kindHead = null;
            templates = null;
        }
        if (cfg.plansColour()) {
            colourHead = new PromptHead(w, "colour", cfg.textDim(), hidden, cfg.colours().size());
            palette = w.floats("palette", cfg.colours().size(), PaintedMasks.RGB);
        } else {
            colourHead = null;
            palette = null;
        }
        if (cfg.plansAction()) {
            actionHead = new PromptHead(w, "action", cfg.textDim(), hidden, cfg.actions().size());
            actionTable = w.floats("action_label.weight", cfg.actions().size(), e);
        } else {
            actionHead = null;
            actionTable = null;
        }
        w.requireAllUsed();
    }

    public BoxPlannerConfig config() {
        return cfg;
    }

    /**
     * The phase of frame {@code frame} of a shot of {@code shotFrames} frames: frame / shotFrames, in float32 as
     * {@code box_planner.shot_phases} computes it. Which length a frame is planned against is the session's choice
     * (the shot's length when the frame is made).
     */
    public static float phase(int frame, int shotFrames) {
        if (shotFrames <= 0 || frame < 0 || frame >= shotFrames) {
            throw new IllegalArgumentException("frame " + frame + " is not a frame of a shot of " + shotFrames + " frames");
        }
        return (float) frame / (float) shotFrames;
    }

    /**
     * The boxes of frames at {@code phases} of one shot: N · 4 floats, x0 y0 x1 y1 per frame as shares of the frame,
     * computed in a sub-manager of {@code parent} that is closed before this returns. An acting planner plans the
     * action the prompt names ({@link #nameAction}).
     *
     * @param pooled   the shot's pooled prompt (D floats; zeros = the null prompt)
     * @param camera   camera label, 0 = not given
     * @param shotSize shot-size label, 0 = not given
     * @throws IllegalArgumentException naming the input that does not fit the planner
     */
    public float[] plan(NDManager parent, float[] pooled, int camera, int shotSize, float[] phases) {
        int action = cfg.plansAction() ? nameAction(parent, pooled) : -1;
        return plan(parent, pooled, camera, shotSize, action, phases);
    }

    /**
     * {@link #plan(NDManager, float[], int, int, float[])} told the action: an acting planner plans the path of {@code
     * action} (an index into the config's actions) whatever the prompt names; a planner without actions takes −1.
     *
     * @throws IllegalArgumentException naming the input that does not fit the planner
     */
    public float[] plan(NDManager parent, float[] pooled, int camera, int shotSize, int action, float[] phases) {
        requirePooled(pooled);
        requireLabel(camera, cfg.cameraLabels(), "camera");
        requireLabel(shotSize, cfg.shotSizeLabels(), "shot-size");
        if (cfg.plansAction()) {
            requireLabel(action, cfg.actions().size(), "action");
        } else if (action != -1) {
            throw new IllegalArgumentException("a planner without actions plans from the prompt's words alone: action "
                    + action + " given");
        }
        int n = phases.length;
        if (n == 0) {
            return new float[0];
        }
        float[] raw;
        try (NDManager scope = parent.newSubManager()) {
            NDArray x = scope.create(inputRows(pooled, camera, shotSize, action, phases),
                    new Shape(n, cfg.inputWidth()));
            NDArray h = Nn.silu(Nn.linear(Nn.silu(Nn.linear(x, w0, b0)), w2, b2));                       // (N, Hd)
            raw = Nn.linear(h, w4, b4).getNDArrayInternal().sigmoid().toFloatArray();                     // (N, 4)
        }
        float[] boxes = new float[n * BOX];
        for (int i = 0; i < n; i++) {
            int o = i * BOX;
            float cx = raw[o];
            float cy = raw[o + 1];
            float halfW = raw[o + 2] / 2f;
            float halfH = raw[o + 3] / 2f;
            boxes[o] = clampShare(cx - halfW);
            boxes[o + 1] = clampShare(cy - halfH);
            boxes[o + 2] = clampShare(cx + halfW);
            boxes[o + 3] = clampShare(cy + halfH);
        }
        return boxes;
    }

    /**
     * The kind head's logits for a shot's pooled prompt (Kn + 1 floats: one per kind, then "faces right"), computed in
     * a sub-manager of {@code parent} that is closed before this returns.
     *
     * @throws IllegalStateException for a box planner (it names no kind)
     */
    public float[] kindLogits(NDManager parent, float[] pooled) {
        if (!cfg.plansSilhouette()) {
            throw new IllegalStateException("a box planner (no kinds in its config) names no kind");
        }
        requirePooled(pooled);
        return kindHead.logits(parent, pooled);
    }

    /**
     * The kind a silhouette planner names for a shot's pooled prompt and the way it faces ({@code
     * box_planner.BoxPlanner.named_kind}): the most probable kind (the first on a tie, as argmax), facing right iff the
     * last logit is ≥ 0. One kind and one way per prompt, so the silhouette is one template, never a blend.
     *
     * @throws IllegalStateException for a box planner (it names no kind)
     */
    public NamedKind name(NDManager parent, float[] pooled) {
        float[] logits = kindLogits(parent, pooled);
        int kinds = cfg.kinds().size();
        return new NamedKind(firstMaximum(logits, kinds), logits[kinds] >= 0f ? 1 : -1);
    }

    /**
     * The evidence a scene's prompts give for each kind ({@code box_planner.BoxPlanner.scene_log_probs}): log_softmax
     * of the first Kn logits of the kind head for the scene's surest non-null prompt ({@link #isNullPrompt} ones are
     * left out; see {@link #surestLogProbs}), Kn floats, computed on the engine in a sub-manager of {@code parent} that
     * is closed before this returns.
     *
     * @param pooled the scene's pooled prompts (each D floats): the scene (global) prompt and each shot's, in any order
     * @throws IllegalStateException    for a box planner (it names no kind)
     * @throws IllegalArgumentException when no prompt is non-null (a scene without words names no kind), or a prompt
     *                                  is not D wide
     */
    public float[] sceneLogProbs(NDManager parent, List<float[]> pooled) {
        if (!cfg.plansSilhouette()) {
            throw new IllegalStateException("a box planner (no kinds in its config) names no kind");
        }
        return surestLogProbs(parent, pooled, kindHead, cfg.kinds().size(), "kind");
    }

    /**
     * The kind a scene's actor is, named from every prompt the scene has ({@code box_planner.BoxPlanner.scene_kind}):
     * the kind its surest prompt names ({@link #sceneLogProbs}), the first (lowest index) on a tie, as torch's argmax.
     * One actor per scene, named by all its words: a shot that calls it an "orb" is read with the shots that call it a
     * ball, and the surest of them names it.
     *
     * @param pooled the scene's pooled prompts (each D floats); null prompts (all zeros) are left out
     * @throws IllegalStateException    for a box planner (it names no kind)
     * @throws IllegalArgumentException when no prompt is non-null, or a prompt is not D wide
     */
    public int sceneKind(NDManager parent, List<float[]> pooled) {
        float[] evidence = sceneLogProbs(parent, pooled);
        return firstMaximum(evidence, evidence.length);
    }

    /**
     * The action head's logits for a shot's pooled prompt (A floats, one per action), computed in a sub-manager of
     * {@code parent} that is closed before this returns.
     *
     * @throws IllegalStateException for a planner without actions
     */
    public float[] actionLogits(NDManager parent, float[] pooled) {
        if (!cfg.plansAction()) {
            throw new IllegalStateException("a planner without actions in its config names no action");
        }
        requirePooled(pooled);
        return actionHead.logits(parent, pooled);
    }

    /**
     * The action an acting planner names for a shot's pooled prompt ({@code box_planner.BoxPlanner.named_action}): the
     * most probable action, the first on a tie, as argmax; an index into the config's actions.
     *
     * @throws IllegalStateException for a planner without actions
     */
    public int nameAction(NDManager parent, float[] pooled) {
        float[] logits = actionLogits(parent, pooled);
        return firstMaximum(logits, logits.length);
    }

    /**
     * The colour head's logits for a shot's pooled prompt (C floats, one per colour), computed in a sub-manager of
     * {@code parent} that is closed before this returns.
     *
     * @throws IllegalStateException for a planner that paints nothing (no colours)
     */
    public float[] colourLogits(NDManager parent, float[] pooled) {
        requirePaints();
        requirePooled(pooled);
        return colourHead.logits(parent, pooled);
    }

    /**
     * The colour a painting planner names for one pooled prompt ({@code box_planner.BoxPlanner.named_colour}'s choice):
     * the most probable colour, the first on a tie, as argmax; an index into the config's colours.
     *
     * @throws IllegalStateException for a planner that paints nothing (no colours)
     */
    public int nameColour(NDManager parent, float[] pooled) {
        float[] logits = colourLogits(parent, pooled);
        return firstMaximum(logits, logits.length);
    }

    /**
     * The evidence a scene's prompts give for each colour ({@code box_planner.BoxPlanner.scene_colour_log_probs}):
     * {@link #sceneLogProbs}'s rule on the colour head, log_softmax of the C colour logits of the scene's surest
     * non-null prompt, C floats.
     *
     * @throws IllegalStateException    for a planner that paints nothing (no colours)
     * @throws IllegalArgumentException when no prompt is non-null (a scene without words names no colour), or a prompt
     *                                  is not D wide
     */
    public float[] sceneColourLogProbs(NDManager parent, List<float[]> pooled) {
        requirePaints();
        return surestLogProbs(parent, pooled, colourHead, cfg.colours().size(), "colour");
    }

    /**
     * The colour a scene's actor is, named from every prompt the scene has by {@link #sceneKind}'s rule ({@code
     * box_planner.BoxPlanner.scene_colour}): the colour its surest prompt names ({@link #sceneColourLogProbs}), the
     * first on a tie. One actor per scene: a shot that does not name its colour is painted the colour the others
     * name.
     *
     * @throws IllegalStateException    for a planner that paints nothing (no colours)
     * @throws IllegalArgumentException when no prompt is non-null, or a prompt is not D wide
     */
    public int sceneColour(NDManager parent, List<float[]> pooled) {
        float[] evidence = sceneColourLogProbs(parent, pooled);
        return firstMaximum(evidence, evidence.length);
    }

    /** Colour {@code colour}'s mean fill, red, green and blue ({@code palette[colour]}; a copy). */
    public float[] rgb(int colour) {
        requirePaints();
        if (colour < 0 || colour >= cfg.colours().size()) {
            throw new IllegalArgumentException("colour " + colour + " is not one of the planner's "
                    + cfg.colours().size() + " colours");
        }
        return Arrays.copyOfRange(palette, colour * PaintedMasks.RGB, (colour + 1) * PaintedMasks.RGB);
    }

    /** Each colour's mean fill, C · 3 floats (a copy); empty for a planner that paints nothing. */
    public float[] palette() {
        return palette == null ? new float[0] : palette.clone();
    }

    /**
     * The evidence of a scene's prompts for one of a head's attributes ({@code box_planner.surest_log_probs}): of the
     * non-null prompts ({@link #isNullPrompt} ones are left out), the surest one's log_softmax of the head's first
     * {@code n} logits, n floats: the prompt whose largest log-probability is the largest, the first such prompt on a
     * tie (as torch's argmax). A prompt that names the attribute in words the head knows is sure; prompts in words it
     * does not know are less sure and, summed, outvoted it whenever they were more (session 34: the colour of 95.3 %
     * of 600 held-out-wording scenes against 86.3 % summed). Computed on the engine (one batch of the non-null
     * prompts, torch's log_softmax) in a sub-manager of {@code parent} that is closed before this returns. The one
     * rule behind the scene's kind and colour.
     */
    private float[] surestLogProbs(NDManager parent, List<float[]> pooled, PromptHead head, int n, String what) {
        int d = cfg.textDim();
        List<float[]> real = new ArrayList<>();
        for (float[] p : pooled) {
            requirePooled(p);
            if (!isNullPrompt(p)) {
                real.add(p);
            }
        }
        if (real.isEmpty()) {
            throw new IllegalArgumentException("a scene with no prompt names no " + what + ": the " + pooled.size()
                    + " prompts given are all the null prompt (no words)");
        }
        float[] rows = new float[real.size() * d];
        for (int i = 0; i < real.size(); i++) {
            System.arraycopy(real.get(i), 0, rows, i * d, d);
        }
        try (NDManager scope = parent.newSubManager()) {
            NDArray logits = head.logits(scope.create(rows, new Shape(real.size(), d)));       // (M, logits)
            float[] logProbs = logits.get(new NDIndex(":, :" + n)).logSoftmax(1).toFloatArray(); // (M, n) row-major
            int surest = 0;
            float surestMax = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < real.size(); i++) {
                float max = Float.NEGATIVE_INFINITY;
                for (int k = 0; k < n; k++) {
                    max = Math.max(max, logProbs[i * n + k]);
                }
                if (max > surestMax) {                                   // strictly larger: the first on a tie
                    surest = i;
                    surestMax = max;
                }
            }
            return Arrays.copyOfRange(logProbs, surest * n, (surest + 1) * n);
        }
    }

    /** The index of the largest of {@code values[0 .. n)}, the first on a tie (strictly larger replaces), as argmax. */
    private static int firstMaximum(float[] values, int n) {
        int best = 0;
        for (int k = 1; k < n; k++) {
            if (values[k] > values[best]) {
                best = k;
            }
        }
        return best;
    }

    /**
     * Whether a pooled prompt is the null prompt, which names nothing and is left out of a scene's kind: the sum of
     * its absolute values is not above 0 in float32 ({@code pooled.abs().sum(-1) > 0} is false: all zeros, or NaN).
     */
    public static boolean isNullPrompt(float[] pooled) {
        float sum = 0f;
        for (float v : pooled) {
            sum += Math.abs(v);
        }
        return !(sum > 0f);
    }

    /**
     * The model's box input of N planned boxes ({@link #plan}'s shares) on an h × w grid, N · h · w floats: a box
     * planner's 0/1 boxes ({@link BoxMasks}), a silhouette planner's silhouettes of {@code kind} ({@link
     * SilhouetteMasks}, the templates of this planner). A painting planner needs a colour: {@link #masks(float[],
     * NamedKind, int, int, int)}.
     *
     * @param kind the shot's named kind ({@link #name}); ignored (may be null) for a box planner
     */
    public float[] masks(float[] boxes, NamedKind kind, int h, int w) {
        return masks(boxes, kind, -1, h, w);
    }

    /**
     * The model's box input of N planned boxes ({@link #plan}'s shares) on an h × w grid, N · Cb · h · w floats (Cb =
     * the config's {@code layout().channels()}): a box planner's 0/1 boxes ({@link BoxMasks}), a silhouette planner's
     * silhouettes of {@code kind} ({@link SilhouetteMasks}, the templates of this planner), a painting planner's
     * silhouettes painted {@code colour} ({@link PaintedMasks}, palette[colour]) — {@code box_planner.planned_masks}'s
     * choice, in one place.
     *
     * @param kind   the shot's named kind ({@link #name}); ignored (may be null) for a box planner
     * @param colour the shot's named colour ({@link #sceneColour}, an index into the colours); ignored for a planner
     *               that paints nothing (−1 = none)
     */
    public float[] masks(float[] boxes, NamedKind kind, int colour, int h, int w) {
        if (!cfg.plansSilhouette()) {
            return BoxMasks.masks(boxes, h, w);
        }
        if (kind == null) {
            throw new IllegalArgumentException("a silhouette planner draws the named kind: no kind given");
        }
        float[] silhouettes = SilhouetteMasks.masks(boxes, templates, cfg.templateSize(), kind.kind(), kind.facing(), h,
                w);
        if (!cfg.plansColour()) {
            return silhouettes;
        }
        if (colour < 0) {
            throw new IllegalArgumentException("a painting planner paints the named colour: no colour given");
        }
        return PaintedMasks.masks(silhouettes, rgb(colour), h, w);
    }

    /** Each kind's template facing right, Kn · s · s floats (a copy); empty for a box planner. */
    public float[] templates() {
        return templates == null ? new float[0] : templates.clone();
    }

    private void requirePaints() {
        if (!cfg.plansColour()) {
            throw new IllegalStateException("a planner without colours in its config names no colour");
        }
    }

    private void requirePooled(float[] pooled) {
        if (pooled.length != cfg.textDim()) {
            throw new IllegalArgumentException("the planner reads a " + cfg.textDim() + "-wide pooled prompt, got "
                    + pooled.length);
        }
    }

    /**
     * Stage 1: one row per frame, [pooled | camera embedding | shot-size embedding | (acting) action embedding | sin |
     * cos].
     */
    private float[] inputRows(float[] pooled, int camera, int shotSize, int action, float[] phases) {
        int width = cfg.inputWidth();
        int d = cfg.textDim();
        int e = cfg.labelDim();
        int k = cfg.phaseFreqs();
        int fourier = d + (cfg.plansAction() ? 3 : 2) * e;
        float[] rows = new float[phases.length * width];
        for (int i = 0; i < phases.length; i++) {
            int o = i * width;
            System.arraycopy(pooled, 0, rows, o, d);
            System.arraycopy(cameraTable, camera * e, rows, o + d, e);
            System.arraycopy(shotSizeTable, shotSize * e, rows, o + d + e, e);
            if (cfg.plansAction()) {
                System.arraycopy(actionTable, action * e, rows, o + d + 2 * e, e);
            }
            float angle = phases[i] * (float) Math.PI;                   // float32, as phase · π in box_planner.py
            for (int f = 0; f < k; f++) {
                float a = angle * (float) (1 << f);
                rows[o + fourier + f] = (float) Math.sin(a);
                rows[o + fourier + k + f] = (float) Math.cos(a);
            }
        }
        return rows;
    }

    private static float clampShare(float v) {
        return Math.min(Math.max(v, 0f), 1f);
    }

    private static void requireLabel(int label, int labels, String what) {
        if (label < 0 || label >= labels) {
            throw new IllegalArgumentException(what + " label " + label + " is outside the planner's 0.." + (labels - 1));
        }
    }
}
