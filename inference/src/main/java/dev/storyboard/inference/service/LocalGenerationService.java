package dev.storyboard.inference.service;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.storyboard.domain.Guidance;
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
import dev.storyboard.inference.config.BoxPlannerConfig;
import dev.storyboard.inference.config.StoryDiTConfig;
import dev.storyboard.inference.engine.TorchRuntime;
import dev.storyboard.inference.model.ModelIntegrityException;
import dev.storyboard.inference.model.StoryboardModel;
import dev.storyboard.inference.session.CancellationToken;
import dev.storyboard.inference.session.CancelledException;
import dev.storyboard.inference.session.ChunkListener;
import dev.storyboard.inference.session.ContinuationStart;
import dev.storyboard.inference.session.SceneSession;
import dev.storyboard.inference.text.MiniLmTextEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process generation service. All model work runs on one dedicated thread ({@value #THREAD_NAME}):
 * engine start-up, checksum verification, model and text-encoder loading, then one job at a time from a
 * queue. Callers never wait for it.
 *
 * <ul>
 *   <li>{@link #status()} becomes ready once a verified model is loaded and the text encoder is up.</li>
 *   <li>{@link #submit} validates the request at once (empty or over-long prompt, frames beyond the
 *       maximum, unknown take: {@link IllegalArgumentException} with a clear message) and queues it. Jobs run
 *       in submission order, except that a queued extension (interactive) overtakes queued new takes
 *       ({@link ServiceSettings#extensionsFirst()}).</li>
 *   <li>Events go to the job's listener on the inference thread: progress per denoising step, a
 *       {@link FrameChunk} the moment each chunk is decoded, then exactly one {@code finished}.</li>
 *   <li>{@link GenerationJob#cancel()} returns at once; a running job stops within one denoising step and
 *       leaves the scene's caches as they were.</li>
 * </ul>
 *
 * The service keeps one {@link SceneSession}: the scene prefix of the latest job with its K/V caches, so
 * generating the next shot reuses them. Takes it produced are remembered with their latents (and cached
 * on disk, content-addressed), which is what lets later shots use them as context.
 */
public final class LocalGenerationService implements GenerationService {
    public static final String THREAD_NAME = "storydit-inference";
    private static final Logger LOG = LoggerFactory.getLogger(LocalGenerationService.class);

    /** Where the model folder comes from (bundled assets, or a folder given on the command line). */
    @FunctionalInterface
    public interface ModelLocation {
        Optional<Path> locate() throws IOException;
    }

    private final ServiceSettings settings;
    private final Thread worker;
    private final PriorityBlockingQueue<Job> queue = new PriorityBlockingQueue<>();
    private final List<Consumer<EngineStatus>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private volatile EngineStatus status = new EngineStatus(false, "", "", "Starting inference engine…");
    private volatile boolean closed;
    private volatile Job running;
    private volatile ModelVocabulary vocabulary;

    // owned by the worker thread
    private NDManager root;
    private StoryboardModel model;
    private volatile MiniLmTextEncoder encoder;
    private PromptEncodings prompts;
    private SceneSession session;
    private ShotConditioning conditioning;
    private TakeStore store;

    public LocalGenerationService(ModelLocation modelLocation) {
        this(modelLocation, ServiceSettings.defaults());
    }

    public LocalGenerationService(ModelLocation modelLocation, ServiceSettings settings) {
        this.settings = settings;
        this.worker = new Thread(() -> run(modelLocation), THREAD_NAME);
        worker.setDaemon(true);
        worker.start();
    }

    // ------------------------------------------------------------------------------------------------
    // start-up
    // ------------------------------------------------------------------------------------------------

    private void run(ModelLocation location) {
        if (initialise(location)) {
            loop();
        } else {
            failQueued("no model is ready: " + status.message());
        }
        shutdownOnWorker();
    }

    private boolean initialise(ModelLocation modelLocation) {
        TorchRuntime.Report engine;
        try {
            TorchRuntime.configure();
            engine = TorchRuntime.probe();
            if (settings.threads() > 0) {
                JniUtils.setNumThreads(settings.threads());
            }
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            LOG.error("PyTorch engine failed to start", e);
            publish(new EngineStatus(false, "", "", "Inference engine failed to start: " + e.getMessage()));
            return false;
        }
        String device = engine.device();
        String name = "";
        try {
            Optional<Path> dir = modelLocation.locate();
            if (dir.isEmpty()) {
                publish(new EngineStatus(false, device, "",
                        "No trained model is bundled yet: generation is unavailable (run `storyboard doctor`)."));
                return false;
            }
            publish(new EngineStatus(false, device, "", "Verifying and loading the model…"));
            root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager();
            model = StoryboardModel.load(dir.get(), root);
            name = model.manifest().name() + " (" + model.manifest().preset() + ")";
            if (!settingsFit(device, name)) {
                return false;
            }
            publish(new EngineStatus(false, device, name, "Loading the text encoder…"));
            encoder = MiniLmTextEncoder.load(model.config().dit().lTxt());
            prompts = new PromptEncodings(encoder::encodeTokens);
            session = new SceneSession(model, root, new SceneSession.Options(settings.contextMode(), settings.longContext(),
                    false, true, settings.chunkGuidance(), settings.seamBlending(), settings.noisePrior(),
                    settings.continuationStart()));
            StoryDiTConfig c = model.config().dit();
            conditioning = new ShotConditioning(c);
            vocabulary = model.vocabulary().orElse(null);
            store = new TakeStore(settings.cacheDir(), model.identity(), new long[] {c.latentChannels(), c.latentH(), c.latentW()});
            publish(new EngineStatus(true, device, name, String.format(Locale.ROOT,
                    "Model %s ready on %s: %d×%d px at %d fps, chunks of %d frames", name, device, c.imageSize(), c.imageSize(),
                    c.fps(), c.chunkFrames())));
            return true;
        } catch (ModelIntegrityException e) {
            publish(new EngineStatus(false, device, name, "Model files are damaged: " + e.getMessage()));
        } catch (IOException | RuntimeException e) {
            LOG.error("model failed to load", e);
            publish(new EngineStatus(false, device, name, "Model cannot be loaded: " + e.getMessage()));
        }
        return false;
    }

    /** Whether the settings suit the loaded model; if not, says why (a usage problem, not a broken model). */
    private boolean settingsFit(String device, String name) {
        try {
            settings.seamBlending().requireFits(model.config().dit().chunkFrames());
            return true;
        } catch (IllegalArgumentException e) {
            publish(new EngineStatus(false, device, name, "The settings do not fit the model: " + e.getMessage()));
            return false;
        }
    }

    private void publish(EngineStatus newStatus) {
        status = newStatus;
        LOG.info("engine status: {}", newStatus.message());
        listeners.forEach(l -> l.accept(newStatus));
    }

    @Override
    public EngineStatus status() {
        return status;
    }

    @Override
    public Optional<ModelVocabulary> vocabulary() {
        return status.ready() ? Optional.ofNullable(vocabulary) : Optional.empty();
    }

    @Override
    public void addStatusListener(Consumer<EngineStatus> listener) {
        listeners.add(listener);
        listener.accept(status);
    }

    // ------------------------------------------------------------------------------------------------
    // jobs
    // ------------------------------------------------------------------------------------------------

    private final class Job implements GenerationJob, Comparable<Job> {
        final String id;
        final GenerationRequest request;
        final GenerationListener listener;
        final long order;
        final int priority;                  // 0 = interactive extension, 1 = new take
        final CancellationToken token = new CancellationToken();
        final CompletableFuture<JobOutcome> outcome = new CompletableFuture<>();

        Job(GenerationRequest request, GenerationListener listener) {
            this.order = sequence.incrementAndGet();
            this.id = "job-" + order;
            this.request = request;
            this.listener = listener;
            this.priority = settings.extensionsFirst() && request.operation() == GenerationRequest.Operation.EXTEND_TAKE ? 0 : 1;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public void cancel() {
            token.cancel();
        }

        @Override
        public CompletionStage<JobOutcome> outcome() {
            return outcome;
        }

        @Override
        public int compareTo(Job o) {
            return priority != o.priority ? Integer.compare(priority, o.priority) : Long.compare(order, o.order);
        }

        void finish(JobOutcome o) {
            if (outcome.isDone()) {
                return;
            }
            try {
                listener.finished(o);
            } catch (RuntimeException e) {
                LOG.warn("listener of {} failed in finished()", id, e);
            }
            outcome.complete(o);
        }
    }

    @Override
    public GenerationJob submit(GenerationRequest request, GenerationListener listener) {
        EngineStatus now = status;
        if (!now.ready() || closed) {
            throw new IllegalStateException("no model is ready: " + now.message());
        }
        validate(request);
        Job job = new Job(request, listener);
        queue.add(job);
        return job;
    }

    /** Checks a request before queueing it; every problem is an IllegalArgumentException naming it. */
    void validate(GenerationRequest request) {
        Storyboard sb = request.storyboard();
        Shot shot = sb.shot(request.shotId()).orElseThrow();
        StoryDiTConfig c = model.config().dit();
        int max = settings.maxSecondsPerTake() * c.fps();
        if (shot.prompt().isBlank()) {
            throw new IllegalArgumentException("shot " + shot.id() + " has an empty prompt: describe what happens in it");
        }
        checkTokens("shot " + shot.id() + " prompt", conditioning.prompt(shot), c.lTxt());
        for (Shot s : sb.shots()) {
            try {
                conditioning.label(s);                    // every shot that may become context must map too
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("shot " + s.id() + ": " + e.getMessage(), e);
            }
        }
        if (!sb.scenePrompt().isBlank()) {
            checkTokens("scene prompt", sb.scenePrompt(), c.lTxt());
        }
        if (request.frames() <= 0) {
            throw new IllegalArgumentException("frames must be > 0, was " + request.frames());
        }
        int total = request.frames();
        if (request.operation() == GenerationRequest.Operation.EXTEND_TAKE) {
            Take take = shot.takes().stream().filter(t -> t.id().equals(request.sourceTakeId())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("shot " + shot.id() + " has no take " + request.sourceTakeId()));
            total += take.generatedFrames();
        }
        if (total > max) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "a take may have at most %d frames (%d s at %d fps); this request would make %d", max,
                    settings.maxSecondsPerTake(), c.fps(), total));
        }
        if (!Guidance.isValid(request.guidance())) {
            throw new IllegalArgumentException(Guidance.problem(request.guidance()));
        }
    }

    private void checkTokens(String what, String text, int lTxt) {
        if (settings.truncateLongPrompts()) {
            return;
        }
        int n = encoder.tokenCount(text);
        if (n > lTxt) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s is too long: %d tokens, the model reads at most %d ([CLS] and [SEP] included%s). Shorten it by "
                            + "about %d words.", what, n, lTxt,
                    conditioning.usesLabels() ? "" : "; camera and framing phrases count too", Math.max(1, (n - lTxt + 1) / 2 + 1)));
        }
    }

    @Override
    public void cancelAll() {
        for (Job j : queue.toArray(new Job[0])) {
            j.cancel();
        }
        Job r = running;
        if (r != null) {
            r.cancel();
        }
    }

    private void loop() {
        while (!closed) {
            Job job;
            try {
                job = queue.take();
            } catch (InterruptedException e) {
                break;
            }
            if (job.token.isCancelled()) {
                job.finish(new JobOutcome(job.id, JobOutcome.Status.CANCELLED, null, List.of(), "cancelled before it started"));
                continue;
            }
            running = job;
            try {
                job.finish(execute(job));
            } catch (CancelledException e) {
                job.finish(new JobOutcome(job.id, JobOutcome.Status.CANCELLED, null, List.of(), "cancelled"));
            } catch (RuntimeException | OutOfMemoryError e) {
                LOG.error("job {} failed", job.id, e);
                job.finish(new JobOutcome(job.id, JobOutcome.Status.FAILED, null, List.of(),
                        "generation failed: " + e.getMessage()));
            } finally {
                running = null;
            }
        }
        failQueued("the generation service was closed");
    }

    private void failQueued(String why) {
        Job j;
        while ((j = queue.poll()) != null) {
            j.finish(new JobOutcome(j.id, JobOutcome.Status.CANCELLED, null, List.of(), why));
        }
    }

    // ------------------------------------------------------------------------------------------------
    // running one job on the inference thread
    // ------------------------------------------------------------------------------------------------

    /** One context shot: where it sits in the storyboard and its stored latents. */
    private record ContextShot(Shot shot, Take take, TakeStore.Latents latents) {}

    /**
     * What one job works on, decided before any model work: the context (active takes of earlier shots that this
     * service has latents for, in order), the shots left out for lack of latents, the take being extended (null
     * for a new take), the cache key of the scene prefix and the later shots the result makes stale.
     */
    private record ScenePlan(Shot target, List<ContextShot> context, List<String> missing, Take source,
                             TakeStore.Latents sourceLatents, int steps, String sceneKey, List<String> stale) {
        /** The target's index in the session: right after its context. */
        int index() {
            return context.size();
        }

        boolean extension() {
            return source != null;
        }

        String note() {
            return missing.isEmpty() ? "" : " (left out of the context, no stored latents: " + String.join(", ", missing) + ")";
        }
    }

    /** 1. plan, 2. mirror the scene prefix into the session, 3. generate or extend (or replay the cache). */
    private JobOutcome execute(Job job) {
        ScenePlan plan = plan(job.request);
        mirror(job.request.storyboard(), plan);
        return plan.extension() ? extend(job, plan) : generate(job, plan);
    }

    private ScenePlan plan(GenerationRequest req) {
        Storyboard sb = req.storyboard();
        Shot target = sb.shot(req.shotId()).orElseThrow();
        int targetIndex = sb.shots().indexOf(target);
        List<ContextShot> context = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Shot s : sb.shots().subList(0, targetIndex)) {
            Optional<Take> active = s.activeTake();
            if (active.isEmpty()) {
                continue;
            }
            Optional<TakeStore.Latents> lat = latentsOf(active.get());
            if (lat.isPresent()) {
                context.add(new ContextShot(s, active.get(), lat.get()));
            } else {
                missing.add(s.id());
            }
        }
        Take source = null;
        TakeStore.Latents sourceLatents = null;
        if (req.operation() == GenerationRequest.Operation.EXTEND_TAKE) {
            source = target.takes().stream().filter(t -> t.id().equals(req.sourceTakeId())).findFirst().orElseThrow();
            Take src = source;
            sourceLatents = latentsOf(source).orElseThrow(() -> new IllegalStateException("take " + req.sourceTakeId()
                    + " of shot " + target.id() + (store.byTake(src.id()).isPresent()
                    ? " has " + src.generatedFrames() + " frames, more than this engine holds for it: regenerate it"
                    : " was not generated by this engine (no stored latents): regenerate it")));
        }
        int steps = req.steps() > 0 ? req.steps() : model.config().sampler().steps();
        List<String> stale = sb.shots().subList(targetIndex + 1, sb.shots().size()).stream()
                .filter(s -> s.activeTakeId() != null).map(Shot::id).toList();
        return new ScenePlan(target, context, missing, source, sourceLatents, steps, keyOf(sb.scenePrompt(), context), stale);
    }

    /**
     * The session mirrors the scene prefix; unchanged shots keep their caches. A model that draws one kind per scene
     * (and, painted, one colour) also gets the words of every shot of the storyboard, later ones included, to name it
     * from.
     */
    private void mirror(Storyboard sb, ScenePlan plan) {
        session.setGlobalCaption(sb.scenePrompt().isBlank() ? null : prompts.tokens(sb.scenePrompt()));
        if (session.drawsSceneKind()) {
            session.setSceneWords(sb.shots().stream().map(this::words).toList());
        }
        for (int i = 0; i < plan.context().size(); i++) {
            ContextShot cs = plan.context().get(i);
            session.putShot(i, shotContent(cs.shot(), cs.latents(), cs.latents().key()));
        }
    }

    private JobOutcome generate(Job job, ScenePlan plan) {
        GenerationRequest req = job.request;
        Shot target = plan.target();
        int index = plan.index();
        String key = hash("generate", model.identity(), sceneKey(plan), conditioning.key(target),
                Integer.toString(session.roundToChunks(req.frames())), Long.toString(req.seed()), Double.toString(req.guidance()),
                Integer.toString(plan.steps()), settingsKey());
        String takeId = newTakeId();
        String note = plan.note();
        Optional<TakeStore.Latents> cached = store.byKey(key);
        TakeStore.Latents result;
        if (cached.isPresent()) {
            result = cached.get();
            replay(job, target.id(), takeId, result, 0);
            session.truncate(index);
            session.putShot(index, shotContent(target, result, key));
            note = " (from the generation cache)" + note;
        } else {
            session.truncate(index + 1);
            SceneSession.Result r = session.generateShot(index, new SceneSession.ShotRequest(
                            prompts.tokens(conditioning.prompt(target)), req.frames(), req.seed(), req.guidance(),
                            req.steps(), conditioning.label(target)),
                    listener(job, target.id(), takeId, 0), job.token);
            result = new TakeStore.Latents(key, r.latents(), r.frames(), req.seed());
            session.setTag(index, tag(key, target));
        }
        store.put(takeId, result);
        Take take = new Take(takeId, req.seed(), result.frames(), "");
        return new JobOutcome(job.id, JobOutcome.Status.COMPLETED, take, plan.stale(),
                "generated " + result.frames() + " frames of shot " + target.id() + note);
    }

    /** The source take is the last shot of the session's scene prefix; only the new frames are computed. */
    private JobOutcome extend(Job job, ScenePlan plan) {
        GenerationRequest req = job.request;
        Shot target = plan.target();
        Take source = plan.source();
        TakeStore.Latents sourceLatents = plan.sourceLatents();
        int index = plan.index();
        String key = hash("extend", model.identity(), sceneKey(plan), sourceLatents.key(), conditioning.key(target),
                Integer.toString(session.roundToChunks(req.frames())), Long.toString(req.seed()), Double.toString(req.guidance()),
                Integer.toString(plan.steps()), settingsKey());
        String note = plan.note();
        session.putShot(index, shotContent(target, sourceLatents, sourceLatents.key()));
        session.truncate(index + 1);
        Optional<TakeStore.Latents> cached = store.byKey(key);
        TakeStore.Latents result;
        if (cached.isPresent()) {
            result = cached.get();
            replay(job, target.id(), source.id(), result, sourceLatents.frames());
            session.putShot(index, shotContent(target, result, key));
            note = " (from the generation cache)" + note;
        } else {
            SceneSession.ExtendRequest extension = new SceneSession.ExtendRequest(req.frames(), req.seed(), req.guidance(), req.steps());
            SceneSession.Result r = session.extendShot(index, extension, listener(job, target.id(), source.id(), 0), job.token);
            result = new TakeStore.Latents(key, r.latents(), r.frames(), sourceLatents.seed());
            session.setTag(index, tag(key, target));
        }
        store.put(source.id(), result);
        Take take = new Take(source.id(), source.seed(), result.frames(), source.mediaFile());
        return new JobOutcome(job.id, JobOutcome.Status.COMPLETED, take, plan.stale(),
                "extended take " + source.id() + " to " + result.frames() + " frames" + note);
    }

    /**
     * The latents of {@code take} as the request's storyboard describes it. The store holds a take's newest
     * latents; when the editor undid an extension the take has fewer frames than that, and the take is their
     * prefix (chunks are causal: earlier frames never depend on later ones), so an extension continues right
     * after the take's own frames and a later shot sees only them. Empty when the store holds fewer frames.
     */
    private Optional<TakeStore.Latents> latentsOf(Take take) {
        Optional<TakeStore.Latents> stored = store.byTake(take.id());
        if (stored.isEmpty() || stored.get().frames() == take.generatedFrames()) {
            return stored;
        }
        TakeStore.Latents l = stored.get();
        if (l.frames() < take.generatedFrames() || take.generatedFrames() <= 0) {
            return Optional.empty();
        }
        int perFrame = l.data().length / l.frames();
        return Optional.of(new TakeStore.Latents(hash("prefix", l.key(), Integer.toString(take.generatedFrames())),
                Arrays.copyOf(l.data(), perFrame * take.generatedFrames()), take.generatedFrames(), l.seed()));
    }

    /** Adapts session events to the domain's listener. */
    private ChunkListener listener(Job job, String shotId, String takeId, int frameOffset) {
        return new ChunkListener() {
            @Override
            public void progress(int chunk, int chunks, int step, int steps) {
                safe(job, () -> job.listener.progress(new JobProgress(job.id, shotId, chunk, chunks, step, steps)));
            }

            @Override
            public void chunk(int shot, int firstFrame, float[] latents, List<VideoFrame> frames) {
                safe(job, () -> job.listener.chunk(new FrameChunk(job.id, shotId, takeId, frameOffset + firstFrame, frames)));
            }
        };
    }

    /** Delivers cached latents as decoded chunks (no denoising). */
    private void replay(Job job, String shotId, String takeId, TakeStore.Latents latents, int fromFrame) {
        StoryDiTConfig c = model.config().dit();
        int cf = c.chunkFrames();
        int size = c.latentFrameSize();
        int chunks = (latents.frames() - fromFrame + cf - 1) / cf;
        ChunkListener l = listener(job, shotId, takeId, 0);
        int k = 0;
        for (int f = fromFrame; f < latents.frames(); f += cf, k++) {
            if (job.token.isCancelled()) {
                throw new CancelledException();
            }
            int n = Math.min(cf, latents.frames() - f);
            float[] z = Arrays.copyOfRange(latents.data(), f * size, (f + n) * size);
            try (NDManager scope = root.newSubManager()) {
                List<VideoFrame> frames = model.codec().decodeFrames(scope,
                        scope.create(z, new Shape(n, c.latentChannels(), c.latentH(), c.latentW())));
                l.progress(k, chunks, 1, 1);
                l.chunk(0, f, z, frames);
            }
        }
    }

    private static void safe(Job job, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("listener of {} failed", job.id, e);
        }
    }

    /** A shot's words as the model reads them (its caption tokens); none for a shot without a prompt. */
    private float[][] words(Shot shot) {
        return shot.prompt().isBlank() ? new float[0][] : prompts.tokens(conditioning.prompt(shot));
    }

    /**
     * The scene part of a generation-cache key, after {@link #mirror}: the scene prefix ({@link ScenePlan#sceneKey})
     * and, for a model that draws one kind per scene, the kind the session names from every shot's words, and for one
     * that paints it, the colour too — a take drawn with another kind or colour is another take, and editing words that
     * keep them keeps the hits. Other models' keys are what they were.
     */
    private String sceneKey(ScenePlan plan) {
        OptionalInt kind = session.sceneKind();
        if (kind.isEmpty()) {
            return plan.sceneKey();
        }
        BoxPlannerConfig planner = model.boxPlanner().orElseThrow().config();
        String key = plan.sceneKey() + "\u0000kind=" + planner.kinds().get(kind.getAsInt());
        OptionalInt colour = session.sceneColour();
        return colour.isEmpty() ? key : key + "\u0000colour=" + planner.colours().get(colour.getAsInt());
    }

    /** A finished shot as session context: its caption tokens and labels as the model reads them, and its tag. */
    private SceneSession.ShotContent shotContent(Shot shot, TakeStore.Latents latents, String latentsKey) {
        return new SceneSession.ShotContent(prompts.tokens(conditioning.prompt(shot)), latents.data(), latents.frames(),
                latents.seed(), tag(latentsKey, shot), conditioning.label(shot));
    }

    /** Session tag of a shot: its latents plus what it is conditioned on now (caption, and labels when the model reads them). */
    private String tag(String latentsKey, Shot shot) {
        return latentsKey + "|" + hash(conditioning.key(shot)).substring(0, 16);
    }

    private String settingsKey() {
        var s = model.config().sampler();
        return s.sampler() + "/" + s.shift() + "/" + s.tContext() + "/" + settings.contextMode() + "/" + settings.longContext()
                + "/" + settings.chunkGuidance() + settings.seamBlending().cacheKey() + noiseKey() + continuationKey();
    }

    /** The noise prior in the cache key when it is not independent frames (keys made before it existed stay valid). */
    private String noiseKey() {
        double a = session.noisePrior().correlation();
        return a > 0 ? "/noise" + a : "";
    }

    /** The continuation start in the cache key when it is on (keys made before it existed stay valid). */
    private String continuationKey() {
        ContinuationStart start = session.continuationStart();
        return start.enabled() ? "/cont" + start.t() : "";
    }

    private String keyOf(String scenePrompt, List<ContextShot> context) {
        StringBuilder sb = new StringBuilder(scenePrompt);
        for (ContextShot cs : context) {
            sb.append('\u0000').append(conditioning.key(cs.shot())).append('\u0001').append(cs.latents().key());
        }
        return hash("scene", sb.toString());
    }

    static String hash(String... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                d.update(p.getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String newTakeId() {
        return "take-" + Long.toString(System.currentTimeMillis(), 36) + "-" + sequence.incrementAndGet();
    }

    // ------------------------------------------------------------------------------------------------
    // shutdown
    // ------------------------------------------------------------------------------------------------

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        cancelAll();
        worker.interrupt();
        try {
            worker.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void shutdownOnWorker() {
        failQueued("the generation service was closed");
        if (session != null) {
            session.close();
        }
        if (encoder != null) {
            encoder.close();
        }
        if (model != null) {
            model.close();
        }
        if (root != null) {
            root.close();
        }
    }
}
