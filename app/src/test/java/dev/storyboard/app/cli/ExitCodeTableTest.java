package dev.storyboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.project.ProjectFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The README's exit-code table holds for every command that takes a project (issue 18, item 12). */
class ExitCodeTableTest {
    @TempDir Path dir;

    /** Runs a command with its output and stderr silenced; returns its exit code. */
    static int run(Object command, String... args) {
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(new StringWriter()));
        PrintStream realErr = System.err;
        try {
            System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            return cli.execute(args);
        } finally {
            System.setErr(realErr);
        }
    }

    /** {@code render} without an engine (takes only). */
    static RenderCommand render() {
        RenderCommand c = new RenderCommand();
        c.engine = Optional::empty;
        return c;
    }

    @Test
    void anEmptyProjectIs3ForEveryCommand() throws Exception {
        Path empty = dir.resolve("empty.storyboard");
        new ProjectFiles().write(Storyboard.empty("E", 8, 64, 64), empty);
        assertThat(run(render(), empty.toString(), "-o", dir.resolve("o.mp4").toString())).isEqualTo(ExitCodes.MISSING_INPUT);
        assertThat(run(render(), empty.toString(), "--png", "-o", dir.resolve("f").toString())).isEqualTo(ExitCodes.MISSING_INPUT);
        assertThat(run(new ExportTimelineCommand(), empty.toString(), "--format", "edl")).isEqualTo(ExitCodes.MISSING_INPUT);
    }

    @Test
    void anInvalidProjectIs1ForEveryCommand() throws Exception {
        Path broken = dir.resolve("broken.storyboard");
        Files.writeString(broken, "{ \"format\": \"storyboard-project/1\", \"storyboard\": 3 } trailing");
        assertThat(run(render(), broken.toString(), "-o", dir.resolve("o.mp4").toString())).isEqualTo(ExitCodes.FAILED);
        assertThat(run(new ExportTimelineCommand(), broken.toString(), "--format", "otio")).isEqualTo(ExitCodes.FAILED);
        assertThat(run(new EvalCommand(), "--generate", "--model", dir.resolve("none").toString(), "-o",
                dir.resolve("r").toString(), broken.toString())).isEqualTo(ExitCodes.FAILED);
    }

    @Test
    void aBadCommandLineOrARefusedOutputIs2() throws Exception {
        Path project = dir.resolve("p.storyboard");
        new ProjectFiles().write(Storyboard.empty("E", 8, 64, 64), project);
        assertThat(run(render(), project.toString(), "-o", dir.resolve("o.avi").toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(run(render(), project.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(run(render(), project.toString(), "--png", "-o", dir.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(run(new ExportTimelineCommand(), project.toString(), "--format", "otio", "-o", project.toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(run(new ExportTimelineCommand(), project.toString(), "--format", "aaf")).isEqualTo(ExitCodes.USAGE);
    }
}
