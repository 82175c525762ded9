package dev.storyboard.ui.command;

import dev.storyboard.domain.Storyboard;
import java.util.function.UnaryOperator;

/**
 * A command whose remembered states can take in a late result of the gesture that made it (a generation
 * that finishes after its command ran), so that the gesture stays one undo entry: see
 * {@link StoryboardDocument#amend}. {@code change} maps every state the same way (identical in, identical out).
 */
public interface Amendable {

    /** Applies {@code change} to the states this command leads to, not to the state it started from. */
    void amendResult(UnaryOperator<Storyboard> change);

    /** Applies {@code change} to every state this command remembers (a command after the amended one). */
    void amendAll(UnaryOperator<Storyboard> change);
}
