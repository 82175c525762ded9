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
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model that reads the planned silhouette ({@code dit.actor_layout = "silhouette"}) loads its silhouette planner
 * (kinds, kind head, templates); a silhouette model with a box planner, a box model with a silhouette planner, an
 * unknown actor layout and planner files that do not fit the config are refused by name.
 */
class SilhouetteModelLoadingTest {
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
    void theSilhouetteModelLoadsItsPlannerWithKindsAndTemplates() throws Exception {
        ModelFolder.copy(Fixtures.TINY_SIL, dir);
        assertThat(ModelVerifier.requiredFiles(dir)).contains(BoxPlanner.FILE);
        try (NDManager root = root(); StoryboardModel m = StoryboardModel.load(dir, root)) {
            assertThat(m.config().dit().actorLayout()).isEqualTo(StoryDiTConfig.ActorLayout.SILHOUETTE);
            BoxPlannerConfig c = m.boxPlanner().orElseThrow().config();
            assertThat(c).isEqualTo(m.config().boxPlanner().orElseThrow());
            assertThat(c.kinds()).containsExactly("ball", "bird", "fish");
            assertThat(c.templateSize()).isEqualTo(5);
            assertThat(m.boxPlanner().orElseThrow().templates()).hasSize(3 * 5 * 5);
        }
    }

    @Test
    void configsWithoutTheNewKeysAreBoxModelsWithBoxPlanners() throws Exception {
        ObjectNode box = config(Fixtures.TINY_BOX);
        assertThat(box.path("dit").has("actor_layout")).isFalse();
        assertThat(box.path("box_planner").has("kinds")).isFalse();
        assertThat(box.path("box_planner").has("template_size")).isFalse();
        ModelConfig c = ModelConfig.parse(box);
        assertThat(c.dit().actorLayout()).isEqualTo(StoryDiTConfig.ActorLayout.BOX);
        assertThat(c.boxPlanner().orElseThrow().kinds()).isEmpty();
        assertThat(c.boxPlanner().orElseThrow().plansSilhouette()).isFalse();
        assertThat(c.boxPlanner().orElseThrow().templateSize()).isEqualTo(BoxPlannerConfig.DEFAULT_TEMPLATE_SIZE);
        for (FixtureSet older : List.of(Fixtures.TINY, Fixtures.TINY_PIXEL, Fixtures.TINY_UNET, Fixtures.TINY_PREV)) {
            assertThat(ModelConfig.parse(config(older)).dit().actorLayout()).as(older.modelDir().toString())
                    .isEqualTo(StoryDiTConfig.ActorLayout.BOX);
        }
        ObjectNode explicit = config(Fixtures.TINY_BOX);
        ((ObjectNode) explicit.path("dit")).put("actor_layout", "box");
        ((ObjectNode) explicit.path("box_planner")).putArray("kinds");
        assertThat(ModelConfig.parse(explicit)).isEqualTo(c);
    }

    @Test
    void anUnknownActorLayoutIsRefusedNamingIt() throws Exception {
        ObjectNode blob = config(Fixtures.TINY_SIL);
        ((ObjectNode) blob.path("dit")).put("actor_layout", "blob");
        assertThatThrownBy(() -> ModelConfig.parse(blob))
                .hasMessageContaining("actor_layout must be 'box', 'silhouette' or 'painted', not 'blob'");
    }

    @Test
    void aSilhouetteModelWhosePlannerHasNoKindsIsRefused() throws Exception {
        ObjectNode noKinds = config(Fixtures.TINY_SIL);
        ((ObjectNode) noKinds.path("box_planner")).remove("kinds");
        assertThatThrownBy(() -> ModelConfig.parse(noKinds))
                .hasMessageContaining("dit.actor_layout is silhouette")
                .hasMessageContaining("box_planner has no kinds");
        // the same through loading: the box fixture's model folder told it reads silhouettes
        ModelFolder.copy(Fixtures.TINY_BOX, dir);
        ModelFolder.rewriteConfig(dir, root -> ((ObjectNode) root.path("dit")).put("actor_layout", "silhouette"));
        try (NDManager root = root()) {
            assertThatThrownBy(() -> StoryboardModel.load(dir, root))
                    .hasMessageContaining("dit.actor_layout is silhouette")
                    .hasMessageContaining("box_planner has no kinds");
        }
    }

    @Test
    void aBoxModelWhosePlannerHasKindsIsRefused() throws Exception {
        ObjectNode boxModel = config(Fixtures.TINY_SIL);
        ((ObjectNode) boxModel.path("dit")).remove("actor_layout");
        assertThatThrownBy(() -> ModelConfig.parse(boxModel))
                .hasMessageContaining("box_planner names kinds [ball, bird, fish] and plans silhouettes")
                .hasMessageContaining("dit.actor_layout is box");
        ModelFolder.copy(Fixtures.TINY_SIL, dir);
        ModelFolder.rewriteConfig(dir, root -> ((ObjectNode) root.path("dit")).put("actor_layout", "box"));
        try (NDManager root = root()) {
            assertThatThrownBy(() -> StoryboardModel.load(dir, root))
                    .hasMessageContaining("box_planner names kinds [ball, bird, fish] and plans silhouettes");
        }
    }

    @Test
    void plannerFilesThatDoNotFitTheirKindsAreRefusedNamingTheTensor() throws Exception {
        ModelFolder.copy(Fixtures.TINY_SIL, dir);
        Path planner = dir.resolve(BoxPlanner.FILE);
        ModelFolder.rewriteTensors(dir, BoxPlanner.FILE, tensors ->
                tensors.put("templates", new SafeTensors.FloatTensor(new long[] {3, 4, 4}, new float[3 * 16])));
        try (NDManager root = root()) {
            assertThatThrownBy(() -> StoryboardModel.load(dir, root)).hasMessageContaining(planner.toString())
                    .hasMessageContaining("'templates' has shape (3, 4, 4), the config expects (3, 5, 5)");
        }
        ModelFolder.rewriteTensors(dir, BoxPlanner.FILE, tensors -> tensors.remove("kind.2.bias"));
        try (NDManager root = root()) {
            assertThatThrownBy(() -> StoryboardModel.load(dir, root)).hasMessageContaining("missing tensor 'kind.2.bias'");
        }
    }

    @Test
    void aBoxPlannerFileWithAKindHeadIsAnotherArchitecture() throws Exception {
        ModelFolder.copy(Fixtures.TINY_BOX, dir);
        ModelFolder.rewriteTensors(dir, BoxPlanner.FILE, tensors ->
                tensors.put("templates", new SafeTensors.FloatTensor(new long[] {1, 2, 2}, new float[4])));
        try (NDManager root = root()) {
            assertThatThrownBy(() -> StoryboardModel.load(dir, root)).hasMessageContaining("unexpected tensors [templates]");
        }
    }
}
