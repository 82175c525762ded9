package dev.storyboard.inference.session;

/**
 * Which chunks of a streamed shot classifier-free guidance acts on (docs/STORYDIT.md §8). The first chunk
 * carries the shot's caption tokens; a later chunk (and every chunk of an extension) sees the caption only
 * through the shot's cached earlier chunks.
 */
public enum ChunkGuidance {
    /**
     * Default. Guidance acts on the shot's first chunk; later chunks follow the cached ones with guidance 1,
     * one batch row instead of CFG's two. Equal to what the engine did before the policy existed (its
     * unconditional pass of a later chunk shared the captioned cache, so it equalled the conditional one);
     * a 60 s extension keeps the trained drift goals (luma +1.4 %, training/README.md session-6 findings).
     */
    FIRST_CHUNK,
    /**
     * Guidance on every chunk: the session keeps a caption-free copy of the shot's earlier chunks (a
     * null-caption stream, what stage-2 caption dropout trains) and the unconditional pass of a later chunk
     * attends to it. Measured on the shipped model: no adherence gain on 2 s shots, and over a 60 s
     * extension CFG compounds chunk after chunk (luma +18 %, adherence −11 points). Kept as the ablation
     * ({@link NullCaptionContext}, or {@link RecomputedContext} with the shot's own caption zeroed).
     */
    EVERY_CHUNK
}
