package dev.storyboard.ui.command;

import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import dev.storyboard.domain.TimelineInvariants;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The editing operations of the timeline and inspector, each as a {@link Command} on a document. The
 * factory methods check their arguments against the storyboard when the command runs: an operation
 * that does not fit (unknown shot, duration out of range) throws and changes nothing.
 */
public final class TimelineCommands {
    private final StoryboardDocument document;

    public TimelineCommands(StoryboardDocument document) {
        this.document = Objects.requireNonNull(document, "document");
    }

    public StoryboardDocument document() {
        return document;
    }

    private StoryboardEdit edit(String description, UnaryOperator<Storyboard> change) {
        return new StoryboardEdit(document, description, change);
    }

    private String label(String shotId) {
        int index = Shots.indexOf(document.get(), shotId);
        return index < 0 ? "shot " + shotId : "Shot " + (index + 1);
    }

    // ---- shots on the timeline ------------------------------------------------------------------

    /** Appends {@code shot} at the end. */
    public StoryboardEdit addShot(Shot shot) {
        return insertShot(Integer.MAX_VALUE, shot);
    }

    /** Inserts {@code shot} before index {@code index} (clamped to the end). */
    public StoryboardEdit insertShot(int index, Shot shot) {
        Objects.requireNonNull(shot, "shot");
        return edit("Add shot", sb -> {
            if (index < 0) {
                throw new IllegalArgumentException("insert index must be >= 0, was " + index);
            }
            List<Shot> shots = new ArrayList<>(sb.shots());
            shots.add(Math.min(index, shots.size()), shot);
            return sb.withShots(shots);
        });
    }

    /** Copies of the shots (settings, no takes), each right after its original, with the given new ids. */
    public StoryboardEdit duplicateShots(List<String> shotIds, List<String> newIds) {
        if (shotIds.isEmpty() || shotIds.size() != newIds.size()) {
            throw new IllegalArgumentException("one new id per duplicated shot is needed");
        }
        String what = shotIds.size() == 1 ? "Duplicate " + label(shotIds.get(0)) : "Duplicate " + shotIds.size() + " shots";
        return edit(what, sb -> {
            List<Shot> shots = new ArrayList<>();
            for (Shot shot : sb.shots()) {
                shots.add(shot);
                int k = shotIds.indexOf(shot.id());
                if (k >= 0) {
                    shots.add(Shots.plannedCopy(shot, newIds.get(k)));
                }
            }
            requireAllPresent(sb, shotIds);
            return sb.withShots(shots);
        });
    }

