package dev.storyboard.ui.command;

import dev.storyboard.domain.Storyboard;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The undo history (Scene Builder's JobManager). Executes commands, keeps them for undo/redo, and
 * publishes what the menus need as observable properties: can undo/redo, their descriptions, and the
 * dirty flag (the document differs from the last save). Use on the UI thread only.
 */
public final class CommandStack {
    /** What happened to a command, for listeners that attach side effects (e.g. cancel a job on undo). */
    public enum Event { EXECUTED, UNDONE, REDONE }

    @FunctionalInterface
    public interface Listener {
        void commandEvent(Event event, Command command);
    }

    private static final int UNREACHABLE = -2;
    private static final Object BOTTOM = new Object();

    private final List<Command> done = new ArrayList<>();
    private final List<Command> undone = new ArrayList<>();
    private final int maxDepth;
    /** Size of {@link #done} at the last save, or {@link #UNREACHABLE}. */
    private int savedAt;
    private final ReadOnlyBooleanWrapper canUndo = new ReadOnlyBooleanWrapper(this, "canUndo");
    private final ReadOnlyBooleanWrapper canRedo = new ReadOnlyBooleanWrapper(this, "canRedo");
    private final ReadOnlyStringWrapper undoDescription = new ReadOnlyStringWrapper(this, "undoDescription", "");
    private final ReadOnlyStringWrapper redoDescription = new ReadOnlyStringWrapper(this, "redoDescription", "");
    private final ReadOnlyBooleanWrapper dirty = new ReadOnlyBooleanWrapper(this, "dirty");
    private final ReadOnlyIntegerWrapper revision = new ReadOnlyIntegerWrapper(this, "revision");
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** Set while a command runs or listeners are told: a nested execute/undo/redo/amend is a bug. */
    private String busyWith;

    public CommandStack() {
        this(1000);
    }

    public CommandStack(int maxDepth) {
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be >= 1");
        }
        this.maxDepth = maxDepth;
        this.savedAt = 0;
        refresh();
    }

    /**
     * Executes {@code command} and records it. When it throws, nothing is recorded and the exception
     * propagates (the command itself guarantees it changed nothing).
     *
     * @return true when the command changed something and is now undoable
     */
    public boolean execute(Command command) {
        enter("execute " + command.description());
        try {
            command.execute();
        } finally {
            busyWith = null;
        }
        if (!command.changedAnything()) {
            return false;
        }
        if (savedAt > done.size()) {
            savedAt = UNREACHABLE; // the saved state was in the redo branch that is now dropped
        }
        undone.clear();
        done.add(command);
        if (done.size() > maxDepth) {
            done.remove(0);
            savedAt = savedAt > 0 ? savedAt - 1 : UNREACHABLE;
        }
        refresh();
        fire(Event.EXECUTED, command);
        return true;
    }

    public void undo() {
        if (done.isEmpty()) {
            return;
        }
        Command command = done.get(done.size() - 1);
        enter("undo " + command.description());
        try {
            command.undo();
        } finally {
            busyWith = null;
        }
        done.remove(done.size() - 1);
        undone.add(command);
        refresh();
        fire(Event.UNDONE, command);
    }

    public void redo() {
        if (undone.isEmpty()) {
            return;
        }
        Command command = undone.get(undone.size() - 1);
        enter("redo " + command.description());
        try {
            command.redo();
        } finally {
            busyWith = null;
        }
        undone.remove(undone.size() - 1);
        done.add(command);
        refresh();
        fire(Event.REDONE, command);
    }

    /** The document was saved: it is clean from now on until the next change (or undo past this point). */
    public void markSaved() {
        savedAt = done.size();
        refresh();
    }

    /** Identifies the current state for {@link #markSaved(Object)} (a save that finishes later). */
    public Object savePoint() {
        return done.isEmpty() ? BOTTOM : done.get(done.size() - 1);
    }

    /**
     * A save of the state identified by {@code point} (from {@link #savePoint()}) finished: that state is
     * the clean one, even if commands ran or were undone while it was being written.
     */
    public void markSaved(Object point) {
        if (point == BOTTOM) {
            savedAt = 0;
        } else {
            int i = indexOfIdentity(done, point);
            if (i >= 0) {
                savedAt = i + 1;
            } else {
                int j = indexOfIdentity(undone, point);
                savedAt = j >= 0 ? done.size() + (undone.size() - j) : UNREACHABLE;
            }
        }
        refresh();
    }

    private static int indexOfIdentity(List<Command> list, Object o) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == o) {
                return i;
            }
        }
        return -1;
    }

    /** Marks the document as changed without an undoable entry (e.g. recovered from an autosave). */
    public void markUnsaved() {
        savedAt = UNREACHABLE;
        refresh();
    }

    /** Forgets the history (a different project was opened); the document counts as saved. */
    public void clear() {
        done.clear();
        undone.clear();
        savedAt = 0;
        refresh();
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /** Descriptions of the undoable commands, oldest first. */
    public List<String> undoHistory() {
        return done.stream().map(Command::description).toList();
    }

    public List<String> redoHistory() {
        List<String> list = new ArrayList<>(undone.stream().map(Command::description).toList());
        Collections.reverse(list);
        return list;
    }

    public ReadOnlyBooleanProperty canUndoProperty() {
        return canUndo.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canRedoProperty() {
        return canRedo.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty undoDescriptionProperty() {
        return undoDescription.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty redoDescriptionProperty() {
        return redoDescription.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty dirtyProperty() {
        return dirty.getReadOnlyProperty();
    }

    /** Increases on every execute/undo/redo/clear: a cheap "something changed" signal (autosave). */
    public ReadOnlyIntegerProperty revisionProperty() {
        return revision.getReadOnlyProperty();
    }

    public boolean canUndo() {
        return canUndo.get();
    }

    public boolean canRedo() {
        return canRedo.get();
    }

    public boolean isDirty() {
        return dirty.get();
    }

    private void refresh() {
        canUndo.set(!done.isEmpty());
        canRedo.set(!undone.isEmpty());
        undoDescription.set(done.isEmpty() ? "" : done.get(done.size() - 1).description());
        redoDescription.set(undone.isEmpty() ? "" : undone.get(undone.size() - 1).description());
        dirty.set(savedAt != done.size());
        revision.set(revision.get() + 1);
    }

    private void fire(Event event, Command command) {
        enter("tell listeners of " + command.description());
        try {
            for (Listener l : listeners) {
                l.commandEvent(event, command);
            }
        } finally {
            busyWith = null;
        }
    }

    /** Re-entrancy guard: a command or a listener must not run another command (Scene Builder's rule). */
    private void enter(String what) {
        if (busyWith != null) {
            throw new IllegalStateException("cannot " + what + " while busy with: " + busyWith);
        }
        busyWith = what;
    }

    /** True when the current state includes {@code command} (it is in the undo history). */
    public boolean isDone(Command command) {
        return indexOfIdentity(done, command) >= 0;
    }

    /**
     * Every storyboard state the undo and redo history remembers (before and after each entry), oldest first;
     * the same state may appear more than once. A save that moves the project copies the takes of all of them,
     * so that an undo or a redo after Save As still finds its frames.
     */
    public List<Storyboard> rememberedStates() {
        List<Storyboard> states = new ArrayList<>();
        UnaryOperator<Storyboard> collect = sb -> {
            states.add(sb);
            return sb; // an identity "amendment": visits each remembered state and changes none
        };
        done.forEach(c -> amendAll(c, collect));
        undone.forEach(c -> amendAll(c, collect));
        return states;
    }

    /** Where a command is in the history, for {@link #amend}. */
    public enum Position { DONE, UNDONE, GONE }

    /**
     * Folds a late result of {@code origin} (a generation it started) into the history instead of adding an
     * entry: {@code change} is applied to the states {@code origin} led to and to every state after it (later
     * entries and the redo branch), so undo and redo of {@code origin} include the result. A save of one of the
     * changed states no longer counts as clean. {@code change} must map identical states to identical states.
     *
     * @return where {@code origin} is: {@link Position#DONE} when the current state includes it (the caller
     *         applies {@code change} to the document), {@link Position#UNDONE} when it is in the redo branch,
     *         {@link Position#GONE} when the history no longer holds it (everything remembered was changed)
     */
    public Position amend(Command origin, UnaryOperator<Storyboard> change) {
        enter("amend " + origin.description());
        try {
            int i = indexOfIdentity(done, origin);
            int j = indexOfIdentity(undone, origin);
            Position where;
            int firstChangedState; // history position of the first state that changes (states: 0 = bottom)
            if (i >= 0) {
                where = Position.DONE;
                firstChangedState = i + 1;
                amendResult(origin, change);
                done.subList(i + 1, done.size()).forEach(c -> amendAll(c, change));
                undone.forEach(c -> amendAll(c, change));
            } else if (j >= 0) {
                where = Position.UNDONE;
                firstChangedState = done.size() + (undone.size() - j);
                amendResult(origin, change);
                undone.subList(0, j).forEach(c -> amendAll(c, change));
            } else {
                where = Position.GONE;
                firstChangedState = 0;
                done.forEach(c -> amendAll(c, change));
                undone.forEach(c -> amendAll(c, change));
            }
            if (savedAt != UNREACHABLE && savedAt >= firstChangedState) {
                savedAt = UNREACHABLE;
            }
            refresh();
            return where;
        } finally {
            busyWith = null;
        }
    }

    private static void amendResult(Command c, UnaryOperator<Storyboard> change) {
        if (c instanceof Amendable a) {
            a.amendResult(change);
        }
    }

    private static void amendAll(Command c, UnaryOperator<Storyboard> change) {
        if (c instanceof Amendable a) {
            a.amendAll(change);
        }
    }

    /**
     * Withdraws {@code command} when it is the newest entry (a "Generate take" whose job was cancelled): it is
     * undone and forgotten, as if it never ran. Returns false (and does nothing) otherwise.
     */
    public boolean retractLast(Command command) {
        if (done.isEmpty() || done.get(done.size() - 1) != command) {
            return false;
        }
        undo();
        undone.remove(undone.size() - 1);
        if (savedAt > done.size()) {
            savedAt = UNREACHABLE; // the saved state was the withdrawn one
        }
        refresh();
        return true;
    }

    /**
     * Forgets {@code command} when it changed nothing (a generation that was cancelled before it produced
     * anything): it leaves the history as if it never ran. Returns true when it was removed.
     */
    public boolean discardIfUnchanged(Command command) {
        if (command instanceof StoryboardEdit e && e.before() != e.after()) {
            return false;
        }
        int i = indexOfIdentity(done, command);
        if (i >= 0) {
            done.remove(i);
            if (savedAt > i) {
                savedAt--;
            }
        } else {
            int j = indexOfIdentity(undone, command);
            if (j < 0) {
                return false;
            }
            undone.remove(j);
        }
        refresh();
        return true;
    }
}
