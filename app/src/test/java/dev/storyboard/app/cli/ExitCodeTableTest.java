package dev.storyboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.project.ProjectFiles;
import dev.storyboard.inference.model.ModelVerifier;
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

/** The README's exit-code table holds for every command that takes a project or a model (issue 18, item 12). */
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
        // eval says so before it starts the engine: the same 3 with a damaged model, or none
        for (Path model : new Path[] {damagedModel(), dir.resolve("no-model")}) {
            assertThat(run(new EvalCommand(), "--generate", "--model", model.toString(), "-o", dir.resolve("r").toString(),
                    empty.toString())).isEqualTo(ExitCodes.MISSING_INPUT);
        }
        assertThat(dir.resolve("o.mp4")).doesNotExist();
        assertThat(dir.resolve("r")).doesNotExist();
    }

    /**
     * A damaged model (a checksum fails) is 1 from every command that loads it, the same code as any other file
     * that cannot be read; the commands ask {@link ExitCodes#unusableModel}. export-timeline never loads the
     * model (it exports existing takes only), so a shot without a take is 3 there whatever the model.
     */
    @Test
    void aDamagedModelIs1ForEveryCommandThatLoadsIt() throws Exception {
        Path model = damagedModel();
        Path project = projectWithAShotWithoutATake();
        assertThat(run(new RenderCommand(), project.toString(), "--model", model.toString(), "-o",
                dir.resolve("o.mp4").toString())).isEqualTo(ExitCodes.FAILED);
        assertThat(run(new RenderCommand(), project.toString(), "--model", model.toString(), "--png", "-o",
                dir.resolve("frames").toString())).isEqualTo(ExitCodes.FAILED);
        assertThat(run(new EvalCommand(), "--generate", "--model", model.toString(), "-o", dir.resolve("r").toString(),
                project.toString())).isEqualTo(ExitCodes.FAILED);
        assertThat(run(new DoctorCommand(), "--model", model.toString())).isEqualTo(ExitCodes.FAILED);
        assertThat(run(new BenchCommand(), "--model", model.toString(), "--quick", "--out",
                dir.resolve("bench.json").toString())).isEqualTo(ExitCodes.FAILED);
        assertThat(run(new ExportTimelineCommand(), project.toString(), "--format", "otio")).isEqualTo(ExitCodes.MISSING_INPUT);
        assertThat(dir.resolve("o.mp4")).doesNotExist();
        assertThat(dir.resolve("frames")).doesNotExist();
        assertThat(dir.resolve("bench.json")).doesNotExist();
    }

    /** No model at all (a --model folder without manifest.json) is 3 from every command that needs one, doctor too. */
    @Test
    void noModelIs3ForEveryCommandThatNeedsOne() throws Exception {
        Path none = dir.resolve("no-model");
        Path project = projectWithAShotWithoutATake();
        assertThat(run(new RenderCommand(), project.toString(), "--model", none.toString(), "-o",
                dir.resolve("o.mp4").toString())).isEqualTo(ExitCodes.MISSING_INPUT);
        assertThat(run(new EvalCommand(), "--generate", "--model", none.toString(), "-o", dir.resolve("r").toString(),
                project.toString())).isEqualTo(ExitCodes.MISSING_INPUT);
        assertThat(run(new DoctorCommand(), "--model", none.toString())).isEqualTo(ExitCodes.MISSING_INPUT);
        assertThat(run(new BenchCommand(), "--model", none.toString(), "--quick", "--out",
                dir.resolve("bench.json").toString())).isEqualTo(ExitCodes.MISSING_INPUT);
        assertThat(dir.resolve("o.mp4")).doesNotExist();
    }

    /** A model folder whose manifest covers its files, with the transformer's weights changed after the fact. */
    private Path damagedModel() throws Exception {
        Path model = dir.resolve("damaged-model");
        Files.createDirectories(model);
        Files.write(model.resolve("storydit.safetensors"), new byte[] {9, 8, 7});
        Files.writeString(model.resolve("config.json"), "{}");
        Files.write(model.resolve("vae_decoder.safetensors"), new byte[] {1, 2});
        Files.writeString(model.resolve("manifest.json"), """
                {"format":"storyboard-model/1","name":"storydit-test","preset":"tiny",
                 "files":[{"path":"storydit.safetensors","sha256":"%s","bytes":3},
                          {"path":"config.json","sha256":"%s","bytes":2},
                          {"path":"vae_decoder.safetensors","sha256":"%s","bytes":2}]}
                """.formatted(ModelVerifier.sha256(model.resolve("storydit.safetensors")),
                ModelVerifier.sha256(model.resolve("config.json")),
                ModelVerifier.sha256(model.resolve("vae_decoder.safetensors"))));
        Files.write(model.resolve("storydit.safetensors"), new byte[] {9, 8, 6});
        return model;
    }

    private Path projectWithAShotWithoutATake() throws Exception {
        Path project = dir.resolve("p.storyboard");
        Files.writeString(project, """
                {"format": "storyboard-project/1", "storyboard": {"title": "P", "scenePrompt": "a red ball in a meadow",
                 "fps": 8, "width": 64, "height": 64, "shots": [{"id": "s1", "prompt": "a red ball rolls right",
                 "durationFrames": 8, "camera": "STATIC", "shotSize": "WIDE", "seed": 1, "guidance": 4.0, "takes": []}]}}
                """);
        return project;
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
