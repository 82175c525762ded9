package dev.storyboard.app.cli;

import dev.storyboard.app.render.GeneratingSceneSource;
import dev.storyboard.app.render.LocalEngine;
import dev.storyboard.app.render.ModelUnusableException;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.generation.GenerationService;
import dev.storyboard.domain.project.IoMessages;
import dev.storyboard.domain.project.MediaPaths;
import dev.storyboard.domain.project.OutputGuard;
import dev.storyboard.domain.project.OutputRefusedException;
import dev.storyboard.domain.project.ProjectFileException;
import dev.storyboard.domain.project.ProjectLoader;
import dev.storyboard.domain.text.Printable;
import dev.storyboard.inference.service.ServiceSettings;
import dev.storyboard.inference.session.ChunkGuidance;
import dev.storyboard.inference.session.ContextMode;
import dev.storyboard.inference.session.ContinuationStart;
import dev.storyboard.inference.session.SeamBlending;
import dev.storyboard.inference.session.ShotNoisePrior;
import dev.storyboard.judge.JudgeException;
import dev.storyboard.judge.report.Evaluator;
import dev.storyboard.judge.report.FileSceneSource;
import dev.storyboard.judge.report.ReportWriter;
import dev.storyboard.judge.report.Reports;
import dev.storyboard.judge.report.SceneSource;
import dev.storyboard.judge.report.SegmentedSceneSource;
import dev.storyboard.judge.storyworld.StoryworldExport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code storyboard eval}: judges existing videos with the weight-free judge and writes a JSON and a Markdown
 * report. Each INPUT is one run (a model, a baseline); give several to compare them in one report. With
 * {@code --generate} the INPUTs are storyboards: the engine generates them (context-causal, and with
 * {@code --baseline independent} also every shot alone) and the judge scores both runs in one report.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {
            "Judge videos without any learned weights: SCuts (PySceneDetect's adaptive detector), motion-aware warp "
                    + "error, flicker, luma/saturation drift, seams, and for storyworld clips the actor, setting, "
                    + "action and camera against their labels.",
            "INPUT is a video file (MP4, AVI, ...), a folder of videos, a folder of frame images, or a storyworld "
                    + "export (clips.json) or clip folder (labels.json). Prefix LABEL= to name the run, e.g. "
                    + "model=out/model independent=out/independent."})
public final class EvalCommand implements Callable<Integer> {

