package dev.storyboard.ui.dialog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.domain.export.EditorialRate;
import dev.storyboard.ui.EditorView;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DialogPane;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The real JavaFX frame-rate chooser of File ▸ Export MP4: native preselected, a chosen rate comes back. */
@ExtendWith(ApplicationExtension.class)
class ExportRateDialogTest {
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        stage.setScene(new Scene(new StackPane(), 400, 300));
        stage.show();
    }

    @Test
    void offersNativeFirstAndReturnsTheChosenRate(FxRobot robot) throws Exception {
        FxEditorDialogs dialogs = new FxEditorDialogs(() -> stage, () -> EditorView.STYLESHEET);
        AtomicReference<Optional<EditorialRate>> answer = new AtomicReference<>();
        Platform.runLater(() -> answer.set(dialogs.chooseExportRate(8, EditorialRate.of(8))));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#export-rate-dialog").tryQuery().isPresent());
        DialogPane pane = robot.lookup("#export-rate-dialog").queryAs(DialogPane.class);
        @SuppressWarnings("unchecked")
        ComboBox<FxEditorDialogs.RateChoice> combo = robot.from(pane).lookup(".combo-box").queryAs(ComboBox.class);
        assertThat(combo.getValue().rate()).as("native is preselected").isEqualTo(EditorialRate.of(8));
        assertThat(combo.getItems()).hasSize(8);
        robot.interact(() -> combo.getSelectionModel().select(2));
        Button ok = (Button) pane.lookupButton(javafx.scene.control.ButtonType.OK);
        robot.clickOn(ok);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> answer.get() != null);
        assertThat(answer.get()).contains(EditorialRate.FPS_24);
    }
}
