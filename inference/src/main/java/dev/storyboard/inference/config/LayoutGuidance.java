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
    EVERY_CHUNK;

    /** The config.json spelling: "none", "guided_chunks" or "every_chunk". */
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

    /** Whether a target's unconditional row drops its layout: {@code wordsGuided} = CFG runs on it anyway. */
    public boolean guidesLayout(boolean wordsGuided) {
        return this == EVERY_CHUNK || this == GUIDED_CHUNKS && wordsGuided;
    }
}
