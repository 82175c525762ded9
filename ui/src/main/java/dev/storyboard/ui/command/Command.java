package dev.storyboard.ui.command;

/**
 * One undoable change of the document (Scene Builder's "Job"). A command either applies completely or
 * throws and changes nothing; {@link #undo} restores exactly the state before {@link #execute}.
 */
public interface Command {

    /** Menu text, e.g. "Change prompt of Shot 2" (shown as "Undo Change prompt of Shot 2"). */
    String description();

    /** Applies the change. Throws (and changes nothing) when it cannot apply. */
    void execute();

    /** Reverts a previous {@link #execute} or {@link #redo}. */
    void undo();

    /** Re-applies after {@link #undo}. */
    default void redo() {
        execute();
    }

    /** False when executing changed nothing (e.g. the same prompt typed again): not worth an undo entry. */
    default boolean changedAnything() {
        return true;
    }
}
