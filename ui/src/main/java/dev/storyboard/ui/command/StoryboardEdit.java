package dev.storyboard.ui.command;

import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.TimelineInvariants;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A command that turns the storyboard into a new value with a pure function. Because storyboards are
 * immutable, undo restores the exact previous value (Memento) and redo the exact next one; the function
 * runs once. The function may throw to refuse (nothing changes); its result must pass
 * {@link TimelineInvariants}.
 */
public class StoryboardEdit implements Command, Amendable {
    private final StoryboardDocument document;
    private final String description;
    private final UnaryOperator<Storyboard> change;
    private final boolean recordedWhenUnchanged;
    private Storyboard before;
    private Storyboard after;

    public StoryboardEdit(StoryboardDocument document, String description, UnaryOperator<Storyboard> change) {
        this(document, description, change, false);
    }

    /**
     * @param recordedWhenUnchanged true for the start of a gesture whose result arrives later (a generation):
     *                              it is an undo entry even when it changes nothing yet
     */
    public StoryboardEdit(StoryboardDocument document, String description, UnaryOperator<Storyboard> change,
                          boolean recordedWhenUnchanged) {
        this.document = Objects.requireNonNull(document, "document");
        this.description = Objects.requireNonNull(description, "description");
        this.change = Objects.requireNonNull(change, "change");
        this.recordedWhenUnchanged = recordedWhenUnchanged;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void execute() {
        if (after != null) {
            throw new IllegalStateException(description + " was already executed; use redo");
        }
        Storyboard current = document.get();
        Storyboard next = Objects.requireNonNull(change.apply(current), description + " produced no storyboard");
        if (next.equals(current)) {
            next = current; // a no-op keeps the very same value, so later undos still recognise it
        } else {
            TimelineInvariants.requireValid(next);
        }
        before = current;
        after = next;
        if (next != current) {
            document.set(next);
        }
    }

    @Override
    public void undo() {
        requireCurrent(after, "undo");
        document.set(before);
    }

    @Override
    public void redo() {
        requireCurrent(before, "redo");
        document.set(after);
    }

    private void requireCurrent(Storyboard expected, String what) {
        if (expected == null) {
            throw new IllegalStateException("cannot " + what + " " + description + ": it never ran");
        }
        if (document.get() != expected) {
            throw new IllegalStateException("cannot " + what + " " + description
                    + ": the storyboard was changed outside the undo history");
        }
    }

    @Override
    public boolean changedAnything() {
        return before != null && (before != after || recordedWhenUnchanged);
    }

    @Override
    public void amendResult(UnaryOperator<Storyboard> amendment) {
        if (after != null) {
            after = Objects.requireNonNull(amendment.apply(after));
        }
    }

    @Override
    public void amendAll(UnaryOperator<Storyboard> amendment) {
        if (before != null) {
            before = Objects.requireNonNull(amendment.apply(before));
            after = Objects.requireNonNull(amendment.apply(after));
        }
    }

    /** The storyboard before this edit (null before it ran). */
    public Storyboard before() {
        return before;
    }

    /** The storyboard after this edit (null before it ran). */
    public Storyboard after() {
        return after;
    }
}
