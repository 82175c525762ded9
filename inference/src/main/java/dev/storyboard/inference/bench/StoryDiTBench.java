package dev.storyboard.inference.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.generation.FrameChunk;
import dev.storyboard.domain.generation.GenerationListener;
import dev.storyboard.domain.generation.GenerationRequest;
import dev.storyboard.domain.generation.JobOutcome;
import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.inference.engine.TorchRuntime;
import dev.storyboard.inference.model.StoryboardModel;
import dev.storyboard.inference.service.LocalGenerationService;
import dev.storyboard.inference.service.ServiceSettings;
import dev.storyboard.inference.session.CancellationToken;
import dev.storyboard.inference.session.CancelledException;
import dev.storyboard.inference.session.ChunkGuidance;
import dev.storyboard.inference.session.ChunkListener;
import dev.storyboard.inference.session.ContextMode;
import dev.storyboard.inference.session.LongContextPolicy;
import dev.storyboard.inference.session.SceneSession;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The engine benchmark (not a unit test): MFU, time to first chunk, frames/s, shot-k cost with and
 * without the KV cache, extension cost per chunk at 1×/4×/10× the trained length, and memory over
 * repeated generate/cancel cycles. Writes one JSON file (keys documented in BENCHMARKS.md).
 *
 * <pre>
 *   ./mvnw -o -q -pl inference exec:exec@bench                      (defaults below)
 *   java -cp ... dev.storyboard.inference.bench.StoryDiTBench --model DIR --out FILE [--steps-cost N]
 *        [--cycles N] [--quick] [--chunk-guidance-only]
 * </pre>
 *
 * The model is an exported folder (random weights are fine: cost does not depend on them); see
 * {@code inference/bench/make_bench_model.py}.
 */
public final class StoryDiTBench {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final StoryboardModel model;
    private final ForwardMeter meter;
    private final NDManager root;
    private final int costSteps;
    private final ObjectNode out = JSON.createObjectNode();

    private StoryDiTBench(StoryboardModel model, NDManager root, int costSteps) {
        this.model = model;
        this.meter = ForwardMeter.attach(model.dit());
        this.root = root;
        this.costSteps = costSteps;
    }

    /**
     * What to measure ({@code storyboard bench}, app's {@code BenchCommand}, parses these).
     *
     * @param costSteps         denoising steps per shot in the cost sections
     * @param cycles            generate/cancel cycles of the memory section
     * @param quick             fewer shots, extensions and cycles (about 2 minutes instead of 10)
     * @param chunkGuidanceOnly only the chunk-guidance cost section
     */
    public record Options(Path modelDir, Path outFile, int costSteps, int cycles, boolean quick, boolean chunkGuidanceOnly) {
    }

    /** Why a benchmark cannot start (no model in the folder); the message says how to make one. */
    public static final class NoModelException extends Exception {
        NoModelException(String message) {
            super(message);
        }
    }

    /** Runs the benchmark and writes its JSON to {@code options.outFile()}; progress and the result go to out. */
    public static void run(Options options, PrintStream out) throws Exception {
        Path modelDir = options.modelDir();
        Path outFile = options.outFile();
        int costSteps = options.costSteps();
        int cycles = options.cycles();
        boolean quick = options.quick();
        boolean guidanceOnly = options.chunkGuidanceOnly();
        if (!Files.isRegularFile(modelDir.resolve("manifest.json"))) {
            throw new NoModelException("no model in " + modelDir.toAbsolutePath() + ". Make a random S model with:\n"
                    + "  cd training && PYTHONPATH=. /usr/bin/python3 ../inference/bench/make_bench_model.py ../inference/target/bench-model-S S");
        }
        TorchRuntime.configure();
        TorchRuntime.Report engine = TorchRuntime.probe();
        JniUtils.setGradMode(false);
        try (NDManager root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager();
             StoryboardModel model = StoryboardModel.load(modelDir, root)) {
            StoryDiTBench b = new StoryDiTBench(model, root, costSteps);
            b.machine(engine, modelDir);
            double mm = b.matmul("matmul_start");
            if (!guidanceOnly) {
                b.defaultPreset(mm);
                b.shotCost(quick ? 4 : 8);
                b.extensionCost(quick ? 4 : 10);
            }
            b.chunkGuidanceCost();
            if (!guidanceOnly) {
                b.service(modelDir);
                b.memory(quick ? 20 : cycles);
            }
            double mm2 = b.matmul("matmul_end");
            double best = Math.max(mm, mm2);
            b.out.put("matmul_gflops", best);
            for (String mode : guidanceOnly ? new String[0] : new String[] {"chunk_causal", "context_causal"}) {
                ObjectNode m = (ObjectNode) b.out.path("default_preset").path(mode);
                m.put("mfu_vs_best_matmul", round(m.path("denoiser_gflops").asDouble() / best));
            }
            b.out.put("loadavg_end", loadavg());
            Files.createDirectories(outFile.toAbsolutePath().getParent());
            JSON.writeValue(outFile.toFile(), b.out);
            out.println("wrote " + outFile.toAbsolutePath().normalize());
            out.println(JSON.writeValueAsString(b.out));
        }
    }

