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
 *   input  [pooled (textDim) | camera embedding (labelDim) | shot-size embedding (labelDim) | Fourier(phase) (2·phaseFreqs)]
 *   MLP    Linear(inputWidth → hidden) → SiLU → Linear(hidden → hidden) → SiLU → Linear(hidden → 4)
 * </pre>
 *
 * @param cameras    camera-move names; camera label i + 1 = cameras[i], 0 = not given (the DiT's labels)
 * @param shotSizes  shot-size names; shot-size label i + 1 = shotSizes[i], 0 = not given
 * @param textDim    width of the pooled prompt (MiniLM's 384)
 * @param labelDim   width of each label embedding
 * @param phaseFreqs Fourier frequencies of the phase: sin and cos of 2^k·π·phase, k &lt; phaseFreqs
 * @param hidden     width of the MLP's hidden layers
 */
public record BoxPlannerConfig(List<String> cameras, List<String> shotSizes, int textDim, int labelDim, int phaseFreqs,
                               int hidden) {
    public BoxPlannerConfig {
        cameras = List.copyOf(cameras);
        shotSizes = List.copyOf(shotSizes);
        require(!cameras.isEmpty() && !shotSizes.isEmpty(), "cameras and shot_sizes must list at least one name each");
        require(textDim > 0 && labelDim > 0 && phaseFreqs > 0 && hidden > 0,
                "text_dim, label_dim, phase_freqs and hidden must be positive, got " + textDim + ", " + labelDim + ", "
                        + phaseFreqs + ", " + hidden);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("invalid box_planner config: " + message);
        }
    }

    /** Width of the MLP's input, textDim + 2·labelDim + 2·phaseFreqs. */
    public int inputWidth() {
        return textDim + 2 * labelDim + 2 * phaseFreqs;
    }

    /** Rows of the camera label table, len(cameras) + 1 (row 0 = not given). */
    public int cameraLabels() {
        return cameras.size() + 1;
    }

    /** Rows of the shot-size label table, len(shot_sizes) + 1 (row 0 = not given). */
    public int shotSizeLabels() {
        return shotSizes.size() + 1;
    }

    /** The {@code box_planner} section (every field required: the export writes them all). */
    public static BoxPlannerConfig fromJson(JsonNode n) {
        return new BoxPlannerConfig(ConfigJson.names(n, "cameras", null), ConfigJson.names(n, "shot_sizes", null),
                ConfigJson.required(n, "text_dim").asInt(), ConfigJson.required(n, "label_dim").asInt(),
                ConfigJson.required(n, "phase_freqs").asInt(), ConfigJson.required(n, "hidden").asInt());
    }

    /**
     * Throws unless this planner reads the labels and prompts {@code dit} reads: the engine gives it the shot's DiT
     * labels and pooled caption, so the names behind every label and the text width must be the same.
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
    }
}
