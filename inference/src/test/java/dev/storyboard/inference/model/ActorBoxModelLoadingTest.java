package dev.storyboard.inference.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storyboard.inference.engine.TorchRuntime;
import dev.storyboard.inference.layout.BoxPlanner;
import dev.storyboard.inference.testing.Fixtures;
import dev.storyboard.inference.testing.ModelFolder;
import dev.storyboard.inference.weights.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model that reads the actor's box loads its layout planner, and a planner file that does not fit is named. */
class ActorBoxModelLoadingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeEach
    void copyTheBoxFixtureModel() throws Exception {
        TorchRuntime.configure();
        ModelFolder.copy(Fixtures.TINY_BOX, dir);
    }

    @Test
    void theModelLoadsItsPlannerAndVerifiesItsFile() throws Exception {
        assertThat(ModelVerifier.requiredFiles(dir)).contains(BoxPlanner.FILE);
        try (NDManager root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager();
             StoryboardModel m = StoryboardModel.load(dir, root)) {
            assertThat(m.boxPlanner()).isPresent();
            assertThat(m.boxPlanner().orElseThrow().config()).isEqualTo(m.config().boxPlanner().orElseThrow());
        }
        assertThat(ModelVerifier.requiredFiles(Fixtures.TINY_UNET.modelDir())).doesNotContain(BoxPlanner.FILE);
    }

    @Test
    void aPlannerFileOfAnotherShapeIsRefusedNamingTheFileAndTheTensor() throws Exception {
        Path planner = dir.resolve(BoxPlanner.FILE);
        ModelFolder.rewriteTensors(dir, BoxPlanner.FILE, tensors ->
                tensors.put("mlp.2.weight", new SafeTensors.FloatTensor(new long[] {16, 8}, new float[16 * 8])));
        try (NDManager root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager()) {
            assertThatThrownBy(() -> StoryboardModel.load(dir, root))
                    .hasMessageContaining(planner.toString())
                    .hasMessageContaining("'mlp.2.weight' has shape (16, 8), the config expects (16, 16)");
        }
        Files.writeString(planner, "not a safetensors file");
        ModelFolder.resign(dir, BoxPlanner.FILE);
        try (NDManager root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager()) {
            assertThatThrownBy(() -> StoryboardModel.load(dir, root)).hasMessageContaining(planner.toString());
        }
    }

    @Test
    void aManifestWithoutThePlannerIsRefused() throws Exception {
        ObjectNode manifest = (ObjectNode) JSON.readTree(dir.resolve(ModelManifest.FILE_NAME).toFile());
        ArrayNode kept = JSON.createArrayNode();
        for (JsonNode f : manifest.path("files")) {
            if (!f.path("path").asText().equals(BoxPlanner.FILE)) {
                kept.add(f);
            }
        }
        manifest.set("files", kept);
        Files.writeString(dir.resolve(ModelManifest.FILE_NAME), manifest.toString());
        try (NDManager root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager()) {
            assertThatThrownBy(() -> StoryboardModel.load(dir, root))
                    .hasMessageContaining(BoxPlanner.FILE + " is not listed in manifest.json");
        }
    }
}