    @Parameters(paramLabel = "INPUT", arity = "1..*", description = "what to judge, optionally LABEL=PATH")
    List<String> inputs;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "eval-report",
            description = "folder for report.json and report.md (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--storyworld", paramLabel = "MODE", defaultValue = "auto",
            description = "storyworld judge: auto (labelled inputs), on (every input), off (default: ${DEFAULT-VALUE})")
    String storyworld;

    @Option(names = "--fps", paramLabel = "FPS", defaultValue = "8",
            description = "frame rate of frame-image inputs (default: ${DEFAULT-VALUE})")
    double fps;

    @Option(names = "--chunk", paramLabel = "FRAMES", defaultValue = "0",
            description = "generation chunk length: seam scores at every multiple (default: none)")
    int chunk;

    @Option(names = "--max-frames", paramLabel = "N", defaultValue = "0",
            description = "decode at most N frames per video (default: all)")
    int maxFrames;

    @Option(names = "--ffmpeg", description = "also run FFmpeg's scene detection on every video as a cross-check")
    boolean ffmpeg;

    @Option(names = "--generate",
            description = "INPUTs are .storyboard projects: generate every shot with the engine, then judge the result")
    boolean generate;

    @Option(names = "--model", paramLabel = "DIR", description = "with --generate: model folder instead of the bundled one")
    Path modelDir;

    @Option(names = "--baseline", paramLabel = "independent",
            description = "with --generate: also judge every shot generated alone (no context), same prompts and seeds")
    String baseline;

    @Option(names = "--context-mode", paramLabel = "MODE", defaultValue = "chunk-causal",
            description = "with --generate: chunk-causal (the editor's default: every shot streamed chunk by chunk) "
                    + "or context-causal (every shot denoised as one segment, shown when done)")
    String contextMode;

    @Option(names = "--chunk-guidance", paramLabel = "MODE", defaultValue = "first-chunk",
            description = "with --generate: which chunks of a streamed shot guidance acts on: first-chunk (the "
                    + "editor's default; later chunks follow at guidance 1) or every-chunk (later chunks guided "
                    + "against the shot's chunks encoded without its caption; the ablation)")
    String chunkGuidance;

    @Option(names = "--blend-overlap", paramLabel = "FRAMES", defaultValue = "0",
            description = "with --generate: latent frames of overlap at every chunk seam inside a shot: each later "
                    + "chunk is sampled behind that many final frames, inpainted step by step (0 to chunk_frames - 1; "
                    + "default: ${DEFAULT-VALUE}, plain causal chunks)")
    int blendOverlap;

    @Option(names = "--blend-split", paramLabel = "MODE", defaultValue = "random",
            description = "with --blend-overlap: which overlap frames are inpainted at each step: random "
                    + "(StreamingT2V's randomized blending, a split drawn per step from the seed) or full (all of them, "
                    + "plain inpainting) (default: ${DEFAULT-VALUE})")
    String blendSplit;

    @Option(names = "--noise-correlation", paramLabel = "A",
            description = "with --generate: the shot noise prior a in [0, 1): every frame of a shot shares this part of "
                    + "its initial noise with the shot's other frames (default: the model's, config.json "
                    + "sampler.noise_correlation)")
    Double noiseCorrelation;

    @Option(names = "--continuation-start", paramLabel = "T",
            description = "with --generate: t0 in (0, 1]: every chunk after a shot's first starts at t0 from the shot's "
                    + "frame before it, noised (1 = from noise; default: the model's, config.json "
                    + "sampler.continuation_start)")
    Double continuationStart;

    @Option(names = "--labels", paramLabel = "DIR",
            description = "with --generate: storyworld export with the ground truth of the storyboards (clip folder "
                    + "named like each project): shots are judged against its labels, and the export itself is "
                    + "judged as run 'ground-truth'")
    Path labelsDir;

    @Option(names = "--segment", paramLabel = "FRAMES", defaultValue = "0",
            description = "judge every shot in consecutive segments of FRAMES frames (drift curves; default: whole shots)")
    int segment;

    /** Tests inject a full disk while the report is written. */
    ReportWriter.BeforePublish reportFault = temp -> { };

    @Option(names = "--split-cuts",
            description = "split video files into shots at the cuts SCuts finds (judge a multi-shot video as a scene)")
    boolean splitCuts;

    /** A kebab-case option value as its enum constant, or null after saying which values are allowed. */
    private static <E extends Enum<E>> E option(Class<E> type, String value, String flag) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            String allowed = Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .collect(Collectors.joining(" or "));
            System.err.println("eval: " + flag + " must be " + allowed + ", not \"" + Printable.of(value) + "\"");
            return null;
        }
    }

    /** Adds the engine-backed runs; returns an exit code when the inputs are unusable. */
    private Integer generatingSources(List<EvalInput> projects, List<SceneSource> sources) {
        if (baseline != null && !baseline.equals("independent")) {
            System.err.println("eval: --baseline must be 'independent', not \"" + Printable.of(baseline) + "\"");
            return ExitCodes.USAGE;
        }
        ContextMode mode = option(ContextMode.class, contextMode, "--context-mode");
        ChunkGuidance guidance = option(ChunkGuidance.class, chunkGuidance, "--chunk-guidance");
        SeamBlending.Split split = option(SeamBlending.Split.class, blendSplit, "--blend-split");
        if (mode == null || guidance == null || split == null) {
            return ExitCodes.USAGE;
        }
        if (blendOverlap < 0) {
            System.err.println("eval: --blend-overlap must be >= 0 latent frames, not " + blendOverlap);
            return ExitCodes.USAGE;
        }
        if (noiseCorrelation != null && !(noiseCorrelation >= 0 && noiseCorrelation < 1)) {
            System.err.println("eval: --noise-correlation must be in [0, 1), not " + noiseCorrelation);
            return ExitCodes.USAGE;
        }
        if (continuationStart != null && !(continuationStart > 0 && continuationStart <= 1)) {
            System.err.println("eval: --continuation-start must be in (0, 1], not " + continuationStart);
            return ExitCodes.USAGE;
        }
        Map<String, Storyboard> storyboards = new LinkedHashMap<>();
        for (EvalInput project : projects) {
            Path file = project.path();
            try {
                Storyboard storyboard = new ProjectLoader().load(file).storyboard();
                String id = file.getFileName().toString().replaceFirst("\\.storyboard$", "");
                if (storyboard.shots().isEmpty()) {
                    System.err.println("eval: " + Printable.of(file) + ": the project has no shots");
                    return ExitCodes.MISSING_INPUT;
                }
                storyboards.put(id, storyboard);
            } catch (ProjectFileException e) {
                System.err.println("eval: " + e.getMessage());
                return ExitCodes.FAILED;
            }
        }
        PrintWriter err = new PrintWriter(System.err, true);
        Optional<GenerationService> engine;
        ServiceSettings settings = ServiceSettings.defaults().withContextMode(mode)
                .withChunkGuidance(guidance).withSeamBlending(new SeamBlending(blendOverlap, split));
        if (noiseCorrelation != null) {
            settings = settings.withNoisePrior(new ShotNoisePrior(noiseCorrelation));
        }
        if (continuationStart != null) {
            settings = settings.withContinuationStart(new ContinuationStart(continuationStart));
        }
        try {
            engine = LocalEngine.start(modelDir, settings, err);
        } catch (ModelUnusableException e) {
            System.err.println("eval: " + e.getMessage() + " (see `storyboard doctor`)");
            return e.exitCode();
        }
        if (engine.isEmpty()) {
            return ExitCodes.MISSING_INPUT;
        }
        Consumer<String> log = line -> System.err.println("eval: " + line);
        Function<String, StoryworldExport.SceneLabels> labels = id -> null;
        if (labelsDir != null) {
            try {
                sources.add(new FileSceneSource("ground-truth", labelsDir, fps, chunk, maxFrames));
            } catch (JudgeException e) {
                System.err.println("eval: --labels: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            labels = id -> Files.isRegularFile(labelsDir.resolve(id).resolve("labels.json"))
                    ? StoryworldExport.readLabels(labelsDir.resolve(id)) : null;
        }
        sources.add(new GeneratingSceneSource("model", storyboards, () -> engine, GeneratingSceneSource.Context.SCENE,
                chunk, log, labels));
        if (baseline != null) {
            sources.add(new GeneratingSceneSource("independent", storyboards, () -> engine,
                    GeneratingSceneSource.Context.INDEPENDENT, chunk, log, labels));
        }
        return null;
    }

    @Override
    public Integer call() throws IOException {
        Evaluator.StoryworldMode mode;
        try {
            mode = Evaluator.StoryworldMode.valueOf(storyworld.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            System.err.println("eval: --storyworld must be auto, on or off, not \"" + Printable.of(storyworld) + "\"");
            return ExitCodes.USAGE;
        }
        if (!(fps > 0) || chunk < 0 || maxFrames < 0 || segment < 0 || segment == 1) {
            System.err.println("eval: --fps must be > 0, --chunk and --max-frames >= 0, --segment 0 or >= 2");
            return ExitCodes.USAGE;
        }
        if (labelsDir != null && !generate) {
            System.err.println("eval: --labels needs --generate (file inputs carry their own labels)");
            return ExitCodes.USAGE;
        }
        List<EvalInput> parsed = new ArrayList<>();
        try {
            for (String input : inputs) {
                parsed.add(generate ? EvalInput.parseProject(input) : EvalInput.parse(input));
            }
        } catch (IllegalArgumentException e) {
            System.err.println("eval: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        try {
            OutputGuard guard = OutputGuard.none();
            for (EvalInput input : generate ? parsed : List.<EvalInput>of()) { // the projects --generate reads
                guard = guard.protectingFile(input.path()).protectingFolder(MediaPaths.mediaDirFor(input.path()));
            }
            ReportWriter.checkOutput(out, guard);
        } catch (OutputRefusedException e) {
            System.err.println("eval: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (IOException e) {
            System.err.println("eval: cannot write the report to " + Printable.of(out) + ": " + IoMessages.describe(e));
            return ExitCodes.FAILED;
        }
        List<SceneSource> sources = new ArrayList<>();
        if (generate) {
            Integer failure = generatingSources(parsed, sources);
            if (failure != null) {
                return failure;
            }
        }
        try {
            for (EvalInput input : generate ? List.<EvalInput>of() : parsed) {
                sources.add(new FileSceneSource(input.label(), input.path(), fps, chunk, maxFrames, splitCuts));
            }
        } catch (JudgeException e) {
            System.err.println("eval: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (segment > 0) {
            sources.replaceAll(source -> new SegmentedSceneSource(source, segment));
        }
        Reports.EvalReport report = new Evaluator(new Evaluator.Options(mode, ffmpeg))
                .onProgress(line -> System.err.println("eval: " + line))
                .evaluate(sources);
        Path[] written;
        try {
            written = ReportWriter.write(report, out, reportFault);
        } catch (IOException e) {
            System.err.println("eval: cannot write the report to " + Printable.of(out) + ": " + IoMessages.describe(e));
            return ExitCodes.FAILED;
        }
        int failed = 0;
        for (Reports.RunReport run : report.runs()) {
            failed += run.failed();
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s: %d scenes, %d shots, %d failed",
                    run.label(), run.scenes(), run.shots(), run.failed()));
            Reports.Stats scuts = run.metrics().get("scuts");
            Reports.Stats mawe = run.metrics().get("mawe");
            line.append(String.format(Locale.ROOT, "; SCuts mean %.2f, MAWE median %.3g", scuts.mean(), mawe.median()));
            for (Map.Entry<String, Reports.Accuracy> a : run.accuracy().entrySet()) {
                line.append(String.format(Locale.ROOT, "; %s %.1f %%", a.getKey(), 100 * a.getValue().rate()));
            }
            System.out.println(line);
        }
        System.out.println("report: " + written[0] + " and " + written[1]);
        return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
