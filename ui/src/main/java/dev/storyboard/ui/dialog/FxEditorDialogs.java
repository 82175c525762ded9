package dev.storyboard.ui.dialog;

import dev.storyboard.domain.export.EditorialRate;
import dev.storyboard.domain.project.ProjectFiles;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceDialog;
import javafx.scene.control.Label;
import javafx.stage.FileChooser;
import javafx.stage.Modality;
import javafx.stage.Window;

/**
 * {@link EditorDialogs} with JavaFX dialogs. Errors and questions are shown without blocking the caller
 * ({@code show()}, not {@code showAndWait()}); file choosers are the platform's.
 */
public final class FxEditorDialogs implements EditorDialogs {
    private final Supplier<Window> owner;
    private final Supplier<String> stylesheet;

    public FxEditorDialogs(Supplier<Window> owner, Supplier<String> stylesheet) {
        this.owner = owner;
        this.stylesheet = stylesheet;
    }

    private FileChooser chooser(String title, Path initialDir) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Storyboard projects", "*" + ProjectFiles.EXTENSION));
        if (initialDir != null && Files.isDirectory(initialDir)) {
            chooser.setInitialDirectory(initialDir.toFile());
        }
        return chooser;
    }

    @Override
    public Optional<Path> chooseProjectToOpen(Path initialDir) {
        File f = chooser("Open storyboard", initialDir).showOpenDialog(owner.get());
        return Optional.ofNullable(f).map(File::toPath);
    }

    @Override
    public Optional<Path> chooseProjectToSave(Path initialDir, String suggestedName) {
        FileChooser chooser = chooser("Save storyboard", initialDir);
        chooser.setInitialFileName(suggestedName);
        File f = chooser.showSaveDialog(owner.get());
        return Optional.ofNullable(f).map(File::toPath);
    }

    /** One entry of the frame-rate chooser. */
    record RateChoice(EditorialRate rate, String label) {
        @Override
        public String toString() {
            return label;
        }
    }

    /** The chooser's entries: native first, then the editorial rates. */
    static List<RateChoice> rateChoices(int nativeFps) {
        List<RateChoice> choices = new ArrayList<>();
        choices.add(new RateChoice(EditorialRate.of(nativeFps), "Native (" + nativeFps + " fps, the model's own frames)"));
        for (EditorialRate r : EditorialRate.STANDARD) {
            if (!r.equals(EditorialRate.of(nativeFps))) {
                choices.add(new RateChoice(r, r.label() + " fps (frames held"
                        + (r.integral() && r.numerator() % nativeFps == 0 ? ", exact)" : ", cuts on the nearest frame)")));
            }
        }
        return choices;
    }

    @Override
    public Optional<EditorialRate> chooseExportRate(int nativeFps, EditorialRate preselected) {
        List<RateChoice> choices = rateChoices(nativeFps);
        RateChoice initial = choices.stream().filter(c -> c.rate().equals(preselected)).findFirst().orElse(choices.get(0));
        ChoiceDialog<RateChoice> dialog = new ChoiceDialog<>(initial, choices);
        Window w = owner.get();
        if (w != null) {
            dialog.initOwner(w);
        }
        dialog.initModality(Modality.WINDOW_MODAL);
        dialog.setTitle("Export MP4");
        dialog.setHeaderText("Frame rate of the video");
        dialog.setContentText("Frame rate:");
        dialog.getDialogPane().setId("export-rate-dialog");
        String css = stylesheet.get();
        if (css != null) {
            dialog.getDialogPane().getStylesheets().add(css);
            dialog.getDialogPane().getStyleClass().add("editor-dialog");
        }
        return dialog.showAndWait().map(RateChoice::rate);
    }

    @Override
    public Optional<Path> chooseExportTarget(Path initialDir, String suggestedName) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export MP4");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("MP4 video", "*.mp4"));
        if (initialDir != null && Files.isDirectory(initialDir)) {
            chooser.setInitialDirectory(initialDir.toFile());
        }
        chooser.setInitialFileName(suggestedName);
        File f = chooser.showSaveDialog(owner.get());
        return Optional.ofNullable(f).map(File::toPath);
    }

    @Override
    public void showError(String title, String message) {
        Alert alert = new Alert(Alert.AlertType.ERROR);
        prepare(alert, title);
        alert.setHeaderText(title);
        Label text = new Label(message);
        text.setWrapText(true);
        text.setId("error-message");
        text.setMaxWidth(560);
        alert.getDialogPane().setContent(text);
        alert.getDialogPane().setId("error-dialog");
        alert.show();
    }

    @Override
    public void ask(String title, String message, List<Choice> choices) {
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION);
        prepare(alert, title);
        alert.setHeaderText(title);
        alert.setContentText(message);
        alert.getDialogPane().setId("question-dialog");
        Map<ButtonType, Choice> byButton = new HashMap<>();
        alert.getButtonTypes().clear();
        for (Choice c : choices) {
            ButtonBar.ButtonData data = switch (c.role()) {
                case DEFAULT -> ButtonBar.ButtonData.OK_DONE;
                case CANCEL -> ButtonBar.ButtonData.CANCEL_CLOSE;
                case OTHER -> ButtonBar.ButtonData.OTHER;
            };
            ButtonType type = new ButtonType(c.label(), data);
            byButton.put(type, c);
            alert.getButtonTypes().add(type);
        }
        alert.resultProperty().addListener((o, was, result) -> {
            Choice c = byButton.get(result);
            if (c != null) {
                c.action().run();
            }
        });
        alert.show();
    }

    private void prepare(Alert alert, String title) {
        Window w = owner.get();
        if (w != null) {
            alert.initOwner(w);
        }
        alert.initModality(Modality.WINDOW_MODAL);
        alert.setTitle(title);
        String css = stylesheet.get();
        if (css != null) {
            alert.getDialogPane().getStylesheets().add(css);
            alert.getDialogPane().getStyleClass().add("editor-dialog");
        }
        alert.setResizable(true);
    }
}
