package dev.storyboard.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.ui.fake.FakeGenerationService;
import dev.storyboard.ui.fake.TestWindows;
import java.util.List;
import javafx.scene.Scene;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Issue 19, bug 5: the inspector's fields as a creator types into them (headless TestFX). */
@ExtendWith(ApplicationExtension.class)
class InspectorInputTest {
    private EditorViewModel model;
    private FakeGenerationService service;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        Storyboard storyboard = new Storyboard("Test scene", "", 8, 64, 64, List.of(
                Shot.planned("a", "a red ball bounces in a meadow", 16, CameraMove.STATIC, ShotSize.WIDE, 1),
                Shot.planned("b", "the red ball rolls left", 24, CameraMove.PAN_LEFT, ShotSize.MEDIUM, 2)));
        service = FakeGenerationService.manual();
        EditorEnvironment env = TestWindows.environment(service, stage);
        model = new EditorViewModel(env, storyboard, null);
        stage.setScene(new Scene(new EditorView(model).root(), 1280, 800));
        stage.show();
    }

    @AfterEach
    void close() {
        service.close();
    }

    private Shot shot(String id) {
        return model.storyboard().shot(id).orElseThrow();
    }

    private TextField lengthField(FxRobot robot) {
        return robot.lookup("#inspector-duration").queryAs(Spinner.class).getEditor();
    }

    private void replaceText(FxRobot robot, TextField field, String text) {
        robot.clickOn(field);
        robot.interact(field::selectAll);
        robot.write(text);
    }

    @Test
    void lengthIsBoundedAsYouType(FxRobot robot) {
        TextField field = lengthField(robot);
        replaceText(robot, field, "9999");
        assertThat(field.getText()).as("60 s at 8 fps").isEqualTo("480");
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(shot("a").durationFrames()).isEqualTo(480);
        replaceText(robot, field, "12x");
        assertThat(field.getText()).as("letters are not typed").isEqualTo("12");
    }

    @Test
    void aSeedThatIsNotANumberSaysSoInsteadOfRevertingSilently(FxRobot robot) {
        TextField seed = robot.lookup("#inspector-seed").queryAs(TextField.class);
        replaceText(robot, seed, "abc");
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(shot("a").seed()).isEqualTo(1);
        assertThat(model.noticeProperty().get()).isNotNull();
        assertThat(model.noticeProperty().get().text()).contains("whole number").contains("abc");
    }

    @Test
    void ctrlZInTheLengthFieldUndoesTheLengthThatWasTyped(FxRobot robot) {
        TextField field = lengthField(robot);
        replaceText(robot, field, "24");
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(shot("a").durationFrames()).isEqualTo(24);
        robot.press(KeyCode.CONTROL).press(KeyCode.Z).release(KeyCode.Z).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(shot("a").durationFrames()).isEqualTo(16);
        assertThat(field.getText()).isEqualTo("16");
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).press(KeyCode.Z).release(KeyCode.Z).release(KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(shot("a").durationFrames()).isEqualTo(24);
    }

    @Test
    void aClickOnThePreviewTakesTheKeyboardFromThePromptSoSpacePlays(FxRobot robot) {
        robot.clickOn("#inspector-prompt");
        robot.write(" quickly");
        assertThat(stage.getScene().getFocusOwner()).isInstanceOf(TextInputControl.class);
        robot.clickOn("#preview");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(stage.getScene().getFocusOwner()).isNotInstanceOf(TextInputControl.class);
        assertThat(shot("a").prompt()).as("the typed prompt was applied").endsWith("quickly");
        robot.type(KeyCode.SPACE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model.playback().isPlaying()).isTrue();
        assertThat(shot("a").prompt()).doesNotEndWith(" ");
    }
}
