package dev.storyboard.ui.inspector;

import dev.storyboard.domain.vocabulary.ModelVocabulary;
import java.util.List;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Point2D;
import javafx.geometry.Rectangle2D;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.skin.TextAreaSkin;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.stage.Popup;

/**
 * Completion of the scene's vocabulary in a prompt field: while typing, phrases that continue the last
 * words appear under the caret; ↑/↓ choose, Tab or Enter inserts, Esc closes, Ctrl+Space opens it on
 * demand. The popup never takes the keyboard focus, so typing goes on in the field.
 */
public final class PromptCompletion {
    private static final int LIMIT = 8;
    private final TextInputControl field;
    private final ObjectBinding<Vocabulary> vocabulary;
    private final Popup popup = new Popup();
    private final ListView<Vocabulary.Completion> list = new ListView<>();
    private boolean applying;

    private PromptCompletion(TextInputControl field, ObservableValue<ModelVocabulary> model) {
        this.field = field;
        this.vocabulary = Bindings.createObjectBinding(() -> Vocabulary.of(model.getValue()), model);
        list.setFocusTraversable(false);
        list.getStyleClass().add("completion-list");
        list.setId("completion-list");
        list.setPrefWidth(280);
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(Vocabulary.Completion item, boolean empty) {
                super.updateItem(item, empty);
                if (empty || item == null) {
                    setGraphic(null);
                    setText(null);
                    return;
                }
                Label text = new Label(item.phrase().text());
                Label group = new Label(item.phrase().group());
                group.getStyleClass().add("completion-group");
                Region spacer = new Region();
                HBox.setHgrow(spacer, Priority.ALWAYS);
                HBox row = new HBox(8, text, spacer, group);
                setGraphic(row);
                setText(null);
            }
        });
        list.setOnMouseClicked(e -> {
            if (list.getSelectionModel().getSelectedItem() != null) {
                apply(list.getSelectionModel().getSelectedItem());
            }
        });
        popup.getContent().add(list);
        popup.setAutoHide(true);
        popup.setHideOnEscape(false);
        popup.setAutoFix(true);

        field.textProperty().addListener((o, a, b) -> {
            if (!applying && field.isFocused()) {
                // The caret moves after the text changes: look at both once the edit is complete.
                Platform.runLater(() -> {
                    if (field.isFocused()) {
                        update(false);
                    }
                });
            }
        });
        field.focusedProperty().addListener((o, a, focused) -> {
            if (!focused) {
                popup.hide();
            }
        });
        field.addEventFilter(KeyEvent.KEY_PRESSED, this::onKey);
    }

    /** Installs completion on {@code field}, offering the phrases of whichever model vocabulary is current. */
    public static PromptCompletion install(TextInputControl field, ObservableValue<ModelVocabulary> model) {
        return new PromptCompletion(field, model);
    }

    public boolean isShowing() {
        return popup.isShowing();
    }

    /** The suggestions currently offered (tests). */
    public List<String> suggestions() {
        return list.getItems().stream().map(c -> c.phrase().text()).toList();
    }

    private void onKey(KeyEvent e) {
        if (e.getCode() == KeyCode.SPACE && e.isShortcutDown()) {
            update(true);
            e.consume();
            return;
        }
        if (!popup.isShowing()) {
            return;
        }
        switch (e.getCode()) {
            case DOWN -> {
                list.getSelectionModel().selectNext();
                list.scrollTo(list.getSelectionModel().getSelectedIndex());
                e.consume();
            }
            case UP -> {
                list.getSelectionModel().selectPrevious();
                list.scrollTo(list.getSelectionModel().getSelectedIndex());
                e.consume();
            }
            case TAB, ENTER -> {
                if (!e.isShortcutDown() && list.getSelectionModel().getSelectedItem() != null) {
                    apply(list.getSelectionModel().getSelectedItem());
                    e.consume();
                }
            }
            case ESCAPE -> {
                popup.hide();
                e.consume();
            }
            default -> {
            }
        }
    }

    private void update(boolean force) {
        List<Vocabulary.Completion> found = vocabulary.get().complete(field.getText(), field.getCaretPosition(), LIMIT);
        if (found.isEmpty()) {
            popup.hide();
            list.getItems().clear();
            return;
        }
        list.getItems().setAll(found);
        list.getSelectionModel().selectFirst();
        list.setPrefHeight(Math.min(LIMIT, found.size()) * 26 + 4);
        if (field.getScene() == null || field.getScene().getWindow() == null) {
            return;
        }
        Point2D at = caretOnScreen();
        if (at != null) {
            popup.show(field, at.getX(), at.getY() + 2);
        }
    }

    private Point2D caretOnScreen() {
        int caret = Math.max(0, field.getCaretPosition() - 1);
        if (field.getSkin() instanceof TextAreaSkin skin && !field.getText().isEmpty()) {
            try {
                Rectangle2D b = skin.getCharacterBounds(caret);
                Point2D p = field.localToScreen(b.getMinX(), b.getMaxY());
                if (p != null) {
                    return p;
                }
            } catch (RuntimeException ignored) {
                // fall back to the field's corner
            }
        }
        return field.localToScreen(0, field.getHeight());
    }

    private void apply(Vocabulary.Completion c) {
        String text = field.getText();
        if (c.end() > text.length()) {
            popup.hide();
            return;
        }
        applying = true;
        try {
            field.replaceText(c.start(), c.end(), c.phrase().text());
            field.positionCaret(c.caretAfter());
        } finally {
            applying = false;
        }
        popup.hide();
    }
}
