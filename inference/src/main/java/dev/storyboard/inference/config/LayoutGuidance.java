package dev.storyboard.inference.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Whether classifier-free guidance acts on the actor's planned layout as well as on the words
 * ({@code config.json → sampler.layout_guidance}; only for a model that reads the layout, {@code dit.actor_box_cond}).
 * The unconditional row of a guided target then reads no layout for the target's frames (zeros, what training's
 * dropped boxes teach); the context keeps its layout, as it keeps its captions (training/README.md, session 35;
 * the Python reference is {@code pipeline.cfg_actor_box}).
 */
public enum LayoutGuidance {
    /** Both CFG rows read the same layout: guidance acts on the words only (every model before session 35). */
    NONE,
    /** Where CFG runs (a shot's first chunk by default), its unconditional row reads no layout for the target. */
    GUIDED_CHUNKS,
    /**
     * Also on the chunks CFG otherwise skips: a later chunk of a streamed shot runs two rows that differ only in the
     * target's layout, at the shot's guidance scale or the model's {@code layout_guidance_scale} where it names one
     * ({@link SamplerConfig#layoutOnlyScale}; about twice the work of those chunks).
     */
    EVERY_CHUNK,
    /**
     * As {@link #EVERY_CHUNK} on the later chunks of a shot whose camera holds still, as {@link #GUIDED_CHUNKS} on a
     * moving shot's: on v9's weights every_chunk named the kind and colour more often but drew fewer camera moves
     * (training/README.md, session 37), so a moving shot keeps its one-row later chunks.
     */
    STILL_SHOT_CHUNKS;

    /** The config.json spelling: "none", "guided_chunks", "every_chunk" or "still_shot_chunks". */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value spelt {@code key}; a clear error naming the accepted spellings otherwise. */
    public static LayoutGuidance parse(String key) {
        return Arrays.stream(values()).filter(v -> v.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("sampler.layout_guidance must be one of "
                        + Arrays.stream(values()).map(LayoutGuidance::key).collect(Collectors.joining(", "))
                        + ", was '" + key + "'"));
    }

    /**
     * Whether a target's unconditional row drops its layout: {@code wordsGuided} = CFG runs on it anyway, {@code
     * cameraStill} = its shot's camera holds still ({@code StoryDiTConfig#holdsStill}).
     */
    public boolean guidesLayout(boolean wordsGuided, boolean cameraStill) {
        return switch (this) {
            case NONE -> false;
            case GUIDED_CHUNKS -> wordsGuided;
            case EVERY_CHUNK -> true;
            case STILL_SHOT_CHUNKS -> wordsGuided || cameraStill;
        };
    }

    /**
     * Whether it guides some chunks that CFG skips, on their layout alone (so a layout_guidance_scale applies): those
     * of a still shot, at least ({@link #guidesLayout}).
     */
    public boolean guidesLayoutAlone() {
        return guidesLayout(false, true);
    }
}
