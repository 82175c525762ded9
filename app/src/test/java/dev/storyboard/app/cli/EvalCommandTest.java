package dev.storyboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvalCommandTest {
    @TempDir Path dir;

    @Test
    void anUnknownContextModeIsAUsageErrorThatNamesTheChoicesBeforeAnyModelLoads() {
        assertThat(usageError("--context-mode", "sideways"))
                .contains("--context-mode must be chunk-causal or context-causal, not \"sideways\"");
    }

    @Test
    void anUnknownChunkGuidanceIsAUsageErrorThatNamesTheChoices() {
        assertThat(usageError("--chunk-guidance", "louder"))
                .contains("--chunk-guidance must be first-chunk or every-chunk, not \"louder\"");
    }

    @Test
    void aNegativeBlendOverlapIsAUsageErrorThatNamesTheOptionBeforeAnyModelLoads() {
        assertThat(usageError("--blend-overlap", "-1")).contains("--blend-overlap must be >= 0 latent frames, not -1");
    }

    @Test
    void aNoiseCorrelationOutsideZeroToOneIsAUsageErrorBeforeAnyModelLoads() {
        assertThat(usageError("--noise-correlation", "1")).contains("--noise-correlation must be in [0, 1), not 1.0");
        assertThat(usageError("--noise-correlation", "-0.5")).contains("not -0.5");
    }

    @Test
    void aContinuationStartOutsideZeroToOneIsAUsageErrorBeforeAnyModelLoads() {
        assertThat(usageError("--continuation-start", "0")).contains("--continuation-start must be in (0, 1], not 0.0");
        assertThat(usageError("--continuation-start", "1.5")).contains("not 1.5");
    }

    @Test
    void anUnknownBlendSplitIsAUsageErrorThatNamesTheChoices() {
        assertThat(usageError("--blend-split", "half")).contains("--blend-split must be random or full, not \"half\"");
    }

    /**
     * An INPUT whose path the system cannot use ({@code Path.of} throws InvalidPathException: a NUL character, or
     * under {@code LC_ALL=C} any non-ASCII name, "café.mp4") was a stack trace and exit 1. It is a usage error now:
     * one line that names the argument, with its control characters escaped, and nothing written.
     */
    @Test
    void anInputThatIsNoUsablePathIsAOneLineUsageErrorThatNamesItEscaped() {
        for (List<String> args : List.of(List.of("clip\0.mp4"), List.of("run=\u001b[2Jclip\0.mp4"),
                List.of("--generate", "scene\0.storyboard"), List.of(dir.resolve("a.mp4").toString(), "b=\0"))) {
            String[] argv = Stream.concat(Stream.of("-o", dir.resolve("out").toString()), args.stream())
                    .toArray(String[]::new);
            PrintStream realErr = System.err;
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit;
            try {
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                exit = new CommandLine(new EvalCommand()).execute(argv);
            } finally {
                System.setErr(realErr);
            }
            String message = err.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(message).isEqualTo(ExitCodes.USAGE);
            assertThat(message).as(String.join(" ", args)).startsWith("eval: INPUT \"").contains("\\u0000")
                    .contains("is not a usable path").doesNotContain("\u001b").doesNotContain("\0")
                    .doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(message.strip().lines()).hasSize(1);
            assertThat(dir.resolve("out")).doesNotExist();
        }
    }

    /** A path without a last name ("/") names its run itself: a usage error about the input, not a NullPointerException. */
    @Test
    void anInputWithoutAFileNameIsJudgedUnderItsWholePath() {
        PrintStream realErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new EvalCommand()).execute("-o", dir.resolve("out").toString(), "/");
        } finally {
            System.setErr(realErr);
        }
        String message = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(message).isEqualTo(ExitCodes.USAGE);
        assertThat(message).startsWith("eval: / ").doesNotContain("Exception");
    }

    /**
     * {@code eval --generate /} was a NullPointerException (a root has no file name, so neither a run name nor the
     * media folder that the report is kept out of). A root is never a project: a one-line usage error that names the
     * argument and says so, before any model loads, and nothing written.
     */
    @Test
    void aRootGivenAsAProjectIsAOneLineUsageErrorThatSaysARootIsNeverAProject() {
        for (String input : List.of("/", "run=/")) {
            PrintStream realErr = System.err;
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit;
            try {
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                exit = new CommandLine(new EvalCommand()).execute("--generate", "--model",
                        dir.resolve("no-model").toString(), "-o", dir.resolve("out").toString(), input);
            } finally {
                System.setErr(realErr);
            }
            String message = err.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(message).isEqualTo(ExitCodes.USAGE);
            assertThat(message).startsWith("eval: INPUT \"" + input + "\": / is not a project file")
                    .contains("no file name").doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(message.strip().lines()).hasSize(1);
            assertThat(dir.resolve("out")).doesNotExist();
        }
    }

    /** Runs `eval --generate FLAG VALUE` against no model; asserts a usage exit with nothing written; returns stderr. */
    private String usageError(String flag, String value) {
        PrintStream realErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new EvalCommand()).execute("--generate", flag, value,
                    "--model", dir.resolve("no-model").toString(), "-o", dir.resolve("out").toString(),
                    dir.resolve("missing.storyboard").toString());
        } finally {
            System.setErr(realErr);
        }
        assertThat(exit).isEqualTo(ExitCodes.USAGE);
        assertThat(dir.resolve("out")).doesNotExist();
        return err.toString(StandardCharsets.UTF_8);
    }
}
