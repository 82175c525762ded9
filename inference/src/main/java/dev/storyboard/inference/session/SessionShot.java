package dev.storyboard.inference.session;

import dev.storyboard.inference.dit.ShotLabel;
import dev.storyboard.inference.layout.BoxPlanner;
import java.util.Arrays;

/**
 * One shot of a session: its caption and labels, clean latents, the actor's planned box per frame and, for a model that
 * reads the planned silhouette, the kind (its scene's) and facing (named from its own caption) it is drawn with, and for
 * one that reads it painted, the colour (its scene's), context seed, tag and — once computed — its K/V at t_c. An operation works on a copy (its working entry) and the session takes it over
 * only when it commits.
 */
final class SessionShot {
    final float[] text;            // l_txt · text_dim, zero-padded caption rows
    final ShotLabel label;         // camera / shot-size labels of every segment of the shot
    float[] latents;               // frames · C·H·W, clean DiT latents
    float[] boxes;                 // frames · 4, each frame's box as it was planned (ActorBoxes); null = no box input
    BoxPlanner.NamedKind kind;     // the scene's kind, the facing named from the caption (ActorBoxes); null = box
                                   // or none; the kind follows the scene's (Scene.setActor), the facing stays
    int colour;                    // the scene's colour, an index into the planner's colours (ActorBoxes); -1 = not
                                   // painted; it follows the scene's (Scene.setActor)
    int frames;
    final long seed;               // context re-noising draws from this seed
    String tag;
    ShotKv cache;                  // K/V of the whole shot at t_c under the session mask; null = not computed

    SessionShot(float[] text, ShotLabel label, float[] latents, float[] boxes, int frames, long seed, String tag) {
        this(text, label, latents, boxes, null, frames, seed, tag);
    }

    SessionShot(float[] text, ShotLabel label, float[] latents, float[] boxes, BoxPlanner.NamedKind kind, int frames,
                long seed, String tag) {
        this(text, label, latents, boxes, kind, -1, frames, seed, tag);
    }

    SessionShot(float[] text, ShotLabel label, float[] latents, float[] boxes, BoxPlanner.NamedKind kind, int colour,
                int frames, long seed, String tag) {
        this.text = text;
        this.label = label;
        this.latents = latents;
        this.boxes = boxes;
        this.kind = kind;
        this.colour = colour;
        this.frames = frames;
        this.seed = seed;
        this.tag = tag;
    }

    /**
     * The working entry of an extension to {@code total} frames: the same caption, labels, kind, facing and colour (the
     * scene's kind and colour and the way the caption alone names, so the new frames' are the same), context seed (so a recomputed cache equals this one) and tag, the
     * latents padded with room for the new frames, the boxes followed by {@code newBoxes} (the new frames' boxes; null
     * for a model without the box input), and a cache list sharing the session-owned chunks.
     */
    SessionShot grownTo(int total, int frameSize, float[] newBoxes) {
        float[] grownBoxes = null;
        if (boxes != null) {
            grownBoxes = Arrays.copyOf(boxes, boxes.length + newBoxes.length);
            System.arraycopy(newBoxes, 0, grownBoxes, boxes.length, newBoxes.length);
        }
        SessionShot grown = new SessionShot(text, label, Arrays.copyOf(latents, total * frameSize), grownBoxes, kind,
                colour, total, seed, tag);
        grown.cache = cache == null ? null : cache.shallowCopy();
        return grown;
    }

    /**
     * Draws the shot with the scene's actor {@code actor}: its kind (the facing stays the shot's own) and its colour. A
     * shot drawn without a kind (a box model) or without a colour (an unpainted silhouette) stays so. Returns whether
     * that changed how the shot is drawn.
     */
    boolean drawWith(SceneActor actor) {
        boolean changed = false;
        if (kind != null && kind.kind() != actor.kind()) {
            kind = new BoxPlanner.NamedKind(actor.kind(), kind.facing());
            changed = true;
        }
        if (colour >= 0 && colour != actor.colour()) {
            colour = actor.colour();
            changed = true;
        }
        return changed;
    }

    void dropCache() {
        if (cache != null) {
            cache.close();
            cache = null;
        }
    }
}
