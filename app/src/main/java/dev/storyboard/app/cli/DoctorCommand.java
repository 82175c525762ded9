package dev.storyboard.app.cli;

import dev.storyboard.app.doctor.Check;
import dev.storyboard.app.doctor.Doctor;
import dev.storyboard.app.render.LocalEngine;
import dev.storyboard.inference.service.LocalGenerationService.ModelLocation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code storyboard doctor}: prints what the app found and exits non-zero when something is missing. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check Java, JavaFX, the text encoder, the PyTorch engine, FFmpeg and the model.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:everything needed was found", "1:something is broken or missing (see the FAIL lines), the model "
                + "damaged included", "3:only the model failed, and there is none (nothing bundled, no manifest.json in --model)"})
public final class DoctorCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", description = "check this model folder instead of the bundled one")
    Path modelDir;

    @Override
    public Integer call() {
        ModelLocation location = LocalEngine.modelLocation(modelDir);
        List<Check> checks = new Doctor(location).run();
        PrintWriter out = spec.commandLine().getOut();
        for (Check c : checks) {
            out.printf("%-4s %-15s %s%n", c.outcome(), c.name(), c.detail());
        }
        long failed = checks.stream().filter(c -> !c.passed()).count();
        out.println(failed == 0 ? "All checks passed." : failed + " check(s) failed.");
        out.flush();
        if (failed == 0) {
            return ExitCodes.OK;
        }
        boolean onlyTheModel = checks.stream().filter(c -> !c.passed()).allMatch(c -> c.name().equals(Doctor.MODEL_CHECK));
        // the same code for a missing (3) or damaged (1) model as every other command gives
        return onlyTheModel ? ExitCodes.unusableModel(location) : ExitCodes.FAILED;
    }
}
