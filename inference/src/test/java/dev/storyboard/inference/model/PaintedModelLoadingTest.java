package dev.storyboard.inference.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storyboard.inference.config.BoxPlannerConfig;
import dev.storyboard.inference.config.StoryDiTConfig;
import dev.storyboard.inference.engine.TorchRuntime;
import dev.storyboard.inference.layout.BoxPlanner;
import dev.storyboard.inference.testing.FixtureSet;
import dev.storyboard.inference.testing.Fixtures;
import dev.storyboard.inference.testing.ModelFolder;
import dev.storyboard.inference.weights.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model that reads the painted silhouette ({@code dit.actor_layout = "painted"}) loads its painting planner (kinds,
 * colours, colour head, palette) and a 4-channel box conv; a painted model whose planner paints nothing, a silhouette or
 * box model whose planner paints, colours without kinds, and files that do not fit the config are refused by name.
 */
class PaintedModelLoadingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeEach
    void configureTorch() {
        TorchRuntime.configure();
    }

    private static ObjectNode config(FixtureSet set) throws Exception {
        return (ObjectNode) JSON.readTree(set.modelDir().resolve(ModelConfig.FILE_NAME).toFile());
    }

    private static NDManager root() {
        return Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager();
    }

    @Test
    void thePaintedModelLoadsItsPlannerWithColoursAndPalette() throws Exception {
        ModelFolder.copy(Fixtures.TINY_PAINT, dir);
        assertThat(ModelVerifier.requiredFiles(dir)).contains(BoxPlanner.FILE);
        try (NDManager root = root(); StoryboardModel m = StoryboardModel.load(dir, root)) {
            assertThat(m.config().dit().actorLayout()).isEqualTo(StoryDiTConfig.ActorLayout.PAINTED);
            BoxPlannerConfig c = m.boxPlanner().orElseThrow().config();
            assertThat(c).isEqualTo(m.config().boxPlanner().orElseThrow());
            assertThat(c.kinds()).containsExactly("ball", "bird", "fish");
            assertThat(c.colours()).containsExactly("red", "green", "blue", "black");
            assertThat(c.layout()).isEqualTo(StoryDiTConfig.ActorLayout.PAINTED);
            assertThat(m.boxPlanner().orElseThrow().palette()).hasSize(4 * 3);
        }
    }

    @Test
    void configsWithoutColoursPaintNothing() throws Exception {
        ObjectNode sil = config(Fixtures.TINY_SIL);
        ((ObjectNode) sil.path("box_planner")).remove("colours");      // a config written before planners painted
        ModelConfig c = ModelConfig.parse(sil);
        assertThat(c.boxPlanner().orElseThrow().colours()).isEmpty();
        assertThat(c.boxPlanner().orElseThrow().plansColour()).isFalse();
        assertThat(c.boxPlanner().orElseThrow().layout()).isEqualTo(StoryDiTConfig.ActorLayout.SILHOUETTE);
        assertThat(ModelConfig.parse(config(Fixtures.TINY_BOX)).boxPlanner().orElseThrow().layout())
                .isEqualTo(StoryDiTConfig.ActorLayout.BOX);
        ObjectNode explicit = config(Fixtures.TINY_SIL);
        ((ObjectNode) explicit.path("box_planner")).putArray("colours");
        assertThat(ModelConfig.parse(explicit)).isEqualTo(c);
        assertThat(StoryDiTConfig.ActorLayout.BOX.channels()).isEqualTo(1);
        assertThat(StoryDiTConfig.ActorLayout.SILHOUETTE.channels()).isEqualTo(1);
        assertThat(StoryDiTConfig.ActorLayout.PAINTED.channels()).isEqualTo(4);
    }

    @Test
    void anUnknownActorLayoutIsRefusedNamingEveryLayout() throws Exception {
        ObjectNode blob = config(Fixtures.TINY_PAINT);
        ((ObjectNode) blob.path("dit")).put("actor_layout", "blob");
        assertThatThrownBy(() -> ModelConfig.parse(blob))
                .hasMessageContaining("actor_layout must be 'box', 'silhouette' or 'painted', not 'blob'");
    }

    @Test
    void aPaintedModelWhosePlannerHasNoColoursIsRefused() throws Exception {
        ObjectNode noColours = config(Fixtures.TINY_PAINT);
        ((ObjectNode) noColours.path("box_planner")).remove("colours");
        assertThatThrownBy(() -> ModelConfig.parse(noColours))
                .hasMessageContaining("dit.actor_layout is painted")
                .hasMessageContaining("box_planner has no colours (a silhouette planner");
        ObjectNode boxPlanner = config(Fixtures.TINY_PAINT);
        ((ObjectNode) boxPlanner.path("box_planner")).remove("colours");
        ((ObjectNode) boxPlanner.path("box_planner")).remove("kinds");
        assertThatThrownBy(() -> ModelConfig.parse(boxPlanner))
                .hasMessageContaining("dit.actor_layout is painted")
                .hasMessageContaining("box_planner has no colours (a box planner");
        // the same through loading: the silhouette fixture's model folder told it reads painted silhouettes
        ModelFolder.copy(Fixtures.TINY_SIL, dir);
        ModelFolder.rewriteConfig(dir, root -> ((ObjectNode) root.path("dit")).put("actor_layout", "painted"));
        try (NDManager root = root()) {
            assertThatThrownBy(() -> StoryboardModel.load(dir, root))
                    .hasMessageContaining("dit.actor_layout is painted")
                    .hasMessageContaining("box_planner has no colours");
        }
    }

    @Test
    void aSilhouetteOrBoxModelWhosePlannerHasColoursIsRefused() throws Exception {
        ObjectNode silhouetteModel = config(Fixtures.TINY_PAINT);
        ((ObjectNode) silhouetteModel.path("dit")).put("actor_layout", "silhouette");
        assertThatThrownBy(() -> ModelConfig.parse(silhouetteModel))
                .hasMessageContaining("box_planner names colours [red, green, blue, black] and paints the silhouette")
                .hasMessageContaining("dit.actor_layout is silhouette");
        ObjectNode boxModel = config(Fixtures.TINY_PAINT);
        ((ObjectNode) boxModel.path("dit")).remove("actor_layout");
        assertThatThrownBy(() -> ModelConfig.parse(boxModel))
                .hasMessageContaining("box_planner names kinds [ball, bird, fish] and plans silhouettes")
                .hasMessageContaining("dit.actor_layout is box");
        ModelFolder.copy(Fixtures.TINY_PAINT, dir);
        ModelFolder.rewriteConfig(dir, root -> ((ObjectNode) root.path("dit")).put("actor_layout", "silhouette"));
        try (NDManager root = root()) {
            assertThatThrownBy(() -> StoryboardModel.load(dir, root))
                    .hasMessageContaining("box_planner names colours [red, green, blue, black] and paints the silhouette");
        }
    }

    @Test
    void coloursWithoutKindsAreRefused() throws Exception {
        ObjectNode noKinds = config(Fixtures.TINY_PAINT);
        ((ObjectNode) noKinds.path("box_planner")).remove("kinds");
        assertThatThrownBy(() -> ModelConfig.parse(noKinds))
                .hasMessageContaining("colours [red, green, blue, black] need kinds");
    }

    @Test
    void filesThatDoNotFitTheirColoursOrLayoutAreRefusedNamingTheTensor() throws Exception {
        ModelFolder.copy(Fixtures.TINY_PAINT, dir);
        Path planner = dir.resolve(BoxPlanner.FILE);
        ModelFolder.rewriteTensors(dir, BoxPlanner.FILE, tensors ->
                tensors.put("palette", new SafeTensors.FloatTensor(new long[] {4, 4}, new float[16])));
        try (NDManager root = root()) {
            assertThatThrownBy(() -> StoryboardModel.load(dir, root)).hasMessageContaining(planner.toString())
                    .hasMessageContaining("'palette' has shape (4, 4), the config expects (4, 3)");
        }
        ModelFolder.rewriteTensors(dir, BoxPlanner.FILE, tensors -> tensors.remove("colour.2.bias"));
        try (NDManager root = root()) {
            assertThatThrownBy(() -> StoryboardModel.load(dir, root)).hasMessageContaining("missing tensor 'colour.2.bias'");
        }
        // a painted model's box conv reads 4 channels
        Path other = dir.resolve("one-channel");
        Files.createDirectories(other);
        ModelFolder.copy(Fixtures.TINY_PAINT, other);
        ModelFolder.rewriteTensors(other, StoryboardModel.DIT_FILE, tensors -> {
            long[] shape = tensors.get("conv_encoder.actor_box.weight").shape();
            tensors.put("conv_encoder.actor_box.weight", new SafeTensors.FloatTensor(
                    new long[] {shape[0], 1, shape[2], shape[3]}, new float[(int) (shape[0] * shape[2] * shape[3])]));
        });
        try (NDManager root = root()) {
            assertThatThrownBy(() -> StoryboardModel.load(other, root))
                    .hasMessageContaining("'conv_encoder.actor_box.weight' has shape (4, 1, 3, 3), the config expects "
                            + "(4, 4, 3, 3)");
        }
    }

    @Test
    void aSilhouettePlannerFileWithAColourHeadIsAnotherArchitecture() throws Exception {
        ModelFolder.copy(Fixtures.TINY_SIL, dir);
        ModelFolder.rewriteTensors(dir, BoxPlanner.FILE, tensors ->
                tensors.put("palette", new SafeTensors.FloatTensor(new long[] {1, 3}, new float[3])));
        try (NDManager root = root()) {
            assertThatThrownBy(() -> StoryboardModel.load(dir, root)).hasMessageContaining("unexpected tensors [palette]");
        }
    }
}
