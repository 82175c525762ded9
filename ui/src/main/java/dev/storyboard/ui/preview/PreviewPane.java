package dev.storyboard.ui.preview;

import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.StackPane;

/**
 * Shows the current frame (scaled up, smoothing off so the model's native pixels stay honest) or,
 * before anything is generated, a line saying what to do next.
 */
public final class PreviewPane extends StackPane {
    public static final String ID = "preview";

    private final ImageView frameView = new ImageView();
    private final Label placeholder = new Label();

    public PreviewPane(ObservableValue<String> placeholderText) {
        setId(ID);
        getStyleClass().add("preview-pane");
        frameView.setPreserveRatio(true);
        frameView.setSmooth(false);
        frameView.fitWidthProperty().bind(widthProperty().subtract(24));
        frameView.fitHeightProperty().bind(heightProperty().subtract(24));
        placeholder.getStyleClass().add("preview-placeholder");
        placeholder.textProperty().bind(placeholderText);
        placeholder.visibleProperty().bind(Bindings.isNull(frameView.imageProperty()));
        placeholder.setWrapText(true);
        getChildren().addAll(frameView, placeholder);
    }

    /** Shows a frame; call on the FX thread. {@code null} clears the preview. */
    public void showFrame(Image frame) {
        frameView.setImage(frame);
    }
}