    // ------------------------------------------------------------------------------------------------

    private void machine(TorchRuntime.Report engine, Path modelDir) throws IOException {
        ObjectNode m = out.putObject("machine");
        m.put("cpu", cpuModel());
        m.put("logical_cpus", Runtime.getRuntime().availableProcessors());
        m.put("mem_total_kb", procValue("/proc/meminfo", "MemTotal"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("engine", engine.engineName() + " " + engine.engineVersion() + " on " + engine.device());
        m.put("intra_op_threads", JniUtils.getNumThreads());
        m.put("omp_wait_policy", String.valueOf(System.getenv("OMP_WAIT_POLICY")) + " (process env; engine set PASSIVE unless given)");
        out.put("timestamp", Instant.now().toString());
        out.put("loadavg_start", loadavg());
        ObjectNode md = out.putObject("model");
        md.put("dir", modelDir.toString());
        md.put("name", model.manifest().name());
        md.put("preset", model.manifest().preset());
        var c = model.config().dit();
        md.put("d_model", c.dModel());
        md.put("layers", c.nLayers());
        md.put("heads", c.nHeads());
        md.put("tokens_per_frame", c.tokensPerFrame());
        md.put("l_txt", c.lTxt());
        md.put("chunk_frames", c.chunkFrames());
        md.put("fps", c.fps());
        md.put("image_size", c.imageSize());
        md.put("sampler", model.config().sampler().sampler() + " " + model.config().sampler().steps() + " steps, CFG "
                + model.config().sampler().guidance());
    }

    /** fp32 1024² matmul GFLOP/s through DJL in this process (best of 5 timed runs of 4). */
    private double matmul(String key) {
        int n = 1024;
        double best = 0;
        try (NDManager m = root.newSubManager()) {
            NDArray a = m.randomNormal(new Shape(n, n));
            NDArray b = m.randomNormal(new Shape(n, n));
            for (int i = 0; i < 3; i++) {
                a.matMul(b).close();
            }
            for (int r = 0; r < 5; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < 4; i++) {
                    a.matMul(b).close();
                }
                double s = (System.nanoTime() - t0) / 1e9;
                best = Math.max(best, 4 * 2.0 * n * n * n / s / 1e9);
            }
        }
        out.put(key + "_gflops", round(best));
        log("%s: %.1f GFLOP/s", key, best);
        return best;
    }

    private static float[][] caption(int seed) {
        Random r = new Random(seed);
        float[][] rows = new float[12][384];
        for (float[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) (r.nextGaussian() * 0.3);
            }
        }
        return rows;
    }

    private SceneSession session(ContextMode mode, LongContextPolicy policy, boolean recompute, boolean decode) {
        SceneSession s = new SceneSession(model, root, new SceneSession.Options(mode, policy, recompute, decode));
        s.setGlobalCaption(caption(1000));
        return s;
    }

    /** Timestamps of chunk deliveries. */
    private static final class Timer implements ChunkListener {
        final long start = System.nanoTime();
        final List<Long> chunks = new ArrayList<>();

        @Override
        public void chunk(int shot, int firstFrame, float[] latents, List<VideoFrame> frames) {
            chunks.add(System.nanoTime());
        }

        double firstChunkSeconds() {
            return (chunks.get(0) - start) / 1e9;
        }

        double seconds() {
            return (System.nanoTime() - start) / 1e9;
        }
    }

