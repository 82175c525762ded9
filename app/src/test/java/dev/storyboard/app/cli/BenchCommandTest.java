package dev.storyboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The benchmark is a sub-command like any other: its options are picocli's, and a missing model exits 3. */
class BenchCommandTest {
    @TempDir Path dir;

    @Test
    void aFolderWithoutAModelIsMissingInputAndSaysHowToMakeOne() throws Exception {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new StoryboardCommand());
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        int code = cli.execute("bench", "--model", dir.toString(), "--out", dir.resolve("r.json").toString(), "--quick");
        assertThat(code).isEqualTo(ExitCodes.MISSING_INPUT);
        assertThat(err.toString()).contains("no model in").contains("make_bench_model.py");
        assertThat(Files.exists(dir.resolve("r.json"))).isFalse();
    }

    @Test
    void unknownOptionsAreAUsageError() {
        CommandLine cli = new CommandLine(new StoryboardCommand());
        cli.setErr(new PrintWriter(new StringWriter()));
        assertThat(cli.execute("bench", "--model", dir.toString(), "--fast")).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.execute("bench")).as("--model is required").isEqualTo(ExitCodes.USAGE);
    }
}
