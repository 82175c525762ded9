package dev.storyboard.inference.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storyboard.domain.vocabulary.ModelVocabulary;
import dev.storyboard.inference.codec.PixelFrameCodec;
import dev.storyboard.inference.config.FrameCodecConfig;
import dev.storyboard.inference.config.StoryDiTConfig;
import dev.storyboard.inference.engine.TorchRuntime;
import dev.storyboard.inference.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading a model folder: checksums first, then config and weights, each failure naming what is wrong. */
class StoryboardModelTest {
    @TempDir
    Path dir;

    private void copyFixtureModel() throws Exception {
        for (String f : new String[] {"config.json", "manifest.json", "storydit.safetensors", "vae_decoder.safetensors",
                "vae_encoder.safetensors"}) {
            Files.copy(Fixtures.modelDir().resolve(f), dir.resolve(f));
        }
    }

    @Test
    void loadsTheFixtureModelAndReadsItsConfig() throws Exception {
        TorchRuntime.configure();
        try (NDManager root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager();
             StoryboardModel m = StoryboardModel.load(Fixtures.modelDir(), root)) {
            StoryDiTConfig c = m.config().dit();
            assertThat(c.lTxt()).isEqualTo(8);
            assertThat(c.headDim()).isEqualTo(16);
            assertThat(c.tokensPerFrame()).isEqualTo(4);
            assertThat(m.config().sampler().tContext()).isEqualTo(0.2);
            assertThat(m.config().vae().orElseThrow().scalingFactor()).isEqualTo(1.25);
            assertThat(m.identity()).hasSize(64);
            assertThat(m.codec().canEncode()).isTrue();
            assertThat(m.config().dit().prediction()).isEqualTo(StoryDiTConfig.Prediction.V);
            assertThat(m.config().dit().shotCond()).isFalse();
            assertThat(m.config().codec()).isInstanceOf(FrameCodecConfig.Vae.class);
        }
    }

    @Test
    void aListedVocabularyIsReadAndAnUnlistedOneIsRefused() throws Exception {
        copyFixtureModel();
        String vocabulary = """
                {"format": "storyworld-vocabulary/1", "groups": [
                  {"name": "kind", "classes": [{"label": "ball", "phrases": ["ball", "sphere"]}]}]}
                """;
        Files.writeString(dir.resolve(ModelVocabulary.FILE_NAME), vocabulary);
        try (NDManager root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager()) {
            assertThatThrownBy(() -> StoryboardModel.load(dir, root)).isInstanceOf(ModelIntegrityException.class)
                    .hasMessageContaining(ModelVocabulary.FILE_NAME).hasMessageContaining("not listed in manifest.json");
        }
        String manifest = Files.readString(dir.resolve("manifest.json"));
        String entry = "{\"path\": \"" + ModelVocabulary.FILE_NAME + "\", \"sha256\": \""
                + ModelVerifier.sha256(dir.resolve(ModelVocabulary.FILE_NAME)) + "\", \"bytes\": "
                + Files.size(dir.resolve(ModelVocabulary.FILE_NAME)) + "}, ";
        Files.writeString(dir.resolve("manifest.json"), manifest.replaceFirst("\"files\"\\s*:\\s*\\[", "\"files\": [" + entry));
        try (NDManager root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager();
             StoryboardModel m = StoryboardModel.load(dir, root)) {
            assertThat(m.vocabulary().orElseThrow().group("kind").orElseThrow().labels()).containsExactly("ball");
        }
        try (NDManager root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager();
             StoryboardModel m = StoryboardModel.load(Fixtures.modelDir(), root)) {
            assertThat(m.vocabulary()).as("a model folder without one").isEmpty();
        }
    }

    @Test
    void corruptWeightsAreRefusedNamingFileAndChecksums() throws Exception {
        copyFixtureModel();
        byte[] bytes = Files.readAllBytes(dir.resolve("vae_decoder.safetensors"));
        bytes[1000] ^= 0x10;
        Files.write(dir.resolve("vae_decoder.safetensors"), bytes);
        try (NDManager root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager()) {
            assertThatThrownBy(() -> StoryboardModel.load(dir, root))
                    .isInstanceOf(ModelIntegrityException.class)
                    .hasMessageContaining("vae_decoder.safetensors")
                    .hasMessageContaining("expected SHA-256 " + Fixtures.manifestSha256("vae_decoder.safetensors"))
                    .hasMessageContaining("actual " + ModelVerifier.sha256(dir.resolve("vae_decoder.safetensors")));
        }
    }