    /** Default preset: a 4 s shot after a 1 s context shot, default sampler (steps, CFG), decoding on. */
    private void defaultPreset(double matmulGflops) {
        var c = model.config();
        int frames = 4 * c.dit().fps();
        ObjectNode d = out.putObject("default_preset");
        d.put("shot_frames", frames);
        d.put("context", "global caption + 1 shot of " + c.dit().fps() + " frames (cached)");
        d.put("steps", c.sampler().steps());
        for (ContextMode mode : ContextMode.values()) {
            try (SceneSession s = session(mode, LongContextPolicy.defaults(), false, true)) {
                s.generateShot(0, new SceneSession.ShotRequest(caption(1), c.dit().fps(), 1, 3.0, 2), ChunkListener.NONE,
                        CancellationToken.none());
                // warm-up run of the same shape, then the measured one
                s.generateShot(1, new SceneSession.ShotRequest(caption(2), c.dit().chunkFrames(), 2, 3.0, 2), ChunkListener.NONE,
                        CancellationToken.none());
                Timer t = null;
                ForwardMeter.Counters work = null;
                double total = Double.MAX_VALUE;
                for (int run = 0; run < 2; run++) {                    // best of two (the machine is shared)
                    ForwardMeter.Counters before = meter.snapshot();
                    Timer timer = new Timer();
                    s.generateShot(1, new SceneSession.ShotRequest(caption(2), frames, 3 + run, c.sampler().guidance(), 0), timer,
                            CancellationToken.none());
                    double sec = timer.seconds();
                    if (sec < total) {
                        total = sec;
                        t = timer;
                        work = meter.snapshot().minus(before);
                    }
                }
                ObjectNode m = d.putObject(mode.name().toLowerCase(Locale.ROOT));
                m.put("time_to_first_chunk_s", round(t.firstChunkSeconds()));
                m.put("total_s", round(total));
                m.put("frames_per_s", round(frames / total));
                m.put("realtime_factor", round(frames / total / c.dit().fps()));
                m.put("denoiser_forwards", work.forwards());
                m.put("denoiser_gflop", round(work.flops() / 1e9));
                m.put("denoiser_s", round(work.nanos() / 1e9));
                m.put("denoiser_share_of_total", round(work.nanos() / 1e9 / total));
                m.put("denoiser_gflops", round(work.flopsPerSecond() / 1e9));
                m.put("mfu", round(work.flopsPerSecond() / 1e9 / matmulGflops));          // vs matmul_start
                log("default preset %s: first chunk %.2f s, %.2f frames/s (%.2f× real time), denoiser %.1f GFLOP/s = MFU %.0f%%",
                        mode, t.firstChunkSeconds(), frames / total, frames / total / c.dit().fps(), work.flopsPerSecond() / 1e9,
                        100 * work.flopsPerSecond() / 1e9 / matmulGflops);
            }
        }
    }

    /**
     * What each {@link ChunkGuidance} costs: the default preset's streamed 4 s shot under FIRST_CHUNK (the
     * default: later chunks run one row) and EVERY_CHUNK (CFG's two rows on every chunk plus the null-caption
     * stream), measured in 5 adjacent pairs (median pair ratio, so background-load drifts cancel; best times
     * too), with the denoiser forwards and FLOPs of each.
     */
    private void chunkGuidanceCost() {
        var c = model.config();
        int frames = 4 * c.dit().fps();
        ObjectNode g = out.putObject("chunk_guidance");
        g.put("shot_frames", frames);
        g.put("steps", c.sampler().steps());
        SceneSession.Options base = new SceneSession.Options(ContextMode.CHUNK_CAUSAL, LongContextPolicy.defaults(), false, true);
        List<ChunkGuidance> policies = List.of(ChunkGuidance.FIRST_CHUNK, ChunkGuidance.EVERY_CHUNK);
        List<SceneSession> sessions = new ArrayList<>();
        try {
            for (ChunkGuidance policy : policies) {
                SceneSession s = new SceneSession(model, root, base.withChunkGuidance(policy));
                sessions.add(s);
                s.setGlobalCaption(caption(1000));
                s.generateShot(0, new SceneSession.ShotRequest(caption(1), c.dit().fps(), 1, 3.0, 2), ChunkListener.NONE,
                        CancellationToken.none());
                s.generateShot(1, new SceneSession.ShotRequest(caption(2), 2 * c.dit().chunkFrames(), 2, 3.0, 2),
                        ChunkListener.NONE, CancellationToken.none());                        // warm-up
            }
            double[] ratios = new double[5];
            double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
            ForwardMeter.Counters[] work = new ForwardMeter.Counters[2];
            for (int pair = 0; pair < ratios.length; pair++) {
                double[] sec = new double[2];
                for (int i = 0; i < 2; i++) {
                    ForwardMeter.Counters before = meter.snapshot();
                    Timer timer = new Timer();
                    sessions.get(i).generateShot(1, new SceneSession.ShotRequest(caption(2), frames, 3 + pair,
                            c.sampler().guidance(), 0), timer, CancellationToken.none());
                    sec[i] = timer.seconds();
                    work[i] = meter.snapshot().minus(before);
                    best[i] = Math.min(best[i], sec[i]);
                }
                ratios[pair] = sec[0] / sec[1];
            }
            double[] sorted = ratios.clone();
            Arrays.sort(sorted);
            double median = sorted[sorted.length / 2];
            for (int i = 0; i < 2; i++) {
                ObjectNode m = g.putObject(policies.get(i).name().toLowerCase(Locale.ROOT));
                m.put("best_s", round(best[i]));
                m.put("frames_per_s", round(frames / best[i]));
                m.put("realtime_factor", round(frames / best[i] / c.dit().fps()));
                m.put("denoiser_forwards", work[i].forwards());
                m.put("denoiser_gflop", round(work[i].flops() / 1e9));
            }
            ArrayNode pairs = g.putArray("pair_ratios");
            for (double r : ratios) {
                pairs.add(round(r));
            }
            g.put("first_chunk_over_every_chunk_median", round(median));
            log("chunk guidance: first chunk %.2f s (%.1f GFLOP), every chunk %.2f s (%.1f GFLOP), best of %d; median pair ratio %.3f",
                    best[0], work[0].flops() / 1e9, best[1], work[1].flops() / 1e9, ratios.length, median);
        } finally {
            sessions.forEach(SceneSession::close);
        }
    }

