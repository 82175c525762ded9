package dev.storyboard.ui.command;

import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import dev.storyboard.domain.TimelineInvariants;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Copy-with helpers for the immutable domain values (the domain records have only some of them). */
public final class Shots {
    /**
     * Longest shot the editor offers, in seconds: the engine's longest take (ServiceSettings.maxSecondsPerTake),
     * and the one bound of the Length field, the edge drag and "Extend" ({@link #maxShotFrames(Storyboard)}).
     */
    public static final int MAX_SHOT_SECONDS = 60;

    private Shots() {
    }

    /** The longest shot the editor offers at the scene's frame rate ({@link #MAX_SHOT_SECONDS}). */
    public static int maxShotFrames(Storyboard storyboard) {
        return Math.min(TimelineInvariants.MAX_SHOT_FRAMES, MAX_SHOT_SECONDS * storyboard.fps());
    }

    /** "Shot 2" for the storyboard's current order ("A deleted shot" when it is gone). */
    public static String label(Storyboard storyboard, String shotId) {
        int i = indexOf(storyboard, shotId);
        return i < 0 ? "A deleted shot" : "Shot " + (i + 1);
    }

    public static Shot withCamera(Shot s, CameraMove camera) {
        return new Shot(s.id(), s.prompt(), s.durationFrames(), camera, s.shotSize(), s.seed(), s.guidance(), s.takes(), s.activeTakeId());
    }

    public static Shot withShotSize(Shot s, ShotSize size) {
        return new Shot(s.id(), s.prompt(), s.durationFrames(), s.camera(), size, s.seed(), s.guidance(), s.takes(), s.activeTakeId());
    }

    public static Shot withSeed(Shot s, long seed) {
        return new Shot(s.id(), s.prompt(), s.durationFrames(), s.camera(), s.shotSize(), seed, s.guidance(), s.takes(), s.activeTakeId());
    }

    public static Shot withGuidance(Shot s, double guidance) {
        return new Shot(s.id(), s.prompt(), s.durationFrames(), s.camera(), s.shotSize(), s.seed(), guidance, s.takes(), s.activeTakeId());
    }

    public static Shot withTakes(Shot s, List<Take> takes, String activeTakeId) {
        return new Shot(s.id(), s.prompt(), s.durationFrames(), s.camera(), s.shotSize(), s.seed(), s.guidance(), takes, activeTakeId);
    }

    public static Shot withId(Shot s, String id) {
        return new Shot(id, s.prompt(), s.durationFrames(), s.camera(), s.shotSize(), s.seed(), s.guidance(), s.takes(), s.activeTakeId());
    }

    /** Same settings under a new id, without takes (a duplicate is a new shot to generate). */
    public static Shot plannedCopy(Shot s, String id) {
        return new Shot(id, s.prompt(), s.durationFrames(), s.camera(), s.shotSize(), s.seed(), s.guidance(), List.of(), null);
    }

    public static Optional<Take> take(Shot s, String takeId) {
        return s.takes().stream().filter(t -> t.id().equals(takeId)).findFirst();
    }

    /** Frames the active take has generated (0 when there is none). */
    public static int generatedFrames(Shot s) {
        return s.activeTake().map(Take::generatedFrames).orElse(0);
    }

    public static int indexOf(Storyboard sb, String shotId) {
        List<Shot> shots = sb.shots();
        for (int i = 0; i < shots.size(); i++) {
            if (shots.get(i).id().equals(shotId)) {
                return i;
            }
        }
        return -1;
    }

    public static Shot require(Storyboard sb, String shotId) {
        return sb.shot(shotId).orElseThrow(() -> new IllegalArgumentException("no shot " + shotId));
    }

    /** A shot id not used in {@code sb}: "shot-N" with N above every numbered id. */
    public static String nextShotId(Storyboard sb, List<String> alsoTaken) {
        int max = 0;
        List<String> ids = new ArrayList<>(sb.shots().stream().map(Shot::id).toList());
        ids.addAll(alsoTaken);
        for (String id : ids) {
            if (id.startsWith("shot-")) {
                try {
                    max = Math.max(max, Integer.parseInt(id.substring(5)));
                } catch (NumberFormatException ignored) {
                    // not one of ours
                }
            }
        }
        String candidate = "shot-" + (max + 1);
        while (ids.contains(candidate)) {
            candidate = candidate + "x";
        }
        return candidate;
    }
}
