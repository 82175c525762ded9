package dev.storyboard.ui.command;

import dev.storyboard.domain.TimelineInvariants;

import dev.storyboard.domain.Storyboard;
import java.util.Objects;
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
}
