package dev.storyboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * picocli's own usage errors quote the user's argument: an ESC sequence or a line break in it reached the terminal
 * as it was (a hostile value could recolour or clear the screen, or forge a line of output). Through the command
 * line {@link StoryboardCommand.commandLine()} builds, every command prints them escaped, still with exit code 2.
 */
class PrintableUsageErrorsTest {
    private static final String HOSTILE = "\u001b[31mred\u001b[2J\nforged line";

    private record Run(int exit, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = StoryboardCommand.commandLine();
        cli.setColorScheme(CommandLine.Help.defaultColorScheme(Ansi.OFF)); // the same output on a terminal or not
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, err.toString());
    }

    @Test
    void anInvalidOptionValueIsPrintedEscapedWithExitCode2() {
        for (List<String> args : List.of(List.of("eval", "--fps", HOSTILE, "clip.mp4"),
                List.of("eval", "-o", "out\0" + HOSTILE, "clip.mp4"),
                List.of("render", "scene.storyboard", "-o", "x.mp4", "--in", HOSTILE))) {
            Run r = run(args.toArray(String[]::new));
            assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USAGE);
            String first = r.err().lines().findFirst().orElseThrow();
            assertThat(first).as(r.err()).startsWith("Invalid value for option '")
                    .contains("\\e[31mred\\e[2J\\nforged line");
            assertEscaped(r.err());
            assertThat(r.err()).contains("Usage: storyboard " + args.get(0));
        }
    }

    @Test
    void anUnknownOptionIsPrintedEscapedWithExitCode2ForEveryCommand() {
        for (List<String> args : List.of(List.of("--bogus" + HOSTILE),
                List.of("render", "scene.storyboard", "-o", "x.mp4", "--outpu" + HOSTILE),
                List.of("eval", "--bogus" + HOSTILE, "clip.mp4"),
                List.of("export-timeline", "--format", "otio", "scene.storyboard", "--bogus" + HOSTILE))) {
            Run r = run(args.toArray(String[]::new));
            assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err().lines().findFirst().orElseThrow()).as(r.err())
                    .contains("Unknown option").contains("\\e[31mred\\e[2J\\nforged line");
            assertEscaped(r.err());
        }
    }

    private static void assertEscaped(String err) {
        assertThat(err).doesNotContain("\u001b").doesNotContain("\0");
        assertThat(err.lines()).as(err).noneMatch(line -> line.startsWith("forged line"));
    }
}
