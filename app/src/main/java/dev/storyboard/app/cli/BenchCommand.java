package dev.storyboard.app.cli;

import dev.storyboard.inference.bench.StoryDiTBench;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code storyboard bench}: the engine benchmark of BENCHMARKS.md (speed and memory of StoryDiT on this machine),
 * written as JSON. Cost does not depend on the weights' values, so a random-init model measures the product.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure the engine's speed and memory on this machine (BENCHMARKS.md) and write them as JSON.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the results were written", "1:the benchmark failed, or the model is damaged",
                "3:no model in the --model folder (the message says how to make a random one)"})
public final class BenchCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR",
            description = "model folder to measure, e.g. inference/target/bench-model-S (see BENCHMARKS.md)")
    Path modelDir;

    @Option(names = "--chunk-check", paramLabel = "VIDEO",
            description = "instead of the engine: time the editor's live chunk check on this video (e.g. docs/media/sample-scene.mp4)")
    Path chunkCheckVideo;

    @Option(names = "--out", paramLabel = "FILE",
            description = "result JSON (default: bench/results/bench-<time>.json under the working folder)")
    Path outFile;

    @Option(names = "--steps-cost", paramLabel = "N", defaultValue = "6",
            description = "denoising steps per shot in the cost sections (default: ${DEFAULT-VALUE})")
    int costSteps;

    @Option(names = "--cycles", paramLabel = "N", defaultValue = "200",
            description = "generate/cancel cycles of the memory section (default: ${DEFAULT-VALUE})")
    int cycles;

    @Option(names = "--quick", description = "fewer shots, extensions and cycles: about 2 minutes instead of 10")
    boolean quick;

    @Option(names = "--chunk-guidance-only", description = "only the chunk-guidance cost section")
    boolean chunkGuidanceOnly;

    @Override
    public Integer call() throws Exception {
        Path out = outFile != null ? outFile
                : Path.of("bench", "results", "bench-" + Instant.now().toString().replace(':', '-').substring(0, 19) + ".json");
        if (chunkCheckVideo != null) {
            ChunkCheckBench.write(ChunkCheckBench.run(chunkCheckVideo, System.out), out);
            System.out.println("wrote " + out.toAbsolutePath().normalize());
            return ExitCodes.OK;
        }
        if (modelDir == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--model=DIR' (or --chunk-check VIDEO)");
        }
        try {
            StoryDiTBench.run(new StoryDiTBench.Options(modelDir, out, costSteps, cycles, quick, chunkGuidanceOnly), System.out);
            return ExitCodes.OK;
        } catch (StoryDiTBench.NoModelException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return ExitCodes.unusableModel(modelDir);
        } catch (IOException e) {
            // a damaged model (ModelIntegrityException names the file) or one that does not load
            spec.commandLine().getErr().println("storyboard bench: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
