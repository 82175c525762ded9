package dev.storyboard.ui.generation;

import dev.storyboard.domain.Shot;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import dev.storyboard.domain.generation.EngineStatus;
import dev.storyboard.domain.generation.FrameChunk;
import dev.storyboard.domain.generation.GenerationRequest;
import dev.storyboard.domain.generation.GenerationService;
import dev.storyboard.domain.generation.JobOutcome;
import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.domain.project.MediaPaths;
import dev.storyboard.domain.project.MediaStore;
import dev.storyboard.domain.quality.ChunkCheck;
import dev.storyboard.domain.vocabulary.ModelVocabulary;
import dev.storyboard.ui.command.BatchCommand;
import dev.storyboard.ui.command.Command;
import dev.storyboard.ui.command.CommandStack;
import dev.storyboard.ui.command.Shots;
import dev.storyboard.ui.command.StoryboardDocument;
import dev.storyboard.ui.command.TimelineCommands;
import dev.storyboard.ui.concurrent.Background;
import dev.storyboard.ui.concurrent.UiThread;
import dev.storyboard.ui.dialog.EditorDialogs.Choice;
import dev.storyboard.ui.notice.Notice;
import dev.storyboard.ui.notice.NoticeBoard;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableSet;

/**
 * Generation as the editor sees it: new takes (submit), extensions after a length change (extend), the chunks
 * as they arrive (frames in memory and on disk, live preview, quality marks) and which shots are stale. One
 * gesture is one undo entry with its frames: a job never pushes an entry; its take is folded into the command
 * that asked for it ({@link StoryboardDocument#amend}). UI thread only; the service's listeners are handed over
 * by {@link GenerationController}.
 */
public final class GenerationModel {
    private final StoryboardDocument document;
    private final CommandStack stack;
    private final TimelineCommands commands;
    private final NoticeBoard notices;
    private final GenerationService service;
    private final Background background;
    private final LongSupplier seeds;
    private final Supplier<Path> mediaDir;
    private final FrameCache frames = new FrameCache();
    private final QualityMarks marks;
    private final GenerationController generation;
    private final ReadOnlyObjectWrapper<EngineStatus> engineStatus;
    private final ReadOnlyObjectWrapper<ModelVocabulary> modelVocabulary = new ReadOnlyObjectWrapper<>(this, "modelVocabulary");
    private final ObservableSet<String> staleShots = FXCollections.observableSet(new LinkedHashSet<>());
    private final TakeSources sources = new TakeSources();
    /** Read-only views, created once: a wrapper per call would lose its (weak) listeners to GC. */
    private final ObservableSet<String> staleView = FXCollections.unmodifiableObservableSet(staleShots);
    private final ObservableList<JobEntry> jobsView;
    private final BooleanBinding canGenerate;
    /** Shots whose seed is locked: a new take repeats it. By default a new take rolls a new seed. */
    private final Set<String> lockedSeeds = new LinkedHashSet<>();
    private final ReadOnlyObjectWrapper<VideoFrame> liveFrame = new ReadOnlyObjectWrapper<>(this, "liveFrame");
    private final ReadOnlyStringWrapper liveCaption = new ReadOnlyStringWrapper(this, "liveCaption", "");
    /**
     * The command each job belongs to (a drag, "Generate take"): undoing the command cancels its job, and the
     * job's result is folded into that command instead of becoming an undo entry of its own.
     */
    private final Map<JobEntry, Command> originByJob = new IdentityHashMap<>();
    private final Map<String, PutAside> putAside = new HashMap<>();
    /** Length edits that may need frames, by shot, so that their redo asks for them again. */
    private final Map<Command, String> lengthOrigins = new WeakHashMap<>();
    /** An extension waiting for the running extension of the same take (take id → the edit that wants it). */
    private final Map<String, Command> waitingExtension = new HashMap<>();
    /** The notice offering to regenerate stale shots, and the shots it names. */
    private Notice staleNotice;
    private List<String> staleNoticeShots = List.of();
    /** Shots of a multi-shot "Generate take" still to queue, each after the take of the one before arrived. */
    private final Map<Command, Deque<String>> batchRest = new IdentityHashMap<>();
    /** The commands of "Generate take" gestures (they are withdrawn when their jobs make nothing). */
    private final Set<Command> generateOrigins = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Jobs whose frames did not land where they announced: their output is dropped. */
    private final Set<JobEntry> rejected = Collections.newSetFromMap(new IdentityHashMap<>());