    /**
     * Cost of generating shot k (k = 1..K, shots of the trained length) as a ratio to shot 1. The machine
     * is shared, so every measurement of shot k is paired with a measurement of shot 1 right after it (in
     * a second session that holds no earlier shots) and the ratio uses the best of 3 pairs: slow drifts
     * of the background load cancel out.
     */
    private void shotCost(int shotsN) {
        int frames = 8;
        ObjectNode sc = out.putObject("shot_cost");
        sc.put("shot_frames", frames);
        sc.put("steps", costSteps);
        sc.put("note", "seconds to generate shot k (k-1 earlier shots of shot_frames as context + global caption, chunk-causal "
                + "streaming, CFG, decoding on); 3 runs, each paired with a shot-1 run right after it; ratio = min seconds(k) / "
                + "min seconds(shot 1) over those pairs");
        record Variant(String name, LongContextPolicy policy, boolean recompute) {}
        for (Variant v : List.of(new Variant("cache_long_context_policy", LongContextPolicy.defaults(), false),
                new Variant("cache_policy_1_dense_shot", new LongContextPolicy(true, 1, 1, 2, 1), false),
                new Variant("cache_exact", LongContextPolicy.exact(), false),
                new Variant("full_recompute", LongContextPolicy.exact(), true))) {
            ObjectNode node = sc.putObject(v.name());
            ArrayNode secs = node.putArray("seconds");
            ArrayNode ratio = node.putArray("ratio_to_shot_1");
            ArrayNode ctx = node.putArray("context_tokens");
            try (SceneSession s = session(ContextMode.CHUNK_CAUSAL, v.policy(), v.recompute(), true);
                 SceneSession base = session(ContextMode.CHUNK_CAUSAL, v.policy(), v.recompute(), true)) {
                base.generateShot(0, new SceneSession.ShotRequest(caption(1), frames, 1, 3.0, 2), ChunkListener.NONE,
                        CancellationToken.none());                                    // warm-up
                for (int k = 0; k < shotsN; k++) {
                    double best = Double.MAX_VALUE;
                    double bestBase = Double.MAX_VALUE;
                    for (int rep = 0; rep < 3; rep++) {
                        long t0 = System.nanoTime();
                        s.generateShot(k, new SceneSession.ShotRequest(caption(10 + k), frames, 10 + k, 3.0, costSteps),
                                ChunkListener.NONE, CancellationToken.none());
                        double sec = (System.nanoTime() - t0) / 1e9;
                        long t1 = System.nanoTime();
                        base.generateShot(0, new SceneSession.ShotRequest(caption(10), frames, 10, 3.0, costSteps),
                                ChunkListener.NONE, CancellationToken.none());
                        double baseSec = (System.nanoTime() - t1) / 1e9;
                        best = Math.min(best, sec);                  // load only ever slows a run down:
                        bestBase = Math.min(bestBase, baseSec);      // the minimum is the least disturbed one
                    }
                    secs.add(round(best));
                    ratio.add(round(best / bestBase));
                    ctx.add(s.lastContextTokens());
                }
            }
            log("shot cost %s: %s", v.name(), ratio);
        }
    }

