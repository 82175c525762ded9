package dev.storyboard.inference.session;

import dev.storyboard.inference.dit.KvCache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A session's scene: the global caption and the shots in timeline order, with their caches. Changing a shot
 * invalidates the caches of the shots after it (their RoPE offsets or context moved). For a model that reads the planned
 * silhouette, every shot is drawn with the scene's one actor ({@link #setActor}: its kind and, painted, its colour);
 * changing it invalidates every shot's cache.
 */
final class Scene {
    private float[] globalText;              // null = no global caption
    private KvCache globalCache;
    private final List<SessionShot> shots = new ArrayList<>();
    private SceneActor actor = SceneActor.NONE;   // the kind (and colour) every shot is drawn with; NONE = none
                                                  // named yet, or a model that names no kind

    float[] globalText() {
        return globalText;
    }

    boolean hasGlobal() {
        return globalText != null;
    }

    KvCache globalCache() {
        return globalCache;
    }

    void setGlobalCache(KvCache cache) {
        globalCache = cache;
    }

    /** Sets (or clears, with null) the global caption's rows; a change invalidates every cache. */
    void setGlobalText(float[] text) {
        if (Arrays.equals(text, globalText)) {
            return;
        }
        globalText = text;
        if (globalCache != null) {
            globalCache.close();
            globalCache = null;
        }
        invalidateFrom(0);
    }

    /** The actor every shot is drawn with; {@link SceneActor#NONE} when none was named yet or the model names none. */
    SceneActor actor() {
        return actor;
    }

    /**
     * Draws every shot with the scene's actor {@code actor} (named): its kind, each shot keeping its own facing, and its
     * colour ({@link SessionShot#drawWith}). When any shot's drawing changes, every shot's cache is invalidated (the
     * context's K/V read the silhouettes, and every later shot's read the earlier ones); the global caption's cache reads
     * no frame and stays. Returns whether a shot's drawing changed.
     */
    boolean setActor(SceneActor actor) {
        if (!actor.named()) {
            throw new IllegalArgumentException("a scene's actor has a kind, got " + actor);
        }
        this.actor = actor;
        boolean changed = false;
        for (SessionShot s : shots) {
            changed |= s.drawWith(actor);
        }
        if (changed) {
            invalidateFrom(0);
        }
        return changed;
    }

    int size() {
        return shots.size();
    }

    SessionShot shot(int index) {
        return shots.get(index);
    }

    /** Frame counts of shots 0..index−1 and {@code frames} for shot index (positions need no later shots). */
    int[] shotFramesWith(int index, int frames) {
        int[] out = new int[Math.max(index + 1, 0)];
        for (int j = 0; j < index; j++) {
            out[j] = shots.get(j).frames;
        }
        if (index >= 0) {
            out[index] = frames;
        }
        return out;
    }

    /** Puts {@code shot} at {@code index} (≤ size); returns the later shots whose caches it invalidated. */
    List<Integer> replace(int index, SessionShot shot) {
        List<Integer> stale = invalidateAfter(index);
        if (index == shots.size()) {
            shots.add(shot);
        } else {
            shots.set(index, shot).dropCache();
        }
        return stale;
    }

    /** Drops the caches of the shots after {@code index} and returns them. */
    List<Integer> invalidateAfter(int index) {
        List<Integer> stale = new ArrayList<>();
        for (int j = index + 1; j < shots.size(); j++) {
            stale.add(j);
        }
        invalidateFrom(index + 1);
        return stale;
    }

    /** Drops shots ≥ n. */
    void truncate(int n) {
        while (shots.size() > n) {
            shots.remove(shots.size() - 1).dropCache();
        }
    }

    /** Bytes of cached K/V. */
    long cachedBytes() {
        long n = globalCache == null ? 0 : globalCache.bytes();
        for (SessionShot s : shots) {
            n += s.cache == null ? 0 : s.cache.bytes();
        }
        return n;
    }

    private void invalidateFrom(int index) {
        for (int j = index; j < shots.size(); j++) {
            shots.get(j).dropCache();
        }
    }
}
