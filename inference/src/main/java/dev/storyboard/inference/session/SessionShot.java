package dev.storyboard.inference.session;

import dev.storyboard.inference.dit.ShotLabel;
import java.util.Arrays;

/**
 * One shot of a session: its caption and labels, clean latents, context seed, tag and — once computed — its K/V at
 * t_c. An operation works on a copy (its working entry) and the session takes it over only when it commits.
 */
final class SessionShot {
    final float[] text;            // l_txt · text_dim, zero-padded caption rows
    final ShotLabel label;         // camera / shot-size labels of every segment of the shot
    float[] latents;               // frames · C·H·W, clean DiT latents
    int frames;
    final long seed;               // context re-noising draws from this seed
    String tag;
    ShotKv cache;                  // K/V of the whole shot at t_c under the session mask; null = not computed

    SessionShot(float[] text, ShotLabel label, float[] latents, int frames, long seed, String tag) {
        this.text = text;
        this.label = label;
        this.latents = latents;
        this.frames = frames;
        this.seed = seed;
        this.tag = tag;
    }

    /**
     * The working entry of an extension to {@code total} frames: the same caption, labels, context seed (so a
     * recomputed cache equals this one) and tag, the latents padded with room for the new frames, and a cache list
     * sharing the session-owned chunks.
     */
    SessionShot grownTo(int total, int frameSize) {
        SessionShot grown = new SessionShot(text, label, Arrays.copyOf(latents, total * frameSize), total, seed, tag);
        grown.cache = cache == null ? null : cache.shallowCopy();
        return grown;
    }

    void dropCache() {
        if (cache != null) {
            cache.close();
            cache = null;
        }
    }
}