    /**
     * Per-chunk cost of extending a shot when it is 1×, 4×, 10× the trained length (8 frames). The long
     * shot grows chunk by chunk (one extendShot call per chunk, like a drag); at each measured length its
     * chunk is paired with a 1× chunk measured right after it in a second session (a fresh 8-frame shot
     * extended by one chunk), best of the 3 chunks starting there.
     */
    private void extensionCost(int maxFactor) {
        int trained = 8;
        int cf = model.config().dit().chunkFrames();
        ObjectNode ec = out.putObject("extension_cost");
        ec.put("trained_frames", trained);
        ec.put("steps", costSteps);
        ec.put("note", "seconds of one extendShot call of one chunk (denoise + decode + cache it) when the shot already has "
                + "factor x trained_frames frames; each paired with a 1x chunk measured right after it (fresh 8-frame shot); "
                + "ratio = min over the 3 chunks starting at that length / min over their paired 1x chunks; context: global "
                + "caption + 1 earlier shot");
        for (var v : List.of(new Object[] {"cache_long_context_policy", LongContextPolicy.defaults()},
                new Object[] {"cache_exact", LongContextPolicy.exact()})) {
            ObjectNode node = ec.putObject((String) v[0]);
            LongContextPolicy policy = (LongContextPolicy) v[1];
            try (SceneSession s = session(ContextMode.CHUNK_CAUSAL, policy, false, true);
                 SceneSession base = session(ContextMode.CHUNK_CAUSAL, policy, false, true)) {
                for (SceneSession x : List.of(s, base)) {
                    x.generateShot(0, new SceneSession.ShotRequest(caption(1), trained, 1, 3.0, 2), ChunkListener.NONE,
                            CancellationToken.none());
                    x.generateShot(1, new SceneSession.ShotRequest(caption(2), trained, 2, 3.0, 2), ChunkListener.NONE,
                            CancellationToken.none());
                }
                ArrayNode all = node.putArray("seconds_by_length");
                double[] bestBase = new double[11];
                double[] bestSec = new double[11];
                Arrays.fill(bestBase, Double.MAX_VALUE);
                Arrays.fill(bestSec, Double.MAX_VALUE);
                SceneSession.ExtendRequest extension = new SceneSession.ExtendRequest(cf, 7, 3.0, costSteps);
                while (s.frames(1) < maxFactor * trained + 3 * cf) {
                    int len = s.frames(1);
                    long t0 = System.nanoTime();
                    s.extendShot(1, extension, ChunkListener.NONE, CancellationToken.none());
                    double sec = (System.nanoTime() - t0) / 1e9;
                    all.addArray().add(len).add(round(sec)).add(s.lastContextTokens());
                    for (int factor : new int[] {1, 4, 10}) {
                        if (len >= factor * trained && len < factor * trained + 3 * cf) {
                            base.generateShot(1, new SceneSession.ShotRequest(caption(2), trained, 2, 3.0, 2), ChunkListener.NONE,
                                    CancellationToken.none());
                            long t1 = System.nanoTime();
                            base.extendShot(1, extension, ChunkListener.NONE, CancellationToken.none());
                            double baseSec = (System.nanoTime() - t1) / 1e9;
                            bestSec[factor] = Math.min(bestSec[factor], sec);
                            bestBase[factor] = Math.min(bestBase[factor], baseSec);
                        }
                    }
                }
                for (int factor : new int[] {1, 4, 10}) {
                    if (factor > maxFactor) {
                        continue;
                    }
                    ObjectNode f = node.putObject(factor + "x");
                    f.put("shot_frames_before", factor * trained);
                    f.put("seconds_per_chunk", round(bestSec[factor]));
                    f.put("seconds_per_1x_chunk_paired", round(bestBase[factor]));
                    f.put("ratio_to_1x", round(bestSec[factor] / bestBase[factor]));
                }
            }
            log("extension %s: 1x %.3f, 4x %.3f, 10x %.3f", v[0], node.path("1x").path("ratio_to_1x").asDouble(),
                    node.path("4x").path("ratio_to_1x").asDouble(), node.path("10x").path("ratio_to_1x").asDouble());
        }
    }

