package dev.storyboard.ui.generation;

import dev.storyboard.domain.Shot;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What each take was generated from, so that staleness follows from the storyboard instead of flags set by
 * some paths. A source is the shot's own conditioning (prompt, camera, framing, guidance), the scene prompt
 * and the context the engine reads: the earlier shots' conditioning and the state (id and frames) of their
 * active takes, in order. A shot is stale when the source of its active take, in the state the storyboard
 * has it, is not what the storyboard would give now. States are keyed by take id and frame count, so
 * undoing an extension finds the source of the shorter take again. UI thread only.
 */
public final class TakeSources {
    private final Map<String, Set<String>> accepted = new HashMap<>();

    /** The source a take of {@code shotId} generated now would have. */
    public static String sourceOf(Storyboard sb, String shotId) {
        String source = sourcesOf(sb).get(shotId);
        if (source == null) {
            throw new IllegalArgumentException("no shot " + shotId);
        }
        return source;
    }

    /**
     * The source of every shot, in one pass: a digest of the scene prompt and the earlier shots (their
     * conditioning and active take states) chained shot by shot, then the shot's own conditioning, so the
     * cost stays linear in the storyboard's size.
     */
    public static Map<String, String> sourcesOf(Storyboard sb) {
        Map<String, String> sources = new HashMap<>();
        byte[] prefix = digest(new byte[0], "scene\u0001" + sb.scenePrompt());
        for (Shot s : sb.shots()) {
            sources.put(s.id(), HexFormat.of().formatHex(digest(prefix, "shot\u0001" + conditioning(s))));
            Take t = s.activeTake().orElse(null);
            if (t != null) {
                prefix = digest(prefix, "context\u0001" + s.id() + '\u0001' + conditioning(s) + '\u0001' + state(t));
            }
        }
        return sources;
    }

    private static byte[] digest(byte[] prefix, String text) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(prefix);
            sha.update(text.getBytes(StandardCharsets.UTF_8));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String conditioning(Shot s) {
        return s.prompt() + '\u0002' + s.camera() + '\u0002' + s.shotSize() + '\u0002' + s.guidance();
    }

    private static String state(Take t) {
        return t.id() + '@' + t.generatedFrames();
    }

    /** A job made {@code take} (or this state of it) from {@code source}. */
    public void generated(Take take, String source) {
        accepted.computeIfAbsent(state(take), k -> new HashSet<>()).add(source);
    }

    /**
     * Takes whose source is not known (an opened project) count as made from the storyboard as it is now,
     * the storyboard's active takes first.
     */
    public void assumeCurrent(Storyboard sb) {
        Map<String, String> sources = sourcesOf(sb);
        for (Shot s : sb.shots()) {
            String source = sources.get(s.id());
            for (Take t : s.takes()) {
                accepted.computeIfAbsent(state(t), k -> new HashSet<>(Set.of(source)));
            }
        }
    }

    /** "Keep": the creator accepts the shot's active take as it is in the storyboard now. */
    public void accept(Storyboard sb, String shotId) {
        sb.shot(shotId).flatMap(Shot::activeTake).ifPresent(t -> generated(t, sourceOf(sb, shotId)));
    }

    /** Shots whose active take was generated from something other than what the storyboard says now, in order. */
    public Set<String> staleShots(Storyboard sb) {
        Set<String> stale = new LinkedHashSet<>();
        Map<String, String> now = sourcesOf(sb);
        for (Shot s : sb.shots()) {
            Take t = s.activeTake().orElse(null);
            if (t == null) {
                continue;
            }
            Set<String> sources = accepted.get(state(t));
            if (sources != null && !sources.contains(now.get(s.id()))) {
                stale.add(s.id());
            }
        }
        return stale;
    }

    public void clear() {
        accepted.clear();
    }
}