    @Test
    void missingWeightsAreRefused() throws Exception {
        copyFixtureModel();
        Files.delete(dir.resolve("storydit.safetensors"));
        try (NDManager root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager()) {
            assertThatThrownBy(() -> StoryboardModel.load(dir, root))
                    .isInstanceOf(ModelIntegrityException.class)
                    .hasMessageContaining("storydit.safetensors is missing")
                    .hasMessageContaining(Fixtures.manifestSha256("storydit.safetensors"));
        }
    }

    @Test
    void configOfAnotherShapeIsRefusedBeforeAnythingRuns() throws Exception {
        copyFixtureModel();
        String config = Files.readString(dir.resolve("config.json")).replace("\"d_model\": 48", "\"d_model\": 96");
        Files.writeString(dir.resolve("config.json"), config);
        // re-sign the manifest so only the shape mismatch is left
        String manifest = Files.readString(dir.resolve("manifest.json"))
                .replace(Fixtures.manifestSha256("config.json"), ModelVerifier.sha256(dir.resolve("config.json")))
                .replaceFirst("\"bytes\": " + Files.size(Fixtures.modelDir().resolve("config.json")),
                        "\"bytes\": " + Files.size(dir.resolve("config.json")));
        Files.writeString(dir.resolve("manifest.json"), manifest);
        try (NDManager root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager()) {
            assertThatThrownBy(() -> StoryboardModel.load(dir, root))
                    .hasMessageContaining("storydit.safetensors")
                    .hasMessageContaining("patch_embed.weight")
                    .hasMessageContaining("the config expects (96, 16)");
        }
    }

    @Test
    void pixelModelFolderLoadsWithoutVaeFiles() throws Exception {
        Path pixel = Fixtures.TINY_PIXEL.modelDir();
        for (String f : new String[] {"config.json", "manifest.json", "storydit.safetensors"}) {
            Files.copy(pixel.resolve(f), dir.resolve(f));
        }
        TorchRuntime.configure();
        try (NDManager root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager();
             StoryboardModel m = StoryboardModel.load(dir, root)) {
            assertThat(Files.exists(dir.resolve(StoryboardModel.VAE_DECODER_FILE))).isFalse();
            assertThat(new ModelVerifier().verify(dir).files()).extracting(ModelVerifier.FileCheck::path)
                    .containsExactlyInAnyOrder("config.json", "storydit.safetensors");
            assertThat(m.config().codec()).isEqualTo(new FrameCodecConfig.Pixel(32));
            assertThat(m.codec()).isInstanceOf(PixelFrameCodec.class);
            assertThat(m.codec().canEncode()).isTrue();
        }
        // the pixel folder's files are still verified
        byte[] bytes = Files.readAllBytes(dir.resolve("storydit.safetensors"));
        bytes[bytes.length - 7] ^= 0x01;
        Files.write(dir.resolve("storydit.safetensors"), bytes);
        try (NDManager root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager()) {
            assertThatThrownBy(() -> StoryboardModel.load(dir, root)).isInstanceOf(ModelIntegrityException.class)
                    .hasMessageContaining("storydit.safetensors");
        }
    }

    @Test
    void vaeModelWhoseManifestOmitsTheDecoderIsRefused() throws Exception {
        copyFixtureModel();
        String manifest = Files.readString(dir.resolve("manifest.json"));
        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(manifest);
        ArrayNode kept = root.putArray("files");
        for (JsonNode f : new ObjectMapper().readTree(manifest).path("files")) {
            if (!f.path("path").asText().equals(StoryboardModel.VAE_DECODER_FILE)) {
                kept.add(f);
            }
        }
        Files.writeString(dir.resolve("manifest.json"), root.toString());
        TorchRuntime.configure();
        try (NDManager nd = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager()) {
            assertThatThrownBy(() -> StoryboardModel.load(dir, nd)).hasMessageContaining("vae_decoder.safetensors is not listed in manifest.json");
        }
    }
}
