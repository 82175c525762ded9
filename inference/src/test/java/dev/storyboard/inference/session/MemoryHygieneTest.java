package dev.storyboard.inference.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.storyboard.inference.engine.TorchRuntime;
import dev.storyboard.inference.model.StoryboardModel;
import dev.storyboard.inference.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * No NDArray outlives its step unless cached on purpose: the weights' manager is capped (an op whose
 * result would land there throws), and repeated generate / cancel / extend cycles leave the number of
 * live arrays where it was.
 */
class MemoryHygieneTest {

    @Test
    void weightsManagerIsCappedAndCyclesLeaveNoArraysBehind() throws Exception {
        TorchRuntime.configure();
        try (NDManager root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager();
             StoryboardModel model = StoryboardModel.load(Fixtures.modelDir(), root)) {
            int weights = model.weightsManager().getManagedArrays().size();
            assertThatThrownBy(() -> model.weightsManager().create(new float[] {1f}, new Shape(1)))
                    .isInstanceOf(IllegalStateException.class);
            try (SceneSession session = new SceneSession(model, root, SceneSession.Options.defaults())) {
                session.setGlobalCaption(SceneSessionTest.caption(1, 4));
                session.generateShot(0, SceneSessionTest.shot(0, 4, 1), ChunkListener.NONE, CancellationToken.none());
                int base = root.getManagedArrays().size();
                int sessionBase = session.managedArrays();
                for (int cycle = 0; cycle < 5; cycle++) {
                    CancellationToken token = new CancellationToken();
                    ChunkListener cancelMidway = new ChunkListener() {
                        @Override
                        public void progress(int chunk, int chunks, int step, int steps) {
                            if (chunk == 1 && step == 2) {
                                token.cancel();
                            }
                        }
                    };
                    assertThatThrownBy(() -> session.generateShot(1, SceneSessionTest.shot(2, 6, 3), cancelMidway, token))
                            .isInstanceOf(CancelledException.class);
                    assertThat(root.getManagedArrays().size()).as("live arrays after cancelled cycle %d", cycle).isEqualTo(base);
                    assertThat(session.managedArrays()).isEqualTo(sessionBase);
                }
                // a completed generation adds exactly one shot cache; regenerating it replaces it
                session.generateShot(1, SceneSessionTest.shot(2, 4, 3), ChunkListener.NONE, CancellationToken.none());
                int withShot = root.getManagedArrays().size();
                session.generateShot(1, SceneSessionTest.shot(3, 4, 4), ChunkListener.NONE, CancellationToken.none());
                assertThat(root.getManagedArrays().size()).isEqualTo(withShot);
                // an extension chunk adds its own K/V part (keys + values per layer) and nothing else
                session.extendShot(1, SceneSessionTest.extension(2, 5, 3.0, 2), ChunkListener.NONE, CancellationToken.none());
                assertThat(root.getManagedArrays().size()).isEqualTo(withShot + 2 * model.config().dit().nLayers());
            }
            assertThat(model.weightsManager().getManagedArrays().size()).isEqualTo(weights);
        }
    }
}
