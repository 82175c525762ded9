package dev.storyboard.ui.command;

import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.TimelineInvariants;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

/**
 * The edited storyboard. Its value changes only through commands ({@link StoryboardEdit}) run by the
 * {@link CommandStack}, or wholesale when a project is opened ({@link #replace}, which also clears the
 * undo history). Views observe {@link #storyboardProperty()}.
 */
public final class StoryboardDocument {
    private final ReadOnlyObjectWrapper<Storyboard> storyboard;

    public StoryboardDocument(Storyboard initial) {
        TimelineInvariants.requireValid(initial);
        storyboard = new ReadOnlyObjectWrapper<>(initial);
    }

    public Storyboard get() {
        return storyboard.get();
    }

    public ReadOnlyObjectProperty<Storyboard> storyboardProperty() {
        return storyboard.getReadOnlyProperty();
    }

    /** Used by commands only. */
    void set(Storyboard value) {
        storyboard.set(Objects.requireNonNull(value, "storyboard"));
    }

    /** A different project: replaces the value outside the undo history (the caller resets the stack). */
    public void replace(Storyboard value, CommandStack stack) {
        TimelineInvariants.requireValid(value);
        stack.clear();
        storyboard.set(value);
    }

    /**
     * Folds a late result of {@code origin} into the history and, when the current state includes
     * {@code origin}, into the document: no new undo entry (see {@link CommandStack#amend}). {@code change}
     * must leave a state it does not apply to as it is (return its argument); each distinct state is mapped
     * once, so states that were identical stay identical.
     */
    public CommandStack.Position amend(CommandStack stack, Command origin, UnaryOperator<Storyboard> change) {
        Map<Storyboard, Storyboard> mapped = new IdentityHashMap<>();
        UnaryOperator<Storyboard> once = sb -> mapped.computeIfAbsent(sb, s -> {
            Storyboard next = Objects.requireNonNull(change.apply(s));
            if (next != s) {
                TimelineInvariants.requireValid(next);
            }
            return next;
        });
        Storyboard current = storyboard.get();
        CommandStack.Position where = stack.amend(origin, once);
        if (where != CommandStack.Position.UNDONE) {
            storyboard.set(once.apply(current));
        }
        return where;
    }
}
