package dev.storyboard.inference.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The layout planner's hyper-parameters ({@code config.json → box_planner}, written by {@code export.py} from
 * {@code box_planner.py BoxPlannerConfig}); a model folder has them exactly when its DiT reads the actor's box
 * ({@code dit.actor_box_cond}). The planner ({@code layout.BoxPlanner}) reads a shot's pooled prompt, its camera and
 * shot-size labels and a frame's phase in the shot:
 *
 * <pre>
 *   input  [pooled (textDim) | camera embedding (labelDim) | shot-size embedding (labelDim) |
 *           (an acting planner) action embedding (labelDim) | Fourier(phase) (2·phaseFreqs)]
 *   MLP    Linear(inputWidth → hidden) → SiLU → Linear(hidden → hidden) → SiLU → Linear(hidden → 4)
 *   kind   (a silhouette planner, kinds not empty) pooled → Linear(textDim → hidden) → SiLU → Linear(hidden → K + 1)
 *          and templates (K, templateSize, templateSize)
 *   colour (a painting planner, colours not empty; it has kinds too) pooled → Linear(textDim → hidden) → SiLU →
 *          Linear(hidden → C) and palette (C, 3)
 *   action (an acting planner, actions not empty) pooled → Linear(textDim → hidden) → SiLU → Linear(hidden → A), and
 *          the action label table (A, labelDim) the MLP's input reads the named action from
 * </pre>
 *
 * @param cameras    camera-move names; camera label i + 1 = cameras[i], 0 = not given (the DiT's labels)
 * @param shotSizes  shot-size names; shot-size label i + 1 = shotSizes[i], 0 = not given
 * @param textDim    width of the pooled prompt (MiniLM's 384)
 * @param labelDim   width of each label embedding
 * @param phaseFreqs Fourier frequencies of the phase: sin and cos of 2^k·π·phase, k &lt; phaseFreqs
 * @param hidden     width of the MLP's hidden layers (and of the kind and colour heads')
 * @param kinds      the actor kinds a silhouette planner names ({@code kinds}; absent = none: a box planner); the
 *                   kind head's logit i is kinds[i], its last logit "faces right"
 * @param templateSize s, the side of each kind's silhouette template ({@code template_size}; absent = 16)
 * @param colours    the actor colours a painting planner names ({@code colours}; absent = none: it paints nothing);
 *                   the colour head's logit i is colours[i], painted as palette row i, its mean fill
 * @param actions    the actions an acting planner names ({@code actions}; absent = none): the action head's logit i is
 *                   actions[i], and the box MLP plans the named action's path (session 33)
 */
public record BoxPlannerConfig(List<String> cameras, List<String> shotSizes, int textDim, int labelDim, int phaseFreqs,
                               int hidden, List<String> kinds, int templateSize, List<String> colours,
                               List<String> actions) {
    /** {@code box_planner.py BoxPlannerConfig.template_size}'s default. */
    public static final int DEFAULT_TEMPLATE_SIZE = 16;

    public BoxPlannerConfig {
        cameras = List.copyOf(cameras);
        shotSizes = List.copyOf(shotSizes);
        kinds = List.copyOf(kinds);
        colours = List.copyOf(colours);
        actions = List.copyOf(actions);
        require(templateSize > 0, "template_size must be positive, got " + templateSize);
        require(colours.isEmpty() || !kinds.isEmpty(), "colours " + colours + " need kinds: a planner paints the "
                + "silhouette it plans");
        require(!cameras.isEmpty() && !shotSizes.isEmpty(), "cameras and shot_sizes must list at least one name each");
        require(textDim > 0 && labelDim > 0 && phaseFreqs > 0 && hidden > 0,
                "text_dim, label_dim, phase_freqs and hidden must be positive, got " + textDim + ", " + labelDim + ", "
                        + phaseFreqs + ", " + hidden);
    }

    /** A box planner (no kinds), as every planner before the planned silhouette. */
    public BoxPlannerConfig(List<String> cameras, List<String> shotSizes, int textDim, int labelDim, int phaseFreqs,
                            int hidden) {
        this(cameras, shotSizes, textDim, labelDim, phaseFreqs, hidden, List.of(), DEFAULT_TEMPLATE_SIZE);
    }

    /** A planner that paints nothing (no colours), as every planner before the painted silhouette. */
    public BoxPlannerConfig(List<String> cameras, List<String> shotSizes, int textDim, int labelDim, int phaseFreqs,
                            int hidden, List<String> kinds, int templateSize) {
        this(cameras, shotSizes, textDim, labelDim, phaseFreqs, hidden, kinds, templateSize, List.of());
    }

    /** A planner that names no action (no actions), as every planner before the named action. */
    public BoxPlannerConfig(List<String> cameras, List<String> shotSizes, int textDim, int labelDim, int phaseFreqs,
                            int hidden, List<String> kinds, int templateSize, List<String> colours) {
        this(cameras, shotSizes, textDim, labelDim, phaseFreqs, hidden, kinds, templateSize, colours, List.of());
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("invalid box_planner config: " + message);
        }
    }

    /** Width of the MLP's input, textDim + 2·labelDim + 2·phaseFreqs, and one more labelDim for an acting planner. */
    public int inputWidth() {
        return textDim + (plansAction() ? 3 : 2) * labelDim + 2 * phaseFreqs;
    }

    /** Whether it names the action and plans that action's path ({@code plans_action}): it has actions. */
    public boolean plansAction() {
        return !actions.isEmpty();
    }

    /** Rows of the camera label table, len(cameras) + 1 (row 0 = not given). */
    public int cameraLabels() {
        return cameras.size() + 1;
    }

    /** Rows of the shot-size label table, len(shot_sizes) + 1 (row 0 = not given). */
    public int shotSizeLabels() {
        return shotSizes.size() + 1;
    }

    /** Whether it names a kind and plans its silhouette ({@code plans_silhouette}): it has kinds. */
    public boolean plansSilhouette() {
        return !kinds.isEmpty();
    }

    /** Logits of the kind head, len(kinds) + 1: one per kind, then "faces right". */
    public int kindLogits() {
        return kinds.size() + 1;
    }

    /** Whether it names a colour and paints the silhouette it plans ({@code plans_colour}): it has colours. */
    public boolean plansColour() {
        return !colours.isEmpty();
    }

    /**
     * The layout it plans, which the model must read ({@code dit.actor_layout}): painted silhouettes with colours, else
     * silhouettes with kinds, else 0/1 boxes.
     */
    public StoryDiTConfig.ActorLayout layout() {
        if (plansColour()) {
            return StoryDiTConfig.ActorLayout.PAINTED;
        }
        return plansSilhouette() ? StoryDiTConfig.ActorLayout.SILHOUETTE : StoryDiTConfig.ActorLayout.BOX;
    }

    /**
     * The {@code box_planner} section (every field of a box planner required: the export writes them all; {@code kinds}
     * and {@code template_size}, which planners before the silhouette lack, default to none and 16; {@code colours},
     * which planners before the painted silhouette lack, to none; {@code actions}, which planners before the named
     * action lack, to none).
     */
    public static BoxPlannerConfig fromJson(JsonNode n) {
        return new BoxPlannerConfig(ConfigJson.names(n, "cameras", null), ConfigJson.names(n, "shot_sizes", null),
                ConfigJson.required(n, "text_dim").asInt(), ConfigJson.required(n, "label_dim").asInt(),
                ConfigJson.required(n, "phase_freqs").asInt(), ConfigJson.required(n, "hidden").asInt(),
                ConfigJson.names(n, "kinds", List.of()), n.path("template_size").asInt(DEFAULT_TEMPLATE_SIZE),
                ConfigJson.names(n, "colours", List.of()), ConfigJson.names(n, "actions", List.of()));
    }

    /**
     * Throws unless this planner reads the labels and prompts {@code dit} reads: the engine gives it the shot's DiT
     * labels and pooled caption, so the names behind every label and the text width must be the same; and unless it
     * plans what the model reads ({@link #layout} is {@code dit.actor_layout}, {@code export.py copy_planner}):
     * silhouettes (kinds) exactly when the model reads a silhouette, painted (colours) exactly when it reads one painted.
     */
    public void requireFits(StoryDiTConfig dit) {
        if (!cameras.equals(dit.cameras()) || !shotSizes.equals(dit.shotSizes())) {
            throw new IllegalArgumentException("box_planner labels " + cameras + " / " + shotSizes
                    + " are not the model's " + dit.cameras() + " / " + dit.shotSizes());
        }
        if (textDim != dit.textDim()) {
            throw new IllegalArgumentException("box_planner reads " + textDim + "-wide prompts, the model's text is "
                    + dit.textDim() + " wide");
        }
        StoryDiTConfig.ActorLayout reads = dit.actorLayout();
        if (layout() == reads) {
            return;
        }
        switch (reads) {
            case PAINTED -> throw new IllegalArgumentException("dit.actor_layout is painted: the model reads the "
                    + "silhouette painted the colour its layout planner names, but box_planner has no colours (a "
                    + layout().configName() + " planner; export the model with a planner trained by box_planner "
                    + "--silhouette --paint)");
            case SILHOUETTE -> throw new IllegalArgumentException(plansSilhouette()
                    ? "box_planner names colours " + colours + " and paints the silhouette, but the model reads it "
                            + "unpainted (dit.actor_layout is silhouette; export it with a planner trained by "
                            + "box_planner --silhouette, without --paint)"
                    : "dit.actor_layout is silhouette: the model reads the silhouette of the kind its layout planner "
                            + "names, but box_planner has no kinds (a box planner; export the model with a planner "
                            + "trained by box_planner --silhouette)");
            case BOX -> throw new IllegalArgumentException("box_planner names kinds " + kinds + " and plans "
                    + "silhouettes, but the model reads the 0/1 box (dit.actor_layout is box; export it with a box "
                    + "planner)");
        }
    }
}
