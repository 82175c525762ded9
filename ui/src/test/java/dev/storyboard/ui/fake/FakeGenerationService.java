package dev.storyboard.ui.fake;

import dev.storyboard.domain.Shot;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import dev.storyboard.domain.generation.EngineStatus;
import dev.storyboard.domain.generation.FrameChunk;
import dev.storyboard.domain.generation.GenerationJob;
import dev.storyboard.domain.generation.GenerationListener;
import dev.storyboard.domain.generation.GenerationRequest;
import dev.storyboard.domain.generation.GenerationService;
import dev.storyboard.domain.generation.JobOutcome;
import dev.storyboard.domain.generation.JobProgress;
import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.domain.vocabulary.ModelVocabulary;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A stand-in for the inference service (test sources only). It follows the contract: jobs run one at a
 * time in submission order, events come from a job thread (or the thread calling {@link #runNext()} in
 * manual mode), progress → chunks → exactly one finished, cancel stops within one step. Frames are solid
 * colours that change with the frame index, so a test can tell frames apart.
 */
public final class FakeGenerationService implements GenerationService {
    private final List<GenerationRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<FakeJob> queue = new CopyOnWriteArrayList<>();
    private final List<Consumer<EngineStatus>> statusListeners = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> generated = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final boolean threaded;
    private final ExecutorService worker;
    private volatile EngineStatus status;
    private volatile int chunkFrames = 4;
    private volatile int stepsPerChunk = 3;
    private volatile long stepMillis;
    private volatile int frameSize = -1;
    private volatile String failWith;
    private volatile boolean continueFromOwnFrames;
    private volatile boolean wholeChunks;

    private FakeGenerationService(boolean threaded) {
        this.threaded = threaded;
        this.status = new EngineStatus(true, "fake()", "fake-model", "Ready (fake engine)");
        this.worker = threaded ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fake-inference");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /** Jobs wait until the test calls {@link #runNext()} / {@link #runAll()} (deterministic). */
    public static FakeGenerationService manual() {
        return new FakeGenerationService(false);
    }

    /** Jobs run on their own thread with {@code stepMillis} per denoising step (live behaviour, benchmarks). */
    public static FakeGenerationService threaded(long stepMillis) {
        FakeGenerationService s = new FakeGenerationService(true);
        s.stepMillis = stepMillis;
        return s;
    }

    public FakeGenerationService chunkFrames(int n) {
        chunkFrames = n;
        return this;
    }

    public FakeGenerationService stepsPerChunk(int n) {
        stepsPerChunk = n;
        return this;
    }

    /** Frame size in pixels (default: the storyboard's). */
    public FakeGenerationService frameSize(int pixels) {
        frameSize = pixels;
        return this;
    }

    /**
     * Extensions continue after the frames this service generated for the take, not after the frames the
     * request's take has: how the engine behaved after an undone extension (issue 19, bug 2).
     */
    public FakeGenerationService continueFromOwnFrames() {
        continueFromOwnFrames = true;
        return this;
    }

    /** Rounds every job up to whole chunks, as the engine does (the take reports the frames it has). */
    public FakeGenerationService wholeChunks() {
        wholeChunks = true;
        return this;
    }

    /** The next job fails with this message. */
    public void failNext(String message) {
        failWith = message;
    }

    public void setReady(boolean ready) {
        status = ready ? new EngineStatus(true, "fake()", "fake-model", "Ready (fake engine)")
                : new EngineStatus(false, "", "", "Engine not ready (fake)");
        statusListeners.forEach(l -> l.accept(status));
    }

    /** Every request submitted so far, in order. */
    public List<GenerationRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Jobs not yet run (manual mode). */
    public int pending() {
        return (int) queue.stream().filter(j -> !j.done).count();
    }

    /** The bundled model's vocabulary, as a ready local engine reports it. */
    @Override
    public Optional<ModelVocabulary> vocabulary() {
        return status.ready() ? Optional.of(BundledVocabulary.load()) : Optional.empty();
    }

    @Override
    public EngineStatus status() {
        return status;
    }

    @Override
    public void addStatusListener(Consumer<EngineStatus> listener) {
        statusListeners.add(listener);
        listener.accept(status);
    }

    @Override
    public GenerationJob submit(GenerationRequest request, GenerationListener listener) {
        if (!status.ready()) {
            throw new IllegalStateException("no model is ready");
        }
        requests.add(request);
        FakeJob job = new FakeJob("job-" + ids.incrementAndGet(), request, listener);
        queue.add(job);
        if (threaded) {
            worker.execute(job::run);
        }
        return job;
    }

    /** Manual mode: runs the oldest waiting job to its end on the calling thread. */
    public boolean runNext() {
        for (FakeJob job : queue) {
            if (!job.done) {
                job.run();
                return true;
            }
        }
        return false;
    }

    public void runAll() {
        while (runNext()) {
            // next
        }
    }

    @Override
    public void cancelAll() {
        queue.forEach(FakeJob::cancel);
    }

    @Override
    public void close() {
        cancelAll();
        if (worker != null) {
            worker.shutdownNow();
            try {
                worker.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The colour of frame {@code index} of take {@code takeId}: distinct per take and frame. */
    public static int colour(String takeId, int index) {
        int h = Math.abs(takeId.hashCode() * 31) % 360;
        Color c = Color.getHSBColor(((h + index * 11) % 360) / 360f, 0.7f, 0.9f);
        return 0xFF000000 | (c.getRGB() & 0xFFFFFF);
    }

    private final class FakeJob implements GenerationJob {
        private final String id;
        private final GenerationRequest request;
        private final GenerationListener listener;
        private final CompletableFuture<JobOutcome> outcome = new CompletableFuture<>();
        private volatile boolean cancelled;
        private volatile boolean done;

        FakeJob(String id, GenerationRequest request, GenerationListener listener) {
            this.id = id;
            this.request = request;
            this.listener = listener;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public CompletionStage<JobOutcome> outcome() {
            return outcome;
        }

        void run() {
            if (done) {
                return;
            }
            Storyboard sb = request.storyboard();
            Shot shot = sb.shot(request.shotId()).orElseThrow();
            boolean extend = request.operation() == GenerationRequest.Operation.EXTEND_TAKE;
            Take source = extend ? shot.takes().stream().filter(t -> t.id().equals(request.sourceTakeId())).findFirst()
                    .orElse(null) : null;
            String takeId = extend ? request.sourceTakeId() : "take-" + ids.incrementAndGet();
            int own = generated.getOrDefault(takeId, source == null ? 0 : source.generatedFrames());
            int first = !extend ? 0 : continueFromOwnFrames || source == null ? own : source.generatedFrames();
            int size = frameSize > 0 ? frameSize : sb.width();
            int sizeH = frameSize > 0 ? frameSize : sb.height();
            int chunks = (request.frames() + chunkFrames - 1) / chunkFrames;
            try {
                for (int c = 0; c < chunks; c++) {
                    for (int s = 1; s <= stepsPerChunk; s++) {
                        if (cancelled) {
                            finish(new JobOutcome(id, JobOutcome.Status.CANCELLED, null, List.of(), "cancelled"));
                            return;
                        }
                        if (stepMillis > 0) {
                            Thread.sleep(stepMillis);
                        }
                        listener.progress(new JobProgress(id, request.shotId(), c, chunks, s, stepsPerChunk));
                    }
                    if (failWith != null) {
                        String m = failWith;
                        failWith = null;
                        finish(new JobOutcome(id, JobOutcome.Status.FAILED, null, List.of(), m));
                        return;
                    }
                    int from = c * chunkFrames;
                    int n = wholeChunks ? chunkFrames : Math.min(chunkFrames, request.frames() - from);
                    List<VideoFrame> frames = new ArrayList<>();
                    for (int f = 0; f < n; f++) {
                        int index = first + from + f;
                        int[] argb = new int[size * sizeH];
                        int colour = colour(takeId, index);
                        Arrays.fill(argb, colour);
                        for (int x = 0; x < size; x++) {
                            argb[(sizeH / 2) * size + x] = 0xFFFFFFFF; // a line, so scaling shows
                        }
                        frames.add(new VideoFrame(size, sizeH, argb));
                    }
                    listener.chunk(new FrameChunk(id, request.shotId(), takeId, first + from, frames));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                finish(new JobOutcome(id, JobOutcome.Status.CANCELLED, null, List.of(), "interrupted"));
                return;
            }
            int total = first + (wholeChunks ? chunks * chunkFrames : request.frames());
            generated.put(takeId, total);
            Take take = extend
                    ? new Take(takeId, source == null ? request.seed() : source.seed(), total, source == null ? "" : source.mediaFile())
                    : new Take(takeId, request.seed(), total, "");
            List<String> stale = new ArrayList<>();
            boolean after = false;
            for (Shot s : sb.shots()) {
                if (after && !s.takes().isEmpty()) {
                    stale.add(s.id());
                }
                after |= s.id().equals(request.shotId());
            }
            finish(new JobOutcome(id, JobOutcome.Status.COMPLETED, take, stale, "done"));
        }

        private void finish(JobOutcome o) {
            done = true;
            listener.finished(o);
            outcome.complete(o);
        }
    }
}
