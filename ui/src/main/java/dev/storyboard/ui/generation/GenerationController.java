package dev.storyboard.ui.generation;

import dev.storyboard.domain.generation.FrameChunk;
import dev.storyboard.domain.generation.GenerationJob;
import dev.storyboard.domain.generation.GenerationListener;
import dev.storyboard.domain.generation.GenerationRequest;
import dev.storyboard.domain.generation.GenerationService;
import dev.storyboard.domain.generation.JobOutcome;
import dev.storyboard.domain.generation.JobProgress;
import dev.storyboard.ui.concurrent.UiThread;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Queues jobs on the {@link GenerationService} and turns its events (inference thread) into UI-thread
 * updates: job entries for the queue view and shot cards, and callbacks for chunks and outcomes. The
 * listener does nothing on the inference thread but hand over: progress is coalesced (at most one
 * pending update per job), chunks and outcomes are forwarded in order.
 */
public final class GenerationController {
    /** What the editor does with a job's results (UI thread). */
    public interface Callbacks {
        void chunkArrived(JobEntry entry, FrameChunk chunk);

        void jobFinished(JobEntry entry, JobOutcome outcome);
    }

    /** Finished jobs kept in the queue view. */
    private static final int KEEP_FINISHED = 30;

    private final GenerationService service;
    private final UiThread ui;
    private final Callbacks callbacks;
    private final ObservableList<JobEntry> jobs = FXCollections.observableArrayList();

    public GenerationController(GenerationService service, UiThread ui, Callbacks callbacks) {
        this.service = service;
        this.ui = Objects.requireNonNull(ui, "ui thread");
        this.callbacks = Objects.requireNonNull(callbacks, "callbacks");
    }

    public boolean hasService() {
        return service != null;
    }

    /**
     * Queues {@code request}. Returns at once with its entry; events follow on the UI thread.
     *
     * @param firstFrame first frame of the take the job writes (0 for a new take)
     * @throws IllegalStateException when there is no service or it refuses (not ready)
     */
    public JobEntry submit(GenerationRequest request, String shotLabel, int firstFrame) {
        if (service == null) {
            throw new IllegalStateException("no generation service");
        }
        JobEntry entry = new JobEntry(request, shotLabel, firstFrame);
        GenerationJob job = service.submit(request, new Listener(entry));
        jobs.add(entry);
        entry.submitted(job);
        return entry;
    }

    public ObservableList<JobEntry> jobs() {
        return jobs;
    }

    public List<JobEntry> activeJobs() {
        return jobs.stream().filter(JobEntry::isActive).toList();
    }

    /** The newest queued or running job of a shot. */
    public Optional<JobEntry> activeJob(String shotId) {
        for (int i = jobs.size() - 1; i >= 0; i--) {
            JobEntry e = jobs.get(i);
            if (e.isActive() && e.shotId().equals(shotId)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** Frames that queued/running extensions of {@code takeId} will add. */
    public int pendingExtensionFrames(String takeId) {
        return jobs.stream().filter(e -> e.isActive() && e.isExtension() && takeId.equals(e.takeId()))
                .mapToInt(JobEntry::frames).sum();
    }

    public void cancel(JobEntry entry) {
        entry.cancel();
    }

    public void cancelShot(String shotId) {
        jobs.stream().filter(e -> e.isActive() && e.shotId().equals(shotId)).forEach(JobEntry::cancel);
    }

    public void cancelAll() {
        activeJobs().forEach(JobEntry::cancel);
        if (service != null) {
            service.cancelAll();
        }
    }

    /** Removes finished jobs from the queue view. */
    public void clearFinished() {
        jobs.removeIf(e -> !e.isActive());
    }

    private void trimFinished() {
        long finished = jobs.stream().filter(e -> !e.isActive()).count();
        for (int i = 0; i < jobs.size() && finished > KEEP_FINISHED; ) {
            if (!jobs.get(i).isActive()) {
                jobs.remove(i);
                finished--;
            } else {
                i++;
            }
        }
    }

    /** Runs on the inference thread: hands everything to the UI thread and returns. */
    private final class Listener implements GenerationListener {
        private final JobEntry entry;
        private final AtomicReference<JobProgress> latest = new AtomicReference<>();

        Listener(JobEntry entry) {
            this.entry = entry;
        }

        @Override
        public void progress(JobProgress progress) {
            if (latest.getAndSet(progress) == null) {
                ui.execute(() -> {
                    JobProgress p = latest.getAndSet(null);
                    if (p != null) {
                        entry.progress(p);
                    }
                });
            }
        }

        @Override
        public void chunk(FrameChunk chunk) {
            ui.execute(() -> {
                if (!entry.isActive()) {
                    return;
                }
                entry.chunk(chunk.takeId(), chunk.frames().size());
                callbacks.chunkArrived(entry, chunk);
            });
        }

        @Override
        public void finished(JobOutcome outcome) {
            ui.execute(() -> {
                if (!entry.isActive()) {
                    return; // exactly one finished per job; ignore a second one
                }
                if (entry.takeId() == null && outcome.take() != null) {
                    entry.chunk(outcome.take().id(), 0);
                }
                entry.finished(switch (outcome.status()) {
                    case COMPLETED -> JobEntry.State.COMPLETED;
                    case CANCELLED -> JobEntry.State.CANCELLED;
                    case FAILED -> JobEntry.State.FAILED;
                }, outcome.message());
                callbacks.jobFinished(entry, outcome);
                trimFinished();
            });
        }
    }
}
