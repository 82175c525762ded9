package dev.storyboard.inference.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storyboard.inference.engine.TorchRuntime;
import dev.storyboard.inference.testing.FixtureSet;
import dev.storyboard.inference.testing.Fixtures;
import dev.storyboard.inference.testing.ModelFolder;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model that reads the previous frame loads its prev_frame conv, and a config that does not match the weights is
 * named: the flag without the conv's tensor, the tensor without the flag.
 */
class PrevFrameModelLoadingTest {
    @TempDir
    Path dir;

    @BeforeEach
    void configure() {
        TorchRuntime.configure();
    }

    @Test
    void thePreviousFrameModelLoadsItsConv() throws Exception {
        try (NDManager root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager();
             StoryboardModel m = StoryboardModel.load(Fixtures.TINY_PREV.modelDir(), root)) {
            assertThat(m.config().dit().prevFrameCond()).isTrue();
            assertThat(m.boxPlanner()).as("the tiny-box model underneath").isPresent();
        }
    }

    @Test
    void theFlagWithoutTheConvsTensorIsRefusedNamingTheTensor() throws Exception {
        assertThatThrownBy(() -> loadWithFlag(Fixtures.TINY_BOX, true))
                .hasMessageContaining("missing tensor 'conv_encoder.prev_frame.weight'");
    }

    @Test
    void theConvsTensorWithoutTheFlagIsRefusedNamingTheTensor() throws Exception {
        assertThatThrownBy(() -> loadWithFlag(Fixtures.TINY_PREV, false))
                .hasMessageContaining("unexpected tensors [conv_encoder.prev_frame.weight]");
    }

    /** Loads the model of {@code fixtures} with config.json's dit.prev_frame_cond set to {@code flag}. */
    private void loadWithFlag(FixtureSet fixtures, boolean flag) throws Exception {
        ModelFolder.copy(fixtures, dir);
        ModelFolder.rewriteConfig(dir, config -> ((ObjectNode) config.path("dit")).put("prev_frame_cond", flag));
        try (NDManager root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager()) {
            StoryboardModel.load(dir, root).close();
        }
    }
}
