package dev.storyboard.app.render;

import dev.storyboard.app.cli.ExitCodes;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import dev.storyboard.domain.generation.FrameChunk;
import dev.storyboard.domain.generation.GenerationJob;
import dev.storyboard.domain.generation.GenerationListener;
import dev.storyboard.domain.generation.GenerationRequest;
import dev.storyboard.domain.generation.GenerationService;
import dev.storyboard.domain.generation.JobOutcome;
import dev.storyboard.domain.generation.JobProgress;
import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.domain.project.MediaPaths;
import dev.storyboard.domain.project.MediaStore;
import dev.storyboard.domain.text.Printable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Collects the frames of the chosen shots for export: from each shot's active take in the project's
 * media folder, or — for shots without a generated take — from the engine. The project file and its
 * media folder are never written.
 */
public final class SceneRenderer {

    /** Reports what the renderer is doing, for a progress bar or log lines. */
    public interface Listener {
        void status(String line);

        default void generationProgress(int shotNumber, JobProgress progress) {
        }
    }

    private final Supplier<Optional<GenerationService>> engine;
    private final long generationTimeoutSeconds;

    /**
     * @param engine supplies a ready generation service, or empty when no model is available; asked only
     *               when a shot lacks a take
     */
    public SceneRenderer(Supplier<Optional<GenerationService>> engine, long generationTimeoutSeconds) {
        this.engine = engine;
        this.generationTimeoutSeconds = generationTimeoutSeconds;
    }

    /** Frames of the shots at {@code shotIndices} (timeline order), each trimmed to its duration, back to back. */
    public List<VideoFrame> frames(Storyboard storyboard, Path mediaDir, List<Integer> shotIndices, Listener listener)
            throws RenderException, InterruptedException {
        List<VideoFrame> frames = new ArrayList<>();
        for (List<VideoFrame> shot : shotFrames(storyboard, mediaDir, shotIndices, listener)) {
            frames.addAll(shot);
        }
        return frames;
    }

    /**
     * Frames per shot, trimmed to each shot's duration. Shots without enough stored frames are generated in
     * timeline order, and each generated take becomes the active take for the shots after it, so later shots
     * are conditioned on it (context-causal) exactly as in the editor.
     */
    public List<List<VideoFrame>> shotFrames(Storyboard storyboard, Path mediaDir, List<Integer> shotIndices,
                                             Listener listener) throws RenderException, InterruptedException {
        List<Integer> missing = new ArrayList<>();
        for (int i : shotIndices) {
            if (storedFrames(storyboard.shots().get(i), mediaDir) < storyboard.shots().get(i).durationFrames()) {
                missing.add(i);
            }
        }
        TreeMap<Integer, List<VideoFrame>> generated = new TreeMap<>();
        if (!missing.isEmpty()) {
            Optional<GenerationService> available;
            try {
                available = engine.get();
            } catch (ModelUnusableException e) {
                throw new RenderException("shot(s) " + numbers(missing) + " have no generated take with enough frames and "
                        + e.getMessage() + " (see `storyboard doctor`)", e.exitCode());
            }
            GenerationService service = available.orElseThrow(() -> new RenderException(
                    "shot(s) " + numbers(missing) + " have no generated take with enough frames and no model is available "
                            + "to generate them (see `storyboard doctor`); generate them in the editor first",
                    ExitCodes.MISSING_INPUT));
            Storyboard scene = storyboard;
            for (int i : missing) {
                listener.status("generating shot " + (i + 1) + " (" + scene.shots().get(i).durationFrames() + " frames)");
                Generated g = generate(service, scene, i, listener);
                generated.put(i, g.frames());
                Shot shot = scene.shots().get(i);
                List<Take> takes = new ArrayList<>(shot.takes());
                takes.add(g.take());
                scene = scene.withShot(new Shot(shot.id(), shot.prompt(), shot.durationFrames(), shot.camera(),
                        shot.shotSize(), shot.seed(), shot.guidance(), takes, g.take().id()));
            }
        }
        List<List<VideoFrame>> result = new ArrayList<>();
        for (int i : shotIndices) {
            Shot shot = storyboard.shots().get(i);
            List<VideoFrame> shotFrames = generated.containsKey(i) ? generated.get(i) : read(shot, mediaDir);
            result.add(List.copyOf(shotFrames.subList(0, shot.durationFrames())));
        }
        return result;
    }