    /** Through the service (text encoding included): time from submit to the first FrameChunk. */
    private void service(Path modelDir) throws Exception {
        Path cache = Files.createTempDirectory("bench-cache");
        ObjectNode sv = out.putObject("service");
        try (LocalGenerationService service = new LocalGenerationService(() -> Optional.of(modelDir),
                ServiceSettings.defaults().withCacheDir(cache))) {
            long t0 = System.nanoTime();
            while (!service.status().ready()) {
                if (System.nanoTime() - t0 > 120e9) {
                    throw new IllegalStateException("service not ready: " + service.status().message());
                }
                Thread.sleep(20);
            }
            sv.put("startup_to_ready_s", round((System.nanoTime() - t0) / 1e9));
            Shot s1 = Shot.planned("s1", "a red ball bounces on the beach", 32, CameraMove.PAN_LEFT, ShotSize.WIDE, 5);
            Storyboard sb = new Storyboard("bench", "a sunny beach with palm trees", 8, 64, 64, List.of(s1));
            for (int run = 0; run < 2; run++) {                 // the first run warms up; report the second
                CompletableFuture<Double> firstChunk = new CompletableFuture<>();
                CompletableFuture<JobOutcome> done = new CompletableFuture<>();
                long start = System.nanoTime();
                service.submit(new GenerationRequest(GenerationRequest.Operation.GENERATE_TAKE, sb, "s1", null, 32, 100 + run,
                        3.0, 0), new GenerationListener() {
                            @Override
                            public void chunk(FrameChunk chunk) {
                                firstChunk.complete((System.nanoTime() - start) / 1e9);
                            }

                            @Override
                            public void finished(JobOutcome outcome) {
                                done.complete(outcome);
                            }
                        });
                JobOutcome o = done.get(600, TimeUnit.SECONDS);
                double total = (System.nanoTime() - start) / 1e9;
                if (run == 1) {
                    sv.put("time_to_first_chunk_s", round(firstChunk.get()));
                    sv.put("total_s", round(total));
                    sv.put("frames", o.take().generatedFrames());
                    sv.put("frames_per_s", round(o.take().generatedFrames() / total));
                    log("service: first chunk %.2f s, %d frames in %.2f s", firstChunk.get(), o.take().generatedFrames(), total);
                }
            }
        }
    }

    /** Peak RSS and live arrays over repeated generate / cancel cycles. */
    private void memory(int cycles) {
        ObjectNode mem = out.putObject("memory");
        mem.put("cycles", cycles);
        mem.put("note", "each cycle starts generating an 8-frame shot after a cached context shot and cancels it after 1..6 "
                + "steps (every 5th cycle runs to completion and regenerates the shot); rss from /proc/self/status");
        ArrayNode samples = mem.putArray("samples");
        try (SceneSession s = session(ContextMode.CHUNK_CAUSAL, LongContextPolicy.defaults(), false, true)) {
            s.generateShot(0, new SceneSession.ShotRequest(caption(1), 8, 1, 3.0, 2), ChunkListener.NONE, CancellationToken.none());
            for (int cycle = 0; cycle <= cycles; cycle++) {
                if (cycle % Math.max(1, cycles / 10) == 0) {
                    ObjectNode p = samples.addObject();
                    Runtime rt = Runtime.getRuntime();
                    p.put("cycle", cycle);
                    p.put("rss_kb", procValue("/proc/self/status", "VmRSS"));
                    p.put("heap_used_kb", (rt.totalMemory() - rt.freeMemory()) / 1024);
                    p.put("live_ndarrays", root.getManagedArrays().size());
                    p.put("session_cache_kb", s.cachedBytes() / 1024);
                }
                if (cycle == cycles) {
                    break;
                }
                CancellationToken token = new CancellationToken();
                int stopAfter = 1 + cycle % 6;
                boolean complete = cycle % 5 == 4;
                ChunkListener l = new ChunkListener() {
                    int steps;

                    @Override
                    public void progress(int chunk, int chunks, int step, int total) {
                        if (!complete && ++steps == stopAfter) {
                            token.cancel();
                        }
                    }
                };
                try {
                    s.generateShot(1, new SceneSession.ShotRequest(caption(2 + cycle), 8, cycle, 3.0, 6), l, token);
                } catch (CancelledException expected) {
                    // the point of the exercise
                }
            }
        }
        mem.put("peak_rss_kb", procValue("/proc/self/status", "VmHWM"));
        log("memory: %s", mem);
    }

    // ------------------------------------------------------------------------------------------------

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static long procValue(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // not Linux
        }
        return -1;
    }

    private static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    private static void log(String fmt, Object... args) {
        System.out.println(String.format(Locale.ROOT, fmt, args));
        System.out.flush();
    }
}
