package dev.storyboard.inference.session;

/**
 * What the unconditional (CFG) pass of a shot's second and later chunks attends to. The first chunk carries
 * the shot's caption tokens, so zeroing them gives a true unconditional pass; a later chunk sees the caption
 * only through the shot's cached earlier chunks (docs/STORYDIT.md §7).
 */
public enum ChunkGuidance {
    /**
     * Default. The session keeps a second, caption-free stream of the shot being streamed: its earlier chunks
     * re-encoded with a null caption, exactly what stage-2 caption dropout trains. The unconditional pass of
     * a later chunk attends to that stream, so guidance steers every chunk. Costs one extra cache forward per
     * chunk (and one over the shot's old frames when an extension starts).
     */
    NULL_STREAM,
    /**
     * Both passes share the captioned cache: for a later chunk the unconditional pass equals the conditional
     * one and guidance has no effect there (apart from a caption_cond model's pooled caption). The behaviour
     * before NULL_STREAM; kept as the ablation baseline.
     */
    SHARED_CACHE
}
