package dev.storyboard.inference.service;

import dev.storyboard.domain.Shot;
import dev.storyboard.inference.config.StoryDiTConfig;
import dev.storyboard.inference.dit.ShotLabel;
import java.util.Locale;

/**
 * How a domain {@link Shot} conditions the loaded model — the one place that decides it, used by validation, by
 * every text-encoder call and by the generation-cache keys:
 *
 * <ul>
 *   <li>a {@code shot_cond} model reads the camera move and shot size as class labels ({@link ShotLabel}, mapped
 *       by name: the lower-case enum name must be an entry of the config's {@code cameras} / {@code shot_sizes}),
 *       so its text encoder gets only the creator's words, {@link Shot#prompt()};</li>
 *   <li>any other model gets {@link Shot#modelPrompt()} (the prompt with camera and framing phrases) and null
 *       labels, exactly as before shot labels existed.</li>
 * </ul>
 */
public final class ShotConditioning {
    private final StoryDiTConfig cfg;

    public ShotConditioning(StoryDiTConfig cfg) {
        this.cfg = cfg;
    }

    /** Whether the camera and framing reach the model as labels (true) or as prompt phrases (false). */
    public boolean usesLabels() {
        return cfg.shotCond();
    }

    /** The text the model's text encoder reads for this shot. */
    public String prompt(Shot shot) {
        return usesLabels() ? shot.prompt().strip() : shot.modelPrompt();
    }

    /**
     * The shot's labels for every one of its segments; {@link ShotLabel#NULL} for a model without shot labels.
     *
     * @throws IllegalArgumentException naming the camera move or shot size the model does not know
     */
    public ShotLabel label(Shot shot) {
        if (!usesLabels()) {
            return ShotLabel.NULL;
        }
        return new ShotLabel(cfg.cameraLabel(name(shot.camera())), cfg.shotSizeLabel(name(shot.shotSize())));
    }

    /**
     * Everything of the shot that conditions the model, as one string for cache keys and session tags: changing
     * the prompt, or (for a label model) the camera or framing, changes it. For a model without labels it is
     * {@link Shot#modelPrompt()}, so the keys of existing caches stay valid.
     */
    public String key(Shot shot) {
        if (!usesLabels()) {
            return shot.modelPrompt();
        }
        return prompt(shot) + "\u0000camera=" + name(shot.camera()) + "\u0000size=" + name(shot.shotSize());
    }

    /** Domain enum → config vocabulary entry: {@code PAN_LEFT} → {@code pan_left}. */
    static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
