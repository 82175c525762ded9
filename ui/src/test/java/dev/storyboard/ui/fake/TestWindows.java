package dev.storyboard.ui.fake;

import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.generation.GenerationService;
import dev.storyboard.ui.EditorEnvironment;
import dev.storyboard.ui.concurrent.Background;
import dev.storyboard.ui.concurrent.UiThread;
import java.util.Random;
import java.util.function.Supplier;
import javafx.stage.Stage;

/** The editor environment of a test window: the FX thread, work done at once, dialogs owned by the window. */
public final class TestWindows {
    private TestWindows() {
    }

    /** No preferences, recovery or sample; seeds from {@code Random(3)} below 1000. */
    public static EditorEnvironment environment(GenerationService service, Stage stage) {
        return environment(service, stage, null);
    }

    /** The same with a bundled sample (null: none). */
    public static EditorEnvironment environment(GenerationService service, Stage stage, Supplier<Storyboard> sample) {
        Random random = new Random(3);
        return new EditorEnvironment(service, UiThread.fx(), Background.sameThread(), new TestDialogs(() -> stage),
                null, null, sample, () -> random.nextInt(1000));
    }
}