    /** A take the engine produced and its decoded frames. */
    private record Generated(Take take, List<VideoFrame> frames) {}

    private static int storedFrames(Shot shot, Path mediaDir) {
        Optional<Take> take = shot.activeTake();
        if (take.isEmpty() || take.get().mediaFile().isEmpty() || mediaDir == null) {
            return 0;
        }
        Path dir = mediaDir.resolve(take.get().mediaFile());
        return Files.isDirectory(dir) ? MediaStore.countFrames(dir) : 0;
    }

    private static List<VideoFrame> read(Shot shot, Path mediaDir) throws RenderException {
        Path dir = mediaDir.resolve(shot.activeTake().orElseThrow().mediaFile());
        try {
            MediaPaths.requireInside(mediaDir, dir);
            List<VideoFrame> frames = MediaStore.readFrames(dir, shot.durationFrames());
            if (frames.size() < shot.durationFrames()) {
                throw new IOException("only " + frames.size() + " of " + shot.durationFrames() + " frames are there");
            }
            return frames;
        } catch (IOException e) {
            throw new RenderException("cannot read the frames of shot " + Printable.of(shot.id()) + " from "
                    + Printable.of(dir) + ": " + e.getMessage(), ExitCodes.FAILED);
        }
    }

    /** Listener that forwards progress and puts every chunk's frames at their place in {@code frames}. */
    private static GenerationListener collector(int index, Listener listener, List<VideoFrame> frames) {
        return new GenerationListener() {
            @Override
            public void progress(JobProgress progress) {
                listener.generationProgress(index + 1, progress);
            }

            @Override
            public void chunk(FrameChunk chunk) {
                synchronized (frames) {
                    while (frames.size() < chunk.firstFrame() + chunk.frames().size()) {
                        frames.add(null);
                    }
                    for (int k = 0; k < chunk.frames().size(); k++) {
                        frames.set(chunk.firstFrame() + k, chunk.frames().get(k));
                    }
                }
            }

            @Override
            public void finished(JobOutcome outcome) {
            }
        };
    }

    private Generated generate(GenerationService service, Storyboard storyboard, int index, Listener listener)
            throws RenderException, InterruptedException {
        Shot shot = storyboard.shots().get(index);
        List<VideoFrame> frames = new ArrayList<>();
        GenerationJob job;
        try {
            job = service.submit(GenerationRequest.newTake(storyboard, shot.id()), collector(index, listener, frames));
        } catch (IllegalArgumentException e) {
            throw new RenderException("shot " + (index + 1) + " cannot be generated: " + e.getMessage(), ExitCodes.USAGE);
        }
        JobOutcome outcome;
        try {
            outcome = job.outcome().toCompletableFuture().get(generationTimeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            job.cancel();
            throw new RenderException("generating shot " + (index + 1) + " took longer than " + generationTimeoutSeconds
                    + " s; cancelled", ExitCodes.FAILED);
        } catch (ExecutionException e) {
            throw new RenderException("generating shot " + (index + 1) + " failed: " + e.getCause().getMessage(), ExitCodes.FAILED);
        } catch (InterruptedException e) {
            job.cancel();
            throw e;
        }
        if (outcome.status() != JobOutcome.Status.COMPLETED) {
            throw new RenderException("generating shot " + (index + 1) + " " + outcome.status().name().toLowerCase()
                    + ": " + outcome.message(), ExitCodes.FAILED);
        }
        synchronized (frames) {
            if (frames.size() < shot.durationFrames() || frames.subList(0, shot.durationFrames()).contains(null)) {
                throw new RenderException("the engine finished shot " + (index + 1) + " with " + frames.size() + " of "
                        + shot.durationFrames() + " frames", ExitCodes.FAILED);
            }
            return new Generated(outcome.take(), List.copyOf(frames));
        }
    }

    private static String numbers(List<Integer> indices) {
        StringBuilder sb = new StringBuilder();
        for (int i : indices) {
            sb.append(sb.length() == 0 ? "" : ", ").append(i + 1);
        }
        return sb.toString();
    }
}
