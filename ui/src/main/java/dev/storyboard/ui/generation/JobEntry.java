package dev.storyboard.ui.generation;

import dev.storyboard.domain.generation.GenerationJob;
import dev.storyboard.domain.generation.GenerationRequest;
import dev.storyboard.domain.generation.JobProgress;
import java.util.Locale;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/** One generation job as the editor shows it (queue view, shot card progress). UI thread only. */
public final class JobEntry {
    public enum State {
        QUEUED, RUNNING, COMPLETED, CANCELLED, FAILED;

        public boolean active() {
            return this == QUEUED || this == RUNNING;
        }
    }

    private final GenerationRequest request;
    private final String shotLabel;
    private final int firstFrame;
    private String jobId;
    private String takeId;
    private GenerationJob handle;
    private boolean cancelRequested;
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.QUEUED);
    private final ReadOnlyDoubleWrapper fraction = new ReadOnlyDoubleWrapper(this, "fraction", 0);
    private final ReadOnlyStringWrapper stepText = new ReadOnlyStringWrapper(this, "stepText", "queued");
    private int framesReceived;

    JobEntry(GenerationRequest request, String shotLabel, int firstFrame) {
        this.request = request;
        this.shotLabel = shotLabel;
        this.firstFrame = firstFrame;
        this.takeId = request.sourceTakeId();
    }

    public GenerationRequest request() {
        return request;
    }

    public String shotId() {
        return request.shotId();
    }

    public boolean isExtension() {
        return request.operation() == GenerationRequest.Operation.EXTEND_TAKE;
    }

    /** "Shot 2" at the time the job was queued. */
    public String shotLabel() {
        return shotLabel;
    }

    /** Id from the service, or null until submitted. */
    public String jobId() {
        return jobId;
    }

    /** The take the frames go to: the extended take, or the new take once the first chunk names it. */
    public String takeId() {
        return takeId;
    }

    /** First frame (within the take) this job generates: 0 for a new take. */
    public int firstFrame() {
        return firstFrame;
    }

    /** Frames this job generates. */
    public int frames() {
        return request.frames();
    }

    public int framesReceived() {
        return framesReceived;
    }

    public String title() {
        return isExtension()
                ? shotLabel + ": extend by " + frames() + " frames (" + firstFrame + "–" + (firstFrame + frames() - 1) + ")"
                : shotLabel + ": new take, " + frames() + " frames";
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public State state() {
        return state.get();
    }

    public boolean isActive() {
        return state.get().active();
    }

    public ReadOnlyDoubleProperty fractionProperty() {
        return fraction.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty stepTextProperty() {
        return stepText.getReadOnlyProperty();
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    // ---- updates from the controller (UI thread) -------------------------------------------------

    void submitted(GenerationJob job) {
        this.handle = job;
        this.jobId = job.id();
        if (cancelRequested) {
            job.cancel();
        }
    }

    void progress(JobProgress p) {
        if (!isActive()) {
            return;
        }
        state.set(State.RUNNING);
        fraction.set(Math.max(fraction.get(), p.fraction()));
        stepText.set(String.format(Locale.ROOT, "chunk %d/%d · step %d/%d", Math.min(p.chunk() + 1, p.chunks()), p.chunks(),
                p.step(), p.steps()));
    }

    void chunk(String chunkTakeId, int count) {
        if (takeId == null) {
            takeId = chunkTakeId;
        }
        framesReceived += count;
        if (state.get() == State.QUEUED) {
            state.set(State.RUNNING);
        }
    }

    void finished(State end, String message) {
        state.set(end);
        if (end == State.COMPLETED) {
            fraction.set(1);
        }
        stepText.set(switch (end) {
            case COMPLETED -> "done";
            case CANCELLED -> "cancelled";
            case FAILED -> "failed: " + message;
            default -> stepText.get();
        });
    }

    void cancel() {
        cancelRequested = true;
        if (handle != null) {
            handle.cancel();
        }
        if (isActive()) {
            stepText.set("cancelling…");
        }
    }

    @Override
    public String toString() {
        return "JobEntry[" + jobId + " " + title() + " " + state.get() + "]";
    }
}
