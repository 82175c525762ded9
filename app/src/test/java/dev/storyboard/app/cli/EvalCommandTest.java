package dev.storyboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
