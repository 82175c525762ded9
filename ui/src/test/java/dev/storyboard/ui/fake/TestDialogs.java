package dev.storyboard.ui.fake;

import dev.storyboard.domain.export.EditorialRate;
import dev.storyboard.ui.EditorView;
import dev.storyboard.ui.dialog.EditorDialogs;
import dev.storyboard.ui.dialog.FxEditorDialogs;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import javafx.stage.Window;

/** Real JavaFX error/question dialogs, but file choosers answered by the test (headless has none). */
public final class TestDialogs implements EditorDialogs {
    private final FxEditorDialogs fx;
    private final List<String> errors = new CopyOnWriteArrayList<>();
    /** File choosers are answered exactly like the headless dialogs answer them. */
    private final SilentDialogs files = new SilentDialogs();

    public TestDialogs(Supplier<Window> owner) {
        fx = new FxEditorDialogs(owner, () -> EditorView.STYLESHEET);
    }

    public void willOpen(Path file) {
        files.willOpen(file);
    }

    public void willSave(Path file) {
        files.willSave(file);
    }

    public List<String> errors() {
        return errors;
    }

    @Override
    public Optional<Path> chooseProjectToOpen(Path initialDir) {
        return files.chooseProjectToOpen(initialDir);
    }

    @Override
    public Optional<Path> chooseProjectToSave(Path initialDir, String suggestedName) {
        return files.chooseProjectToSave(initialDir, suggestedName);
    }

    @Override
    public Optional<EditorialRate> chooseExportRate(int nativeFps, EditorialRate preselected) {
        return files.chooseExportRate(nativeFps, preselected);
    }

    @Override
    public Optional<Path> chooseExportTarget(Path initialDir, String suggestedName) {
        return files.chooseExportTarget(initialDir, suggestedName);
    }

    @Override
    public void showError(String title, String message) {
        errors.add(title + ": " + message);
        fx.showError(title, message);
    }

    @Override
    public void ask(String title, String message, List<Choice> choices) {
        fx.ask(title, message, choices);
    }
}
