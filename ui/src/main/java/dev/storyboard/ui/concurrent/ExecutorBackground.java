package dev.storyboard.ui.concurrent;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Background} on one daemon worker thread: disk work stays in submission order (a save queued
 * after an autosave never overtakes it), results hop to the UI thread.
 */
public final class ExecutorBackground implements Background {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorBackground.class);
    private static final AtomicInteger COUNT = new AtomicInteger();

    private final ExecutorService executor;
    private final UiThread ui;

    public ExecutorBackground(UiThread ui) {
        this.ui = ui;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "storyboard-io-" + COUNT.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public <T> void run(String name, Callable<T> work, Consumer<? super T> onSuccess,
                        Consumer<? super Exception> onFailure) {
        executor.execute(() -> {
            T result;
            try {
                result = work.call();
            } catch (Exception e) {
                LOG.debug("{} failed", name, e);
                ui.execute(() -> onFailure.accept(e));
                return;
            } catch (Error e) {
                LOG.error("{} crashed", name, e);
                throw e;
            }
            ui.execute(() -> onSuccess.accept(result));
        });
    }

    @Override
    public void shutdown(long millis) {
        executor.shutdown();
        try {
            executor.awaitTermination(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