    /**
     * @param service       the generation service, or null (generation stays disabled)
     * @param mediaDir      the folder the take folders of the open project live in
     * @param selectedShot  the shot the inspector shows ({@link #canGenerateBinding()} needs one)
     */
    public GenerationModel(StoryboardDocument document, CommandStack stack, NoticeBoard notices, GenerationService service,
                           UiThread ui, Background background, ChunkCheck chunkCheck, LongSupplier seeds,
                           EngineStatus initialStatus, Supplier<Path> mediaDir, ObservableValue<Shot> selectedShot) {
        this.document = Objects.requireNonNull(document, "document");
        this.stack = Objects.requireNonNull(stack, "stack");
        this.commands = new TimelineCommands(document);
        this.notices = Objects.requireNonNull(notices, "notices");
        this.service = service;
        this.background = Objects.requireNonNull(background, "background");
        this.seeds = Objects.requireNonNull(seeds, "seeds");
        this.mediaDir = Objects.requireNonNull(mediaDir, "mediaDir");
        this.engineStatus = new ReadOnlyObjectWrapper<>(this, "engineStatus", Objects.requireNonNull(initialStatus, "engine status"));
        this.marks = new QualityMarks(chunkCheck, background);
        modelVocabulary.set(vocabularyOf(initialStatus));
        this.generation = new GenerationController(service, ui, new GenerationController.Callbacks() {
            @Override
            public void chunkArrived(JobEntry entry, FrameChunk chunk) {
                onChunk(entry, chunk);
            }

            @Override
            public void jobFinished(JobEntry entry, JobOutcome outcome) {
                onFinished(entry, outcome);
            }
        });
        this.jobsView = FXCollections.unmodifiableObservableList(generation.jobs());
        this.canGenerate = Bindings.createBooleanBinding(
                () -> engineStatus.get().ready() && generation.hasService() && selectedShot.getValue() != null,
                engineStatus, selectedShot);
        sources.assumeCurrent(document.get());
        stack.addListener(this::commandEvent);
    }

    private Storyboard storyboard() {
        return document.get();
    }

    private String label(String shotId) {
        return Shots.label(storyboard(), shotId);
    }

    // ---- observable state -----------------------------------------------------------------------

    public FrameCache frames() {
        return frames;
    }

    /** Live quality flags (seam, cut, flash, drift) of generated takes, by take id. */
    public QualityMarks qualityMarks() {
        return marks;
    }

    public GenerationController controller() {
        return generation;
    }

    public ObservableList<JobEntry> jobs() {
        return jobsView;
    }

    public ReadOnlyObjectProperty<EngineStatus> engineStatusProperty() {
        return engineStatus.getReadOnlyProperty();
    }

    /** Called on the UI thread when the generation service reports a new status. */
    public void updateEngineStatus(EngineStatus status) {
        engineStatus.set(Objects.requireNonNull(status, "engine status"));
        modelVocabulary.set(vocabularyOf(status));
    }

    /** The loaded model's vocabulary (prompt completion), or null while none is ready or it ships none. */
    public ReadOnlyObjectProperty<ModelVocabulary> modelVocabularyProperty() {
        return modelVocabulary.getReadOnlyProperty();
    }

    private ModelVocabulary vocabularyOf(EngineStatus status) {
        return status.ready() && service != null ? service.vocabulary().orElse(null) : null;
    }

    /** True when the engine is ready and a shot is selected. */
    public BooleanBinding canGenerateBinding() {
        return canGenerate;
    }

    public ObservableSet<String> staleShots() {
        return staleView;
    }

