package dev.storyboard.ui.concurrent;

import java.util.concurrent.Executor;
import javafx.application.Platform;

/**
 * Where view-model state may be touched. In the editor that is the JavaFX application thread; in plain
 * JUnit tests it is the calling thread. Background code hands results over with {@link #execute}.
 */
public interface UiThread extends Executor {

    /** Runs {@code action} on the UI thread later (never blocks the caller). */
    @Override
    void execute(Runnable action);

    /** The JavaFX application thread. */
    static UiThread fx() {
        // Always queued, also from the FX thread itself, so events keep their order.
        return Platform::runLater;
    }

    /** Runs every action at once on the calling thread (tests). */
    static UiThread direct() {
        return Runnable::run;
    }
}
