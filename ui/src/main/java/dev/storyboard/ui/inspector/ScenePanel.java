package dev.storyboard.ui.inspector;

import dev.storyboard.domain.Storyboard;
import dev.storyboard.ui.edit.EditModel;
import dev.storyboard.ui.generation.GenerationModel;
import java.util.Locale;
import javafx.beans.InvalidationListener;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.VBox;

/** The scene's shared settings: title and the global scene prompt (characters, setting). */
public final class ScenePanel extends VBox {
    private final EditModel edits;
    private final ObservableValue<Storyboard> storyboard;
    private final TextField title = new TextField();
    private final TextArea scenePrompt = new TextArea();
    private final Label format = new Label();
    private boolean updating;

    /**
     * @param edits      where title and scene prompt changes go
     * @param generation the loaded model's vocabulary (prompt completion)
     * @param storyboard the storyboard shown
     */
    public ScenePanel(EditModel edits, GenerationModel generation, ObservableValue<Storyboard> storyboard) {
        super(8);
        this.edits = edits;
        this.storyboard = storyboard;
        setId("scene-panel");
        getStyleClass().add("scene-panel");
        setPadding(new Insets(12));
        Label heading = new Label("Scene");
        heading.getStyleClass().add("inspector-heading");
        title.setId("scene-title");
        title.setOnAction(e -> commitEdits());
        title.focusedProperty().addListener((o, a, focused) -> {
            if (!focused) {
                commitEdits();
            }
        });
        scenePrompt.setId("scene-prompt");
        scenePrompt.setWrapText(true);
        scenePrompt.setPrefRowCount(4);
        scenePrompt.setPromptText("Shared by every shot: the actor and the setting, e.g. “a red striped ball in a sunny meadow”");
        scenePrompt.focusedProperty().addListener((o, a, focused) -> {
            if (!focused) {
                commitEdits();
            }
        });
        scenePrompt.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER && e.isShortcutDown()) {
                commitEdits();
                e.consume();
            }
        });
        PromptCompletion.install(scenePrompt, generation.modelVocabularyProperty());
        Label hint = new Label("The same actor and setting in every shot keeps the scene consistent.");
        hint.getStyleClass().add("field-hint");
        hint.setWrapText(true);
        format.getStyleClass().add("field-hint");
        getChildren().addAll(heading, label("Title"), title, label("Scene prompt"), scenePrompt, hint, format);
        storyboard.addListener((InvalidationListener) o -> show());
        show();
    }

    private static Label label(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("field-label");
        return l;
    }

    public void commitEdits() {
        if (updating) {
            return;
        }
        edits.setTitle(title.getText().strip());
        edits.setScenePrompt(scenePrompt.getText());
    }

    private void show() {
        updating = true;
        Storyboard sb = storyboard.getValue();
        if (!title.getText().equals(sb.title())) {
            title.setText(sb.title());
        }
        if (!scenePrompt.getText().equals(sb.scenePrompt())) {
            scenePrompt.setText(sb.scenePrompt());
        }
        format.setText(String.format(Locale.ROOT, "%d×%d pixels · %d fps · %d shots · %.1f s", sb.width(), sb.height(), sb.fps(),
                sb.shots().size(), sb.durationSeconds()));
        updating = false;
    }
}
