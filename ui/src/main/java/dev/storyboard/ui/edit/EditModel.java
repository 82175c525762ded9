package dev.storyboard.ui.edit;

import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.ui.command.Command;
import dev.storyboard.ui.command.CommandStack;
import dev.storyboard.ui.command.Shots;
import dev.storyboard.ui.command.StoryboardDocument;
import dev.storyboard.ui.command.TimelineCommands;
import dev.storyboard.ui.notice.Notice;
import dev.storyboard.ui.notice.NoticeBoard;
import dev.storyboard.ui.selection.SelectionModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Edits of the storyboard that need no generation: shots added, inserted, duplicated, deleted and moved, their
 * settings, the scene's prompt and title, the active take; and undo/redo. Every change is one command on the
 * {@link CommandStack}; a refused command changes nothing and says why in the notice bar. UI thread only.
 */
public final class EditModel {
    public static final int DEFAULT_SHOT_SECONDS = 2;

    private final StoryboardDocument document;
    private final CommandStack stack;
    private final TimelineCommands commands;
    private final NoticeBoard notices;
    private final SelectionModel selection;
    private final LongSupplier seeds;

    public EditModel(StoryboardDocument document, CommandStack stack, NoticeBoard notices, SelectionModel selection,
                     LongSupplier seeds) {
        this.document = Objects.requireNonNull(document, "document");
        this.stack = Objects.requireNonNull(stack, "stack");
        this.commands = new TimelineCommands(document);
        this.notices = Objects.requireNonNull(notices, "notices");
        this.selection = Objects.requireNonNull(selection, "selection");
        this.seeds = Objects.requireNonNull(seeds, "seeds");
    }

    private Storyboard storyboard() {
        return document.get();
    }

    /**
     * Runs a command; a refused command changes nothing and shows why in the notice bar.
     *
     * @return true when the command changed the storyboard
     */
    public boolean execute(Command command) {
        try {
            return stack.execute(command);
        } catch (RuntimeException e) {
            notices.show(Notice.warning(command.description() + " was not possible: " + NoticeBoard.message(e)));
            return false;
        }
    }

    public void undo() {
        if (!stack.canUndo()) {
            return;
        }
        try {
            stack.undo();
        } catch (RuntimeException e) {
            notices.show(Notice.error("Undo failed: " + NoticeBoard.message(e)));
        }
    }

    public void redo() {
        if (!stack.canRedo()) {
            return;
        }
        try {
            stack.redo();
        } catch (RuntimeException e) {
            notices.show(Notice.error("Redo failed: " + NoticeBoard.message(e)));
        }
    }

    private Shot newShot(String id, String prompt) {
        Storyboard sb = storyboard();
        Shot template = selection.selectedShot();
        return Shot.planned(id, prompt, Math.max(1, sb.fps() * DEFAULT_SHOT_SECONDS),
                template == null ? CameraMove.STATIC : template.camera(),
                template == null ? ShotSize.MEDIUM : template.shotSize(), Math.abs(seeds.getAsLong()));
    }

    /** Appends a new shot with {@code prompt} and selects it. */
    public String addShot(String prompt) {
        String id = Shots.nextShotId(storyboard(), List.of());
        if (execute(commands.addShot(newShot(id, prompt)))) {
            selection.select(id);
            return id;
        }
        return null;
    }

    /** Inserts a new shot before the selected one (or at the start). */
    public String insertShotBeforeSelection() {
        Shot sel = selection.selectedShot();
        int index = sel == null ? 0 : Shots.indexOf(storyboard(), sel.id());
        return insertAt(Math.max(0, index));
    }

    /** Inserts a new shot after the selected one (or at the end). */
    public String insertShotAfterSelection() {
        Shot sel = selection.selectedShot();
        if (sel == null) {
            return addShot("");
        }
        return insertAt(Shots.indexOf(storyboard(), sel.id()) + 1);
    }

    private String insertAt(int index) {
        String id = Shots.nextShotId(storyboard(), List.of());
        if (execute(commands.insertShot(index, newShot(id, "")))) {
            selection.select(id);
            return id;
        }
        return null;
    }

    /** Ctrl+D: duplicates the selected shots (settings, not takes); the copies become the selection. */
    public List<String> duplicateSelection() {
        List<String> ids = selection.selectedIdsInOrder();
        if (ids.isEmpty()) {
            return List.of();
        }
        List<String> newIds = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            newIds.add(Shots.nextShotId(storyboard(), newIds));
        }
        if (!execute(commands.duplicateShots(ids, newIds))) {
            return List.of();
        }
        selection.selectAllOf(newIds);
        return newIds;
    }

    /** Removes the shots (one undo step). @return true when they were removed */
    public boolean deleteShots(List<String> ids) {
        return !ids.isEmpty() && execute(commands.deleteShots(ids));
    }

    /** Drag-reorder: moves the shots to the gap before {@code targetIndex}. */
    public void moveShots(List<String> shotIds, int targetIndex) {
        execute(commands.moveShots(shotIds, targetIndex));
    }

    /** Alt+Left/Right: moves the selection one place earlier or later. */
    public void moveSelectionBy(int delta) {
        List<String> ids = selection.selectedIdsInOrder();
        if (ids.isEmpty()) {
            return;
        }
        Storyboard sb = storyboard();
        int first = Shots.indexOf(sb, ids.get(0));
        int last = Shots.indexOf(sb, ids.get(ids.size() - 1));
        if (delta < 0 && first > 0) {
            execute(commands.moveShots(ids, first - 1));
        } else if (delta > 0 && last < sb.shots().size() - 1) {
            execute(commands.moveShots(ids, last + 2));
        }
    }

    public void setPrompt(String shotId, String prompt) {
        Shot s = storyboard().shot(shotId).orElse(null);
        if (s != null && !s.prompt().equals(prompt)) {
            execute(commands.setPrompt(shotId, prompt));
        }
    }

    public void setCamera(String shotId, CameraMove camera) {
        Shot s = storyboard().shot(shotId).orElse(null);
        if (s != null && s.camera() != camera) {
            execute(commands.setCamera(shotId, camera));
        }
    }

    public void setShotSize(String shotId, ShotSize size) {
        Shot s = storyboard().shot(shotId).orElse(null);
        if (s != null && s.shotSize() != size) {
            execute(commands.setShotSize(shotId, size));
        }
    }

    public void setSeed(String shotId, long seed) {
        Shot s = storyboard().shot(shotId).orElse(null);
        if (s != null && s.seed() != seed) {
            execute(commands.setSeed(shotId, seed));
        }
    }

    /** A new random seed for the shot (one undoable edit). */
    public void rerollSeed(String shotId) {
        if (storyboard().shot(shotId).isPresent()) {
            execute(commands.setSeed(shotId, Math.abs(seeds.getAsLong())));
        }
    }

    public void setGuidance(String shotId, double guidance) {
        Shot s = storyboard().shot(shotId).orElse(null);
        if (s != null && s.guidance() != guidance) {
            execute(commands.setGuidance(shotId, guidance));
        }
    }

    public void setScenePrompt(String scenePrompt) {
        if (!storyboard().scenePrompt().equals(scenePrompt)) {
            execute(commands.setScenePrompt(scenePrompt));
        }
    }

    public void setTitle(String title) {
        if (!title.isBlank() && !storyboard().title().equals(title)) {
            execute(commands.setTitle(title));
        }
    }

    public void selectTake(String shotId, String takeId) {
        Shot s = storyboard().shot(shotId).orElse(null);
        if (s != null && !Objects.equals(s.activeTakeId(), takeId)) {
            execute(commands.selectTake(shotId, takeId));
        }
    }
}
