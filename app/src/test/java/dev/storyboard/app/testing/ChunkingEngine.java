package dev.storyboard.app.testing;

import dev.storyboard.domain.Take;
import dev.storyboard.domain.generation.EngineStatus;
import dev.storyboard.domain.generation.FrameChunk;
import dev.storyboard.domain.generation.GenerationJob;
import dev.storyboard.domain.generation.GenerationListener;
import dev.storyboard.domain.generation.GenerationRequest;
import dev.storyboard.domain.generation.GenerationService;
import dev.storyboard.domain.generation.JobOutcome;
import dev.storyboard.domain.generation.VideoFrame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A stand-in generation service for app tests: records every request and emits flat 64×64 frames in chunks
 * of 4 from a background thread, like the engine does. Take ids are "take-new" for the first job, then
 * "take-new-2", … so tests can follow which take became context.
 */
public final class ChunkingEngine implements GenerationService {
    private final List<GenerationRequest> requests;

    public ChunkingEngine(List<GenerationRequest> requests) {
        this.requests = requests;
    }

    public static List<VideoFrame> frames(int count, int shade) {
        List<VideoFrame> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] argb = new int[64 * 64];
            Arrays.fill(argb, 0xFF000000 | (shade << 16) | ((i * 8 & 0xFF) << 8) | 40);
            frames.add(new VideoFrame(64, 64, argb));
        }
        return frames;
    }

    @Override public EngineStatus status() { return new EngineStatus(true, "test", "test", "ready"); }
    @Override public void addStatusListener(Consumer<EngineStatus> listener) { listener.accept(status()); }
    @Override public void cancelAll() { }
    @Override public void close() { }

    @Override
    public synchronized GenerationJob submit(GenerationRequest request, GenerationListener listener) {
        requests.add(request);
        String takeId = requests.size() == 1 ? "take-new" : "take-new-" + requests.size();
        CompletableFuture<JobOutcome> done = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            List<VideoFrame> all = frames(request.frames(), 120);
            for (int first = 0; first < all.size(); first += 4) {
                listener.chunk(new FrameChunk("job", request.shotId(), takeId, first,
                        all.subList(first, Math.min(all.size(), first + 4))));
            }
            JobOutcome outcome = new JobOutcome("job", JobOutcome.Status.COMPLETED,
                    new Take(takeId, request.seed(), request.frames(), ""), List.of(), "done");
            listener.finished(outcome);
            done.complete(outcome);
        });
        worker.start();
        return new GenerationJob() {
            @Override public String id() { return "job"; }
            @Override public void cancel() { }
            @Override public CompletionStage<JobOutcome> outcome() { return done; }
        };
    }
}
