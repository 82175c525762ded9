package dev.storyboard.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.generation.EngineStatus;
import dev.storyboard.ui.timeline.ShotCard;
import java.util.List;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class EditorViewTest {
    private EditorViewModel model;

    @Start
    void start(Stage stage) {
        Storyboard storyboard = new Storyboard("Test scene", "", 8, 64, 64, List.of(
                Shot.planned("a", "a red ball bounces in a meadow", 16, CameraMove.STATIC, ShotSize.WIDE, 1),
                Shot.planned("b", "the red ball rolls left", 24, CameraMove.PAN_LEFT, ShotSize.MEDIUM, 2),
                Shot.planned("c", "close on the red ball", 8, CameraMove.ZOOM_IN, ShotSize.CLOSE_UP, 3)));
        model = new EditorViewModel(storyboard, null, new EngineStatus(false, "", "", "No model bundled"));
        stage.setScene(new Scene(new EditorView(model).root(), 1000, 700));
        stage.show();
    }

    @Test
    void windowShowsTimelineWithOneCardPerShotAndAPreview(FxRobot robot) {
        assertThat(robot.lookup("#timeline").tryQuery()).isPresent();
        assertThat(robot.lookup("#preview").tryQuery()).isPresent();
        assertThat(robot.lookup("." + ShotCard.STYLE_CLASS).queryAll()).hasSize(3);
        assertThat(robot.lookup("#shot-card-b").queryAs(ShotCard.class).shot().prompt()).isEqualTo("the red ball rolls left");
    }

    @Test
    void cardWidthFollowsDuration(FxRobot robot) {
        double wide = robot.lookup("#shot-card-b").queryAs(ShotCard.class).getWidth();
        double narrow = robot.lookup("#shot-card-a").queryAs(ShotCard.class).getWidth();
        assertThat(wide / narrow).isCloseTo(24.0 / 16.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void clickingACardSelectsItsShotInTheInspector(FxRobot robot) {
        robot.clickOn("#shot-card-c");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model.selectedShotProperty().get().id()).isEqualTo("c");
        assertThat(robot.lookup("#inspector-prompt").queryAs(TextArea.class).getText()).isEqualTo("close on the red ball");
    }

    @Test
    void generateIsDisabledUntilTheEngineIsReadyAndStatusIsShown(FxRobot robot) {
        assertThat(robot.lookup("#generate-button").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(robot.lookup("#engine-status").queryAs(Label.class).getText()).contains("No model bundled");
        robot.interact(() -> model.updateEngineStatus(new EngineStatus(true, "cpu()", "storydit-S", "Ready")));
        assertThat(robot.lookup("#generate-button").queryAs(Button.class).isDisabled()).isFalse();
        assertThat(robot.lookup("#engine-status").queryAs(Label.class).getText()).contains("Ready").contains("cpu()");
    }
}
