package dev.storyboard.inference.testing;

import ai.djl.ndarray.NDManager;
import dev.storyboard.inference.model.StoryboardModel;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Loads the tiny fixture model once per test class and closes it afterwards:
 * {@code @RegisterExtension static final TinyModelExtension TINY = new TinyModelExtension();}
 */
public final class TinyModelExtension implements BeforeAllCallback, AfterAllCallback {
    private final FixtureSet fixtures;
    private TinyModel tiny;

    public TinyModelExtension() {
        this(Fixtures.TINY);
    }

    /** The model of another fixture set, e.g. {@link Fixtures#TINY_PIXEL}. */
    public TinyModelExtension(FixtureSet fixtures) {
        this.fixtures = fixtures;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        tiny = TinyModel.open(fixtures);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (tiny != null) {
            tiny.close();
            tiny = null;
        }
    }

    public NDManager root() {
        return tiny.root();
    }

    public StoryboardModel model() {
        return tiny.model();
    }

    /** The fixture set whose model this is. */
    public FixtureSet fixtures() {
        return fixtures;
    }
}