    /** The frame most recently decoded by a running job (live preview), or null. */
    public ReadOnlyObjectProperty<VideoFrame> liveFrameProperty() {
        return liveFrame.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty liveCaptionProperty() {
        return liveCaption.getReadOnlyProperty();
    }

    /** The creator moved the playhead or pressed play: the preview shows the frame under the playhead again. */
    public void endLivePreview() {
        liveFrame.set(null);
    }

    // ---- seeds ----------------------------------------------------------------------------------

    /** Unlocked (the default): every new take rolls a new seed. Locked: a new take keeps the seed (a repeat). */
    public boolean isSeedLocked(String shotId) {
        return lockedSeeds.contains(shotId);
    }

    public void setSeedLocked(String shotId, boolean locked) {
        if (locked) {
            lockedSeeds.add(shotId);
        } else {
            lockedSeeds.remove(shotId);
        }
    }

    // ---- extend: lengths that need frames -------------------------------------------------------

    private boolean execute(Command command) {
        try {
            return stack.execute(command);
        } catch (RuntimeException e) {
            notices.show(Notice.warning(command.description() + " was not possible: " + NoticeBoard.message(e)));
            return false;
        }
    }

    /**
     * Sets a shot's length: the end of an edge drag, or the inspector's duration field. One undoable edit.
     * Shorter than the active take: a non-destructive trim. Longer than the frames the active take has (or
     * will have, counting queued extensions): at most one extension job for exactly the missing frames.
     *
     * @return the extension job, if one was queued
     */
    public Optional<JobEntry> resizeShot(String shotId, int requested) {
        int length = Math.max(1, Math.min(requested, Shots.maxShotFrames(storyboard())));
        Shot shot = storyboard().shot(shotId).orElse(null);
        if (shot == null || length == shot.durationFrames()) {
            return Optional.empty();
        }
        Command edit = commands.setDuration(shotId, length);
        if (!execute(edit)) {
            return Optional.empty();
        }
        return queueMissingFrames(shotId, edit);
    }

    /**
     * Queues an extension of the active take when the shot is longer than the frames it has, for the command
     * {@code origin} (a drag, the inspector's length, "Extend"): the job's frames are folded into that command.
     * While another extension of the take runs, this one waits for it and then asks for what is still missing
     * (the engine rounds to whole chunks, so only a finished take says where the next frames start). Does
     * nothing for a shot without takes (it is generated as a whole) or when generation is unavailable.
     */
    private Optional<JobEntry> queueMissingFrames(String shotId, Command origin) {
        lengthOrigins.put(origin, shotId);
        Shot shot = storyboard().shot(shotId).orElse(null);
        if (shot == null) {
            return Optional.empty();
        }
        Take active = shot.activeTake().orElse(null);
        if (active == null) {
            return Optional.empty();
        }
        int missing = shot.durationFrames() - active.generatedFrames();
        if (missing <= 0) {
            return Optional.empty();
        }
        if (!engineStatus.get().ready() || !generation.hasService()) {
            notices.show(Notice.info(label(shotId) + " is " + missing + " frames longer than its take; they will be "
                    + "generated when the engine is ready (drag the edge again then)."));
            return Optional.empty();
        }
        if (generation.pendingExtensionFrames(active.id()) > 0) {
            waitingExtension.put(active.id(), origin);
            return Optional.empty();
        }
        putAside.remove(active.id()); // the frames of an undone extension are replaced by new ones
        Optional<JobEntry> job = submit(GenerationRequest.extend(storyboard(), shotId, active.id(), missing, shot.seed()),
                active.generatedFrames());
        job.ifPresent(j -> originByJob.put(j, origin));
        return job;
    }

    /** Extends {@code takeId} (any take of the shot) by {@code count} frames: it becomes active, the shot that long. */
    public Optional<JobEntry> extendFromTake(String shotId, String takeId, int count) {
        Shot shot = storyboard().shot(shotId).orElse(null);
        if (shot == null || count <= 0) {
            return Optional.empty();
        }
        Take take = Shots.take(shot, takeId).orElse(null);
        if (take == null) {
            return Optional.empty();
        }
        int target = Math.max(shot.durationFrames(), take.generatedFrames() + generation.pendingExtensionFrames(takeId)) + count;
        List<Command> parts = new ArrayList<>();
        if (!takeId.equals(shot.activeTakeId())) {
            parts.add(commands.selectTake(shotId, takeId));
        }
        parts.add(commands.setDuration(shotId, Math.min(target, Shots.maxShotFrames(storyboard()))));
        Command batch = new BatchCommand("Extend " + label(shotId) + " by " + count + " frames", parts);
        if (!execute(batch)) {
            return Optional.empty();
        }
        return queueMissingFrames(shotId, batch);
    }

    /** Deletes a take from the shot (undoable; its frames stay on disk until the project is cleaned). */
    public void deleteTake(String shotId, String takeId) {
        generation.jobs().stream().filter(j -> j.isActive() && takeId.equals(j.takeId())).forEach(generation::cancel);
        execute(commands.deleteTake(shotId, takeId));
    }

    private void commandEvent(CommandStack.Event event, Command command) {
        List<JobEntry> jobs = originByJob.entrySet().stream().filter(e -> e.getValue() == command).map(Map.Entry::getKey)
                .toList();
        for (JobEntry job : jobs) {
            if (event == CommandStack.Event.UNDONE && job.isActive()) {
                generation.cancel(job); // the edit that asked for these frames is gone
            } else if (event == CommandStack.Event.REDONE && !job.isActive() && job.state() != JobEntry.State.COMPLETED
                    && !job.isExtension()) {
                originByJob.remove(job);
                if (storyboard().shot(job.shotId()).isPresent()) {
                    submit(GenerationRequest.newTake(storyboard(), job.shotId()), 0).ifPresent(j -> originByJob.put(j, command));
                }
            }
        }
        if (event == CommandStack.Event.UNDONE) {
            waitingExtension.values().removeIf(c -> c == command);
            batchRest.remove(command);
        }
        String lengthShot = lengthOrigins.get(command);
        if (event == CommandStack.Event.REDONE && lengthShot != null && jobs.stream().noneMatch(JobEntry::isActive)) {
            jobs.forEach(originByJob::remove);
            queueMissingFrames(lengthShot, command); // its frames were not generated: ask again (only what is missing)
        }
        if (event != CommandStack.Event.EXECUTED) {
            reconcileFrames();
        }
    }

    /**
     * Makes the frames in memory and in the media folder match the takes of the current storyboard: after an undo
     * the frames of an undone extension are put aside (memory) and removed from the take's folder, so the take
     * holds exactly its frames; a redo puts them back. Takes that a running job writes to are left alone.
     */
    private void reconcileFrames() {
        Set<String> busyTakes = new HashSet<>();
        generation.activeJobs().forEach(j -> {
            if (j.takeId() != null) {
                busyTakes.add(j.takeId());
            }
        });
        for (Shot shot : storyboard().shots()) {
            for (Take take : shot.takes()) {
                if (busyTakes.contains(take.id()) || take.mediaFile().isEmpty()) {
                    continue;
                }
                int want = take.generatedFrames();
                int have = frames.length(take.id());
                Path dir = MediaPaths.resolve(mediaDir.get(), take.mediaFile());
                if (have > want) {
                    List<VideoFrame> extra = new ArrayList<>();
                    for (int i = want; i < have; i++) {
                        extra.add(frames.frame(take.id(), i));
                    }
                    if (extra.stream().allMatch(Objects::nonNull)) {
                        putAside.put(take.id(), new PutAside(want, extra));
                    }
                    frames.truncate(take.id(), want);
                    marks.truncate(take.id(), want);
                    background.run("put aside frames of " + take.id(), () -> MediaStore.truncate(dir, want));
                } else if (have < want && putAside.containsKey(take.id()) && putAside.get(take.id()).first() == have) {
                    PutAside aside = putAside.remove(take.id());
                    List<VideoFrame> back = aside.frames().subList(0, Math.min(aside.frames().size(), want - have));
                    frames.put(take.id(), have, back);
                    background.run("restore frames of " + take.id(), () -> MediaStore.writeFrames(dir, have, back));
                }
            }
        }
    }

    /** Frames of an undone extension, kept in memory for its redo. */
    private record PutAside(int first, List<VideoFrame> frames) {}

    // ---- submit: new takes ----------------------------------------------------------------------

    /**
     * Generates a new take of each shot, in timeline order, as one undo entry. A new take rolls a new seed
     * unless the shot's seed is locked (then it repeats the last take with that seed, and the notice says so).
     */
    public List<JobEntry> generate(List<String> shotIds) {
        return generate(shotIds, false);
    }

    private List<JobEntry> generate(List<String> shotIds, boolean keepSeeds) {
        List<JobEntry> queued = new ArrayList<>();
        if (!engineStatus.get().ready() || !generation.hasService()) {
            notices.show(Notice.warning("Generation is unavailable: " + engineStatus.get().message()));
            return queued;
        }
        List<String> ids = new ArrayList<>();
        List<Command> parts = new ArrayList<>();
        List<String> repeats = new ArrayList<>();
        for (Shot shot : storyboard().shots()) {
            if (!shotIds.contains(shot.id())) {
                continue;
            }
            if (shot.prompt().isBlank()) {
                notices.show(Notice.warning(label(shot.id()) + " has no prompt yet: describe what happens, then generate."));
                continue;
            }
            boolean keep = keepSeeds || isSeedLocked(shot.id());
            if (keep && !keepSeeds && shot.takes().stream().anyMatch(t -> t.seed() == shot.seed())) {
                repeats.add(shot.id());
            }
            ids.add(shot.id());
            parts.add(commands.generateTake(shot.id(), keep ? null : Math.abs(seeds.getAsLong())));
        }
        if (parts.isEmpty()) {
            return queued;
        }
        Command origin = parts.size() == 1 ? parts.get(0)
                : new BatchCommand("Generate takes of " + ids.size() + " shots", parts);
        if (!execute(origin)) {
            return queued;
        }
        generateOrigins.add(origin);
        // context-causal: each shot is generated with the new takes of the shots before it, so the next shot of
        // the gesture is queued when the previous one's take has arrived (see onFinished)
        ArrayDeque<String> rest = new ArrayDeque<>(ids);
        submit(GenerationRequest.newTake(storyboard(), rest.poll()), 0).ifPresent(j -> {
            queued.add(j);
            originByJob.put(j, origin);
        });
        if (!queued.isEmpty() && !rest.isEmpty()) {
            batchRest.put(origin, rest);
        }
        if (queued.isEmpty() && !stack.retractLast(origin)) {
            stack.discardIfUnchanged(origin);
        }
        if (!repeats.isEmpty()) {
            String which = repeats.size() == 1 ? label(repeats.get(0)) : repeats.size() + " shots";
            notices.show(Notice.info(which + ": the seed is locked, so the new take repeats an earlier one exactly.",
                    Choice.primary("Reroll and generate", () -> {
                        notices.dismiss();
                        queued.forEach(generation::cancel);
                        repeats.forEach(id -> setSeedLocked(id, false));
                        generate(repeats);
                    }),
                    Choice.of("Keep", notices::dismiss)));
        }
        return queued;
    }

    /** Shot ▸ Generate missing shots: a new take of every shot that has none yet (finished shots are left alone). */
    public List<JobEntry> generateMissing() {
        List<String> ids = storyboard().shots().stream().filter(s -> s.activeTake().isEmpty() && !s.prompt().isBlank())
                .map(Shot::id).toList();
        if (ids.isEmpty()) {
            notices.show(Notice.info("Every shot with a prompt has a take. Drag an edge to add frames, or Ctrl+G for a new take."));
            return List.of();
        }
        return generate(ids);
    }

    /** Regenerates every shot marked stale, in timeline order. */
    public List<JobEntry> regenerateStale() {
        List<String> ids = storyboard().shots().stream().map(Shot::id).filter(staleShots::contains).toList();
        notices.dismiss();
        return generate(ids, true); // same seeds, new context
    }

    private Optional<JobEntry> submit(GenerationRequest request, int firstFrame) {
        try {
            return Optional.of(generation.submit(request, label(request.shotId()), firstFrame));
        } catch (RuntimeException e) {
            notices.show(Notice.error("Could not queue " + label(request.shotId()) + ": " + NoticeBoard.message(e)));
            return Optional.empty();
        }
    }

    public void cancelJob(JobEntry job) {
        generation.cancel(job);
    }

    public void cancelShot(String shotId) {
        generation.cancelShot(shotId);
    }

    public void cancelAll() {
        batchRest.clear(); // the shots of a gesture not queued yet are not queued any more
        generation.cancelAll();
    }

    // ---- chunks ---------------------------------------------------------------------------------

    private void onChunk(JobEntry entry, FrameChunk chunk) {
        if (chunk.frames().isEmpty() || rejected.contains(entry)) {
            return;
        }
        int expected = entry.firstFrame() + entry.framesReceived() - chunk.frames().size();
        if (chunk.firstFrame() != expected || (entry.takeId() != null && !entry.takeId().equals(chunk.takeId()))) {
            // an extension writes exactly the frames it announced: never frames elsewhere in the take
            rejected.add(entry);
            generation.cancel(entry);
            notices.show(Notice.error(entry.title() + " failed: the engine sent frames from " + chunk.firstFrame()
                    + " where frame " + expected + " was expected; nothing was kept."));
            return;
        }
        frames.put(chunk.takeId(), chunk.firstFrame(), chunk.frames());
        marks.chunkArrived(chunk.takeId(), frames.frames(chunk.takeId()), chunk.firstFrame(), storyboard().fps());
        liveFrame.set(chunk.frames().get(chunk.frames().size() - 1));
        int last = chunk.firstFrame() + chunk.frames().size() - 1;
        liveCaption.set(entry.shotLabel() + " · generating frame " + last + " (" + entry.stepTextProperty().get() + ")");
        Path takeDir = takeDir(chunk.shotId(), chunk.takeId());
        List<VideoFrame> copy = chunk.frames();
        int first = chunk.firstFrame();
        background.run("write frames of " + chunk.takeId(), () -> MediaStore.writeFrames(takeDir, first, copy));
    }

    private void onFinished(JobEntry entry, JobOutcome outcome) {
        Command origin = originByJob.get(entry);
        try {
            handleFinished(entry, outcome);
        } finally {
            Deque<String> rest = origin == null ? null : batchRest.get(origin);
            if (rest != null) {
                boolean goOn = outcome.status() == JobOutcome.Status.COMPLETED && stack.isDone(origin);
                String next = goOn ? rest.poll() : null;
                while (next != null && storyboard().shot(next).isEmpty()) {
                    next = rest.poll();
                }
                if (next == null || rest.isEmpty()) {
                    batchRest.remove(origin);
                }
                if (next != null) {
                    submit(GenerationRequest.newTake(storyboard(), next), 0).ifPresent(j -> originByJob.put(j, origin));
                }
            }
            Command waiting = entry.isExtension() && entry.takeId() != null ? waitingExtension.remove(entry.takeId()) : null;
            if (waiting != null && stack.isDone(waiting) && generation.pendingExtensionFrames(entry.takeId()) == 0) {
                queueMissingFrames(entry.shotId(), waiting);
            }
        }
    }

    private void handleFinished(JobEntry entry, JobOutcome outcome) {
        Command origin = originByJob.get(entry); // kept when nothing came of it: a redo queues it again
        if (generation.activeJobs().isEmpty()) {
            liveCaption.set("");
            liveFrame.set(null); // back to the frame under the playhead
        }
        String shotId = entry.shotId();
        Shot shot = storyboard().shot(shotId).orElse(null);
        boolean wasRejected = rejected.remove(entry);
        boolean completed = outcome.status() == JobOutcome.Status.COMPLETED && !wasRejected
                && outcome.take().generatedFrames() == entry.firstFrame() + entry.framesReceived();
        if (outcome.status() == JobOutcome.Status.COMPLETED && !completed && !wasRejected) {
            notices.show(Notice.error(entry.title() + " failed: the engine reported a take of "
                    + outcome.take().generatedFrames() + " frames but sent " + (entry.firstFrame() + entry.framesReceived())
                    + "; nothing was kept."));
        }
        if (completed) {
            originByJob.remove(entry);
            Take take = outcome.take();
            Optional<Take> existing = shot == null ? Optional.empty() : Shots.take(shot, take.id());
            String media = existing.map(Take::mediaFile).filter(m -> !m.isEmpty())
                    .orElse(MediaPaths.takeFolder(shotId, take.id()));
            Take stored = new Take(take.id(), take.seed(), take.generatedFrames(), media);
            var arrived = TimelineCommands.takeArrived(shotId, stored, !entry.isExtension());
            sources.generated(stored, TakeSources.sourceOf(entry.request().storyboard(), shotId));
            Set<String> staleBefore = Set.copyOf(staleShots);
            CommandStack.Position where = null;
            try {
                if (origin != null) {
                    where = document.amend(stack, origin, arrived);
                } else if (shot != null) {
                    execute(existing.isPresent() ? commands.replaceTake(shotId, stored)
                            : commands.addTake(shotId, stored, !entry.isExtension() || shot.activeTakeId() == null));
                }
            } catch (RuntimeException e) {
                notices.show(Notice.error("The take of " + entry.shotLabel() + " could not be stored: " + NoticeBoard.message(e)));
            }
            if (shot == null) {
                notices.show(Notice.info(entry.shotLabel() + " was deleted while it was generated; undo the delete to get its take back."));
                return;
            }
            if (where == CommandStack.Position.UNDONE) {
                reconcileFrames(); // undone before it finished: its frames wait for a redo
                return;
            }
            refreshStale();
            int index = Shots.indexOf(storyboard(), shotId);
            offerToRegenerate(entry.shotLabel(), staleShots.stream()
                    .filter(id -> !staleBefore.contains(id) && Shots.indexOf(storyboard(), id) > index).toList());
            return;
        }
        String takeId = entry.takeId();
        if (takeId != null) {
            if (entry.isExtension()) {
                int keep = shot == null ? entry.firstFrame()
                        : Shots.take(shot, takeId).map(Take::generatedFrames).orElse(entry.firstFrame());
                frames.truncate(takeId, keep);
                marks.truncate(takeId, keep);
                Path dir = takeDir(shotId, takeId);
                background.run("drop frames of " + takeId, () -> MediaStore.truncate(dir, keep));
            } else {
                frames.remove(takeId);
                marks.forget(takeId);
                Path dir = takeDir(shotId, takeId);
                background.run("drop take " + takeId, () -> MediaStore.deleteTake(dir));
            }
        }
        if (origin != null && generateOrigins.contains(origin) && originByJob.entrySet().stream().noneMatch(e -> e.getValue() == origin
                && (e.getKey().isActive() || e.getKey().state() == JobEntry.State.COMPLETED))) {
            // "Generate take" that made nothing leaves no undo entry behind (its new seed goes too)
            if (stack.retractLast(origin) || stack.discardIfUnchanged(origin)) {
                originByJob.values().removeIf(c -> c == origin);
                generateOrigins.remove(origin);
            }
        }
        if (outcome.status() == JobOutcome.Status.FAILED) {
            notices.show(Notice.error(entry.title() + " failed: " + outcome.message()));
        }
    }

    private Path takeDir(String shotId, String takeId) {
        Shot shot = storyboard().shot(shotId).orElse(null);
        String media = shot == null ? "" : Shots.take(shot, takeId).map(Take::mediaFile).orElse("");
        String rel = media.isEmpty() ? MediaPaths.takeFolder(shotId, takeId) : media;
        return MediaPaths.resolve(mediaDir.get(), rel);
    }

    // ---- staleness ------------------------------------------------------------------------------

    /** Later shots that a new take made stale: offers to regenerate them, or to keep them as they are. */
    private void offerToRegenerate(String changed, List<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        String which = ids.size() == 1 ? label(ids.get(0)) : ids.size() + " later shots";
        staleNotice = Notice.info(changed + " has new frames: " + which + " may no longer match.",
                Choice.primary("Regenerate", this::regenerateStale),
                Choice.of("Keep", () -> {
                    notices.dismiss();
                    keepAsTheyAre(ids);
                }));
        staleNoticeShots = List.copyOf(ids);
        notices.show(staleNotice);
    }

    /** The creator accepts these shots' takes with the storyboard as it is: they are no longer stale. */
    public void keepAsTheyAre(List<String> shotIds) {
        shotIds.forEach(id -> sources.accept(storyboard(), id));
        refreshStale();
    }

    /** Stale = the active take was generated from something else than what the storyboard says now. */
    public void refreshStale() {
        Set<String> now = sources.staleShots(storyboard());
        staleShots.retainAll(now);
        staleShots.addAll(now);
        if (staleNotice != null && notices.current() == staleNotice && staleNoticeShots.stream().noneMatch(now::contains)) {
            notices.dismiss(); // e.g. the extension was undone: nothing it talks about is stale any more
        }
    }

    // ---- another project ------------------------------------------------------------------------

    /**
     * A different project replaces the open one: running jobs are cancelled, and frames, marks, sources, locks
     * and the live preview of the old one are forgotten; {@code next}'s takes count as fresh.
     */
    public void reset(Storyboard next) {
        generation.cancelAll();
        originByJob.clear();
        batchRest.clear();
        lengthOrigins.clear();
        waitingExtension.clear();
        generateOrigins.clear();
        putAside.clear();
        frames.clear();
        marks.clear();
        sources.clear();
        sources.assumeCurrent(next);
        lockedSeeds.clear();
        liveFrame.set(null);
        liveCaption.set("");
    }
}
