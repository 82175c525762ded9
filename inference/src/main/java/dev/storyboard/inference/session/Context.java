package dev.storyboard.inference.session;

import dev.storyboard.inference.dit.KvCache;
import dev.storyboard.inference.dit.Segment;
import java.util.List;

/**
 * What a target forward attends to besides itself: a K/V cache (production), or inline segments with their latents
 * at t_c, caption rows and timesteps (full recompute). The unconditional view of the target's own shot exists only
 * under {@link ChunkGuidance#EVERY_CHUNK}: {@code nullCache} (cached) is the same context with the shot's earlier
 * chunks taken from its null-caption stream; {@code ownText} (inline) is the text index of those chunks' caption,
 * zeroed in the unconditional row. Otherwise they are null / −1.
 *
 * @param latents      the inline segments' frames at t_c, latentFrames · C·H·W
 * @param text         the inline text segments' rows, textSegments · l_txt · text_dim
 * @param t            the inline segments' timesteps
 */
record Context(KvCache cache, KvCache nullCache, List<Segment> segments, float[] latents, int latentFrames,
               float[] text, int textSegments, float[] t, int ownText) {

    static Context cached(KvCache cache) {
        return new Context(cache, null, List.of(), new float[0], 0, new float[0], 0, new float[0], -1);
    }

    Context withNullCache(KvCache unconditional) {
        return new Context(cache, unconditional, segments, latents, latentFrames, text, textSegments, t, ownText);
    }

    /** Whether the unconditional row has its own view of the target's shot: then later chunks are guided too. */
    boolean guidesLaterChunks() {
        return nullCache != null || ownText >= 0;
    }
}
