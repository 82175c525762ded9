package dev.storyboard.inference.testing;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.storyboard.inference.engine.TorchRuntime;
import dev.storyboard.inference.model.StoryboardModel;

/**
 * The tiny fixture model loaded on the PyTorch engine, with the manager that owns it. Test classes open
 * one in {@code @BeforeAll} and close it in {@code @AfterAll}.
 *
 * @param root  base manager; per-test arrays go in its sub-managers
 * @param model the tiny model from training/fixtures/tiny
 */
public record TinyModel(NDManager root, StoryboardModel model) implements AutoCloseable {

    public static TinyModel open() throws Exception {
        return open(Fixtures.TINY);
    }

    /** The model of a fixture set (e.g. {@link Fixtures#TINY_PIXEL}). */
    public static TinyModel open(FixtureSet fixtures) throws Exception {
        TorchRuntime.configure();
        NDManager root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager();
        try {
            return new TinyModel(root, StoryboardModel.load(fixtures.modelDir(), root));
        } catch (Exception | Error e) {
            root.close();
            throw e;
        }
    }

    @Override
    public void close() {
        model.close();
        root.close();
    }
}
