package dev.storyboard.domain;

import dev.storyboard.domain.text.Printable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What must hold for every storyboard the editor shows, checked after every command: shots in order
 * with positive durations laid end to end (no overlaps, no gaps), unique ids, active takes that exist,
 * values inside the editor's limits. The domain records check single values; this checks the whole.
 */
public final class TimelineInvariants {
    /** Longest shot the editor accepts (frames): ten minutes at 24 fps. */
    public static final int MAX_SHOT_FRAMES = 14_400;
    /** Most shots in one storyboard. */
    public static final int MAX_SHOTS = 500;
    /** Largest frame width or height (pixels): 8K, far from int overflow when rounded up to even. */
    public static final int MAX_FRAME_SIZE = 8192;
    /** Most takes per shot. */
    public static final int MAX_TAKES_PER_SHOT = 200;
    /** Longest prompt, title or scene prompt (characters). */
    public static final int MAX_TEXT = 4_000;
    /** Longest id (characters). */
    public static final int MAX_ID = 128;

    private TimelineInvariants() {
    }

    /** Throws {@link IllegalStateException} listing every violation. */
    public static void requireValid(Storyboard storyboard) {
        List<String> problems = problems(storyboard);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("inconsistent timeline: " + String.join("; ", problems));
        }
    }

    public static List<String> problems(Storyboard storyboard) {
        List<String> problems = new ArrayList<>();
        if (storyboard.title().length() > MAX_TEXT) {
            problems.add("title longer than " + MAX_TEXT + " characters");
        }
        if (storyboard.scenePrompt().length() > MAX_TEXT) {
            problems.add("scene prompt longer than " + MAX_TEXT + " characters");
        }
        if (storyboard.shots().size() > MAX_SHOTS) {
            problems.add("more than " + MAX_SHOTS + " shots");
        }
        if (storyboard.width() > MAX_FRAME_SIZE || storyboard.height() > MAX_FRAME_SIZE) {
            problems.add("frame size " + storyboard.width() + "x" + storyboard.height() + " larger than "
                    + MAX_FRAME_SIZE + "x" + MAX_FRAME_SIZE);
        }
        Set<String> shotIds = new HashSet<>();
        Set<String> takeIds = new HashSet<>();
        long start = 0;
        for (int i = 0; i < storyboard.shots().size(); i++) {
            Shot shot = storyboard.shots().get(i);
            String where = "shot " + (i + 1) + " (" + abbreviate(shot.id()) + ")";
            if (shot.id().isBlank() || shot.id().length() > MAX_ID) {
                problems.add(where + ": id must be 1.." + MAX_ID + " characters");
            }
            if (!shotIds.add(shot.id())) {
                problems.add(where + ": duplicate shot id");
            }
            if (shot.durationFrames() <= 0 || shot.durationFrames() > MAX_SHOT_FRAMES) {
                problems.add(where + ": duration " + shot.durationFrames() + " outside 1.." + MAX_SHOT_FRAMES);
            }
            if (shot.prompt().length() > MAX_TEXT) {
                problems.add(where + ": prompt longer than " + MAX_TEXT + " characters");
            }
            if (!Double.isFinite(shot.guidance())) {
                problems.add(where + ": guidance is not a number");
            }
            if (shot.takes().size() > MAX_TAKES_PER_SHOT) {
                problems.add(where + ": more than " + MAX_TAKES_PER_SHOT + " takes");
            }
            for (Take take : shot.takes()) {
                if (take.id().length() > MAX_ID) {
                    problems.add(where + ": take id longer than " + MAX_ID);
                }
                if (!takeIds.add(take.id())) {
                    problems.add(where + ": take id " + abbreviate(take.id()) + " used twice");
                }
                if (take.generatedFrames() > MAX_SHOT_FRAMES) {
                    problems.add(where + ": take " + abbreviate(take.id()) + " has more than " + MAX_SHOT_FRAMES + " frames");
                }
            }
            if (shot.activeTakeId() != null && shot.activeTake().isEmpty()) {
                problems.add(where + ": active take missing");
            }
            long end = start + shot.durationFrames();
            if (end <= start) {
                problems.add(where + ": ends before it starts (overlap)");
            }
            start = end;
        }
        if (start > Integer.MAX_VALUE) {
            problems.add("scene longer than " + Integer.MAX_VALUE + " frames");
        }
        return problems;
    }

    /** Ids in messages: control characters escaped (a shot id must not drive the terminal), clipped. */
    private static String abbreviate(String s) {
        return Printable.of(s, 40);
    }
}