    /** Removes the shots (all must exist). */
    public StoryboardEdit deleteShots(Collection<String> shotIds) {
        Set<String> ids = new LinkedHashSet<>(shotIds);
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("nothing to delete");
        }
        String what = ids.size() == 1 ? "Delete " + label(ids.iterator().next()) : "Delete " + ids.size() + " shots";
        return edit(what, sb -> {
            requireAllPresent(sb, ids);
            return sb.withShots(sb.shots().stream().filter(s -> !ids.contains(s.id())).toList());
        });
    }

    /**
     * Moves the shots (keeping their relative order) so that they land where the gap before index
     * {@code targetIndex} of the current order is (0 = first, size = last).
     */
    public StoryboardEdit moveShots(Collection<String> shotIds, int targetIndex) {
        Set<String> ids = new LinkedHashSet<>(shotIds);
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("nothing to move");
        }
        String what = ids.size() == 1 ? "Move " + label(ids.iterator().next()) : "Move " + ids.size() + " shots";
        return edit(what, sb -> {
            requireAllPresent(sb, ids);
            if (targetIndex < 0 || targetIndex > sb.shots().size()) {
                throw new IllegalArgumentException("target index " + targetIndex + " outside 0.." + sb.shots().size());
            }
            List<Shot> moving = new ArrayList<>();
            List<Shot> staying = new ArrayList<>();
            int insertAt = targetIndex;
            for (int i = 0; i < sb.shots().size(); i++) {
                Shot s = sb.shots().get(i);
                if (ids.contains(s.id())) {
                    moving.add(s);
                    if (i < targetIndex) {
                        insertAt--;
                    }
                } else {
                    staying.add(s);
                }
            }
            staying.addAll(insertAt, moving);
            return sb.withShots(staying);
        });
    }

    // ---- shot settings --------------------------------------------------------------------------

    public StoryboardEdit setPrompt(String shotId, String prompt) {
        Objects.requireNonNull(prompt, "prompt");
        return edit("Change prompt of " + label(shotId), sb -> sb.withShot(Shots.require(sb, shotId).withPrompt(prompt)));
    }

    public StoryboardEdit setCamera(String shotId, CameraMove camera) {
        Objects.requireNonNull(camera, "camera");
        return edit("Set camera of " + label(shotId) + " to " + camera.promptPhrase(),
                sb -> sb.withShot(Shots.withCamera(Shots.require(sb, shotId), camera)));
    }

    public StoryboardEdit setShotSize(String shotId, ShotSize size) {
        Objects.requireNonNull(size, "shot size");
        return edit("Set framing of " + label(shotId) + " to " + size.promptPhrase(),
                sb -> sb.withShot(Shots.withShotSize(Shots.require(sb, shotId), size)));
    }

    public StoryboardEdit setSeed(String shotId, long seed) {
        return edit("Set seed of " + label(shotId), sb -> sb.withShot(Shots.withSeed(Shots.require(sb, shotId), seed)));
    }

    public StoryboardEdit setGuidance(String shotId, double guidance) {
        if (!Double.isFinite(guidance)) {
            throw new IllegalArgumentException("guidance must be a number");
        }
        return edit(String.format(Locale.ROOT, "Set guidance of %s to %.1f", label(shotId), guidance),
                sb -> sb.withShot(Shots.withGuidance(Shots.require(sb, shotId), guidance)));
    }

    /**
     * Sets the shot's length. Shorter than the active take is a non-destructive trim (the take keeps its
     * frames); longer needs an extension, which the caller queues.
     */
    public StoryboardEdit setDuration(String shotId, int frames) {
        Shot now = document.get().shot(shotId).orElse(null);
        String verb = now == null ? "Change length of" : frames < now.durationFrames() ? "Trim" : "Extend";
        return edit(verb + " " + label(shotId) + " to " + frames + " frames", sb -> {
            if (frames <= 0 || frames > TimelineInvariants.MAX_SHOT_FRAMES) {
                throw new IllegalArgumentException("duration must be 1.." + TimelineInvariants.MAX_SHOT_FRAMES + " frames, was " + frames);
            }
            return sb.withShot(Shots.require(sb, shotId).withDuration(frames));
        });
    }

    // ---- takes ----------------------------------------------------------------------------------

    /** Adds a generated take (optionally making it the active one). */
    public StoryboardEdit addTake(String shotId, Take take, boolean makeActive) {
        Objects.requireNonNull(take, "take");
        return edit("New take of " + label(shotId), sb -> {
            Shot shot = Shots.require(sb, shotId);
            if (Shots.take(shot, take.id()).isPresent()) {
                throw new IllegalArgumentException("shot " + shotId + " already has take " + take.id());
            }
            List<Take> takes = new ArrayList<>(shot.takes());
            takes.add(take);
            return sb.withShot(Shots.withTakes(shot, takes, makeActive ? take.id() : shot.activeTakeId()));
        });
    }

    /** Replaces a take with a new value of the same id (an extension completed). */
    public StoryboardEdit replaceTake(String shotId, Take take) {
        Objects.requireNonNull(take, "take");
        return edit("Extended take of " + label(shotId), sb -> {
            Shot shot = Shots.require(sb, shotId);
            if (Shots.take(shot, take.id()).isEmpty()) {
                throw new IllegalArgumentException("shot " + shotId + " has no take " + take.id());
            }
            List<Take> takes = shot.takes().stream().map(t -> t.id().equals(take.id()) ? take : t).toList();
            return sb.withShot(Shots.withTakes(shot, takes, shot.activeTakeId()));
        });
    }

    /**
     * The start of "Generate take": sets the seed the new take is generated with ({@code seed}, or keeps the
     * shot's when null). It is an undo entry even when the seed stays, because the take it asked for is folded
     * into it when it arrives ({@link #takeArrived}); undoing it cancels the job or removes the take.
     */
    public StoryboardEdit generateTake(String shotId, Long seed) {
        String what = "Generate take of " + label(shotId) + (seed == null ? " (same seed)" : "");
        return new StoryboardEdit(document, what, sb -> {
            Shot shot = Shots.require(sb, shotId);
            return seed == null || seed == shot.seed() ? sb : sb.withShot(Shots.withSeed(shot, seed));
        }, true);
    }

    /**
     * A generated take arrived: adds it (a new take, optionally made active) or replaces the take of the same id
     * (an extension). For {@link StoryboardDocument#amend}: a state without the shot is left as it is.
     */
    public static UnaryOperator<Storyboard> takeArrived(String shotId, Take take, boolean makeActive) {
        Objects.requireNonNull(take, "take");
        return sb -> {
            Shot shot = sb.shot(shotId).orElse(null);
            if (shot == null) {
                return sb;
            }
            Take existing = Shots.take(shot, take.id()).orElse(null);
            if (existing == null) {
                List<Take> takes = new ArrayList<>(shot.takes());
                takes.add(take);
                return sb.withShot(Shots.withTakes(shot, takes, makeActive || shot.activeTakeId() == null ? take.id()
                        : shot.activeTakeId()));
            }
            if (existing.equals(take)) {
                return sb;
            }
            List<Take> takes = shot.takes().stream().map(t -> t.id().equals(take.id()) ? take : t).toList();
            return sb.withShot(Shots.withTakes(shot, takes, shot.activeTakeId()));
        };
    }

    /** Makes {@code takeId} the take the timeline shows. */
    public StoryboardEdit selectTake(String shotId, String takeId) {
        return edit("Use another take for " + label(shotId), sb -> {
            Shot shot = Shots.require(sb, shotId);
            if (takeId != null && Shots.take(shot, takeId).isEmpty()) {
                throw new IllegalArgumentException("shot " + shotId + " has no take " + takeId);
            }
            return sb.withShot(Shots.withTakes(shot, shot.takes(), takeId));
        });
    }

    /** Deletes a take; when it was active the newest remaining take becomes active. */
    public StoryboardEdit deleteTake(String shotId, String takeId) {
        return edit("Delete take of " + label(shotId), sb -> {
            Shot shot = Shots.require(sb, shotId);
            if (Shots.take(shot, takeId).isEmpty()) {
                throw new IllegalArgumentException("shot " + shotId + " has no take " + takeId);
            }
            List<Take> takes = shot.takes().stream().filter(t -> !t.id().equals(takeId)).toList();
            String active = shot.activeTakeId();
            if (takeId.equals(active)) {
                active = takes.isEmpty() ? null : takes.get(takes.size() - 1).id();
            }
            return sb.withShot(Shots.withTakes(shot, takes, active));
        });
    }

    // ---- scene ----------------------------------------------------------------------------------

    public StoryboardEdit setScenePrompt(String scenePrompt) {
        Objects.requireNonNull(scenePrompt, "scene prompt");
        return edit("Change scene prompt", sb -> new Storyboard(sb.title(), scenePrompt, sb.fps(), sb.width(), sb.height(), sb.shots()));
    }

    public StoryboardEdit setTitle(String title) {
        Objects.requireNonNull(title, "title");
        return edit("Rename scene", sb -> new Storyboard(title, sb.scenePrompt(), sb.fps(), sb.width(), sb.height(), sb.shots()));
    }

    private static void requireAllPresent(Storyboard sb, Collection<String> ids) {
        for (String id : ids) {
            if (sb.shot(id).isEmpty()) {
                throw new IllegalArgumentException("no shot " + id);
            }
        }
    }
}
