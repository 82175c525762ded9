package dev.storyboard.ui.concurrent;

import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Runs slow work (disk, image decoding) off the UI thread and reports back on it. The editor never
 * waits for a task: results and failures arrive as callbacks on the {@link UiThread}.
 */
public interface Background {

    /**
     * Runs {@code work} in the background; {@code onSuccess} or {@code onFailure} then runs on the UI
     * thread. {@code name} labels the task in logs and thread dumps.
     */
    <T> void run(String name, Callable<T> work, Consumer<? super T> onSuccess, Consumer<? super Exception> onFailure);

    /** Work whose result nobody needs (e.g. writing media files); failures are logged. */
    default void run(String name, ThrowingRunnable work) {
        run(name, () -> {
            work.run();
            return null;
        }, ignored -> { }, e -> LoggerFactory.getLogger(Background.class).warn("{} failed", name, e));
    }

    /** Stops accepting work and waits up to {@code millis} for queued tasks (on shutdown only). */
    default void shutdown(long millis) {
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Runs the work and its callback at once on the calling thread (tests). */
    static Background sameThread() {
        return new Background() {
            @Override
            public <T> void run(String name, Callable<T> work, Consumer<? super T> onSuccess,
                                Consumer<? super Exception> onFailure) {
                T result;
                try {
                    result = work.call();
                } catch (Exception e) {
                    onFailure.accept(e);
                    return;
                }
                onSuccess.accept(result);
            }
        };
    }
}
