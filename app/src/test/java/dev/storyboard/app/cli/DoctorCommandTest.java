package dev.storyboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.inference.model.ModelVerifier;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DoctorCommandTest {
    @TempDir Path modelDir;

    /** A model whose manifest covers every file a model needs (config, transformer, VAE decoder). */
    @BeforeEach
    void writeModel() throws Exception {
        Files.write(modelDir.resolve("storydit.safetensors"), new byte[] {9, 8, 7});
        Files.writeString(modelDir.resolve("config.json"), "{}");
        Files.write(modelDir.resolve("vae_decoder.safetensors"), new byte[] {1, 2});
        Files.writeString(modelDir.resolve("manifest.json"), """
                {"format":"storyboard-model/1","name":"storydit-test","preset":"tiny",
                 "files":[{"path":"storydit.safetensors","sha256":"%s","bytes":3},
                          {"path":"config.json","sha256":"%s","bytes":2},
                          {"path":"vae_decoder.safetensors","sha256":"%s","bytes":2}]}
                """.formatted(ModelVerifier.sha256(modelDir.resolve("storydit.safetensors")),
                ModelVerifier.sha256(modelDir.resolve("config.json")),
                ModelVerifier.sha256(modelDir.resolve("vae_decoder.safetensors"))));
    }

    @Test
    void aManifestThatDoesNotCoverTheModelsFilesFails() throws Exception {
        Files.writeString(modelDir.resolve("manifest.json"),
                "{\"format\":\"storyboard-model/1\",\"name\":\"storydit-test\",\"preset\":\"tiny\",\"files\":[]}");
        Run run = doctor("doctor", "--model", modelDir.toString());
        assertThat(run.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.out()).contains("FAIL model").contains("not listed in manifest.json").doesNotContain("all 0 files");
    }

    private record Run(int exit, String out) {}

    private static Run doctor(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new StoryboardCommand());
        cli.setOut(new PrintWriter(out));
        int exit = cli.execute(args);
        return new Run(exit, out.toString());
    }

    @Test
    void reportsEveryComponentAndPassesWithAnIntactModel() {
        Run run = doctor("doctor", "--model", modelDir.toString());
        assertThat(run.out()).contains("OK   java").contains("OK   javafx").contains("OK   text encoder")
                .contains("OK   pytorch engine").contains("2.7.1").contains("device cpu()")
                .contains("OK   ffmpeg").contains("libopenh264")
                .contains("OK   model").contains("storydit-test");
        assertThat(run.exit()).isZero();
    }

    @Test
    void corruptWeightsFailWithTheFileNamed() throws Exception {
        Files.write(modelDir.resolve("storydit.safetensors"), new byte[] {9, 8, 6});
        Run run = doctor("doctor", "--model", modelDir.toString());
        assertThat(run.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.out()).contains("FAIL model").contains("storydit.safetensors").contains("corrupt")
                .contains("1 check(s) failed.");
    }

    @Test
    void missingModelFolderFailsWithTheNoModelCode() {
        Run run = doctor("doctor", "--model", modelDir.resolve("nowhere").toString());
        assertThat(run.exit()).isEqualTo(ExitCodes.MISSING_INPUT);
        assertThat(run.out()).contains("FAIL model").contains("no manifest.json");
    }
}
