package dev.storyboard.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.generation.EngineStatus;
import dev.storyboard.ui.fake.FakeGenerationService;
import dev.storyboard.ui.fake.TestWindows;
import dev.storyboard.ui.notice.Notice;
import dev.storyboard.ui.timeline.ShotCard;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.assertj.core.data.Offset;
import org.controlsfx.control.NotificationPane;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class EditorViewTest {
    private EditorViewModel model;
    private FakeGenerationService service;

    @Start
    void start(Stage stage) {
        Storyboard storyboard = new Storyboard("Test scene", "", 8, 64, 64, List.of(
                Shot.planned("a", "a red ball bounces in a meadow", 16, CameraMove.STATIC, ShotSize.WIDE, 1),
                Shot.planned("b", "the red ball rolls left", 24, CameraMove.PAN_LEFT, ShotSize.MEDIUM, 2),
                Shot.planned("c", "close on the red ball", 8, CameraMove.ZOOM_IN, ShotSize.CLOSE_UP, 3)));
        service = FakeGenerationService.manual();
        service.setReady(false);
        EditorEnvironment env = TestWindows.environment(service, stage);
        model = new EditorViewModel(env, storyboard, null);
        stage.setScene(new Scene(new EditorView(model).root(), 1200, 760));
        stage.show();
    }

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void windowShowsTimelineWithOneCardPerShotAndAPreview(FxRobot robot) {
        assertThat(robot.lookup("#timeline").tryQuery()).isPresent();
        assertThat(robot.lookup("#preview").tryQuery()).isPresent();
        assertThat(robot.lookup("." + ShotCard.STYLE_CLASS).queryAll()).hasSize(3);
        assertThat(robot.lookup("#shot-card-b").queryAs(ShotCard.class).shot().prompt()).isEqualTo("the red ball rolls left");
        assertThat(robot.lookup("#empty-state").query().isVisible()).isFalse();
    }

    @Test
    void cardWidthFollowsDuration(FxRobot robot) {
        double wide = robot.lookup("#shot-card-b").queryAs(ShotCard.class).getWidth() + 3;
        double narrow = robot.lookup("#shot-card-a").queryAs(ShotCard.class).getWidth() + 3;
        assertThat(wide / narrow).isCloseTo(24.0 / 16.0, Offset.offset(0.01));
    }

    @Test
    void clickingACardSelectsItsShotInTheInspector(FxRobot robot) {
        robot.clickOn("#shot-card-c");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model.selectedShotProperty().get().id()).isEqualTo("c");
        assertThat(robot.lookup("#inspector-prompt").queryAs(TextArea.class).getText()).isEqualTo("close on the red ball");
    }

    @Test
    void ctrlClickAndShiftClickSelectSeveralShots(FxRobot robot) {
        robot.clickOn("#shot-card-a");
        robot.press(KeyCode.CONTROL).clickOn("#shot-card-c").release(KeyCode.CONTROL);
        assertThat(model.selectedIdsInOrder()).containsExactly("a", "c");
        robot.clickOn("#shot-card-a");
        robot.press(KeyCode.SHIFT).clickOn("#shot-card-c").release(KeyCode.SHIFT);
        assertThat(model.selectedIdsInOrder()).containsExactly("a", "b", "c");
    }

    @Test
    void generateIsDisabledUntilTheEngineIsReadyAndStatusIsShown(FxRobot robot) {
        assertThat(robot.lookup("#generate-button").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(robot.lookup("#engine-status").queryAs(Label.class).getText()).contains("not ready");
        robot.interact(() -> model.updateEngineStatus(new EngineStatus(true, "cpu()", "storydit-S", "Ready")));
        assertThat(robot.lookup("#generate-button").queryAs(Button.class).isDisabled()).isFalse();
        assertThat(robot.lookup("#engine-status").queryAs(Label.class).getText()).contains("Ready").contains("cpu()");
    }

    @Test
    void keyboardStepsThePlayheadAndPlaysAtTheSceneFps(FxRobot robot) {
        robot.clickOn("#shot-card-a");
        robot.type(KeyCode.RIGHT, 3);
        assertThat(model.playheadProperty().get()).isEqualTo(3);
        robot.press(KeyCode.SHIFT).type(KeyCode.RIGHT).release(KeyCode.SHIFT);
        assertThat(model.playheadProperty().get()).isEqualTo(11);
        robot.type(KeyCode.END);
        assertThat(model.playheadProperty().get()).isEqualTo(47);
        robot.type(KeyCode.HOME);
        long before = System.nanoTime();
        robot.type(KeyCode.SPACE);
        assertThat(model.playback().isPlaying()).isTrue();
        // waits for what it checks (no fixed sleep: a loaded machine only makes this slower, never wrong)
        try {
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> model.playheadProperty().get() >= 2);
        } catch (TimeoutException e) {
            throw new AssertionError("playback did not advance 2 frames in 30 s", e);
        }
        robot.type(KeyCode.SPACE);
        double seconds = (System.nanoTime() - before) / 1e9;
        assertThat(model.playback().isPlaying()).isFalse();
        // at the scene's 8 fps the playhead can be no further than 8 frames per second that passed (+1 rounding);
        // the rate itself is PlaybackTest's, with a fake clock
        assertThat(model.playheadProperty().get()).isBetween(2, (int) Math.ceil(8 * seconds) + 1);
    }

    @Test
    void clickingTheRulerMovesThePlayheadSnappedToFrames(FxRobot robot) {
        var ruler = robot.lookup("#timeline-ruler").query();
        var origin = ruler.localToScreen(0, 0);
        double ppf = model.pixelsPerFrameProperty().get(); // the short scene was widened to fit the window
        robot.clickOn(origin.getX() + 8 + 10 * ppf + ppf / 2, origin.getY() + 12); // inside frame 10
        assertThat(model.playheadProperty().get()).isEqualTo(10);
        robot.press(KeyCode.SHIFT).clickOn(origin.getX() + 8 + 13 * ppf + 2, origin.getY() + 12).release(KeyCode.SHIFT);
        assertThat(model.playheadProperty().get()).isEqualTo(16); // snapped to the nearest second
    }

    @Test
    void deleteKeyAndUndoRestoreTheShot(FxRobot robot) {
        robot.clickOn("#shot-card-b");
        robot.type(KeyCode.DELETE);
        assertThat(model.storyboard().shots()).extracting(Shot::id).containsExactly("a", "c");
        robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
        assertThat(model.storyboard().shots()).extracting(Shot::id).containsExactly("a", "b", "c");
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.Z).release(KeyCode.SHIFT, KeyCode.CONTROL);
        assertThat(model.storyboard().shots()).extracting(Shot::id).containsExactly("a", "c");
        robot.press(KeyCode.CONTROL).type(KeyCode.D).release(KeyCode.CONTROL); // duplicates the selected shot
        assertThat(model.storyboard().shots()).hasSize(3);
    }

    @Test
    void inspectorEditsAreUndoableCommands(FxRobot robot) {
        robot.clickOn("#shot-card-b");
        robot.clickOn("#size-close_up");
        assertThat(model.storyboard().shot("b").orElseThrow().shotSize()).isEqualTo(ShotSize.CLOSE_UP);
        robot.clickOn("#inspector-camera").clickOn("the camera zooms out");
        assertThat(model.storyboard().shot("b").orElseThrow().camera()).isEqualTo(CameraMove.ZOOM_OUT);
        long seed = model.storyboard().shot("b").orElseThrow().seed();
        robot.clickOn("#seed-reroll");
        assertThat(model.storyboard().shot("b").orElseThrow().seed()).isNotEqualTo(seed);
        robot.doubleClickOn("#inspector-seed").write("4242").type(KeyCode.ENTER);
        assertThat(model.storyboard().shot("b").orElseThrow().seed()).isEqualTo(4242);
        assertThat(model.commands().undoHistory()).containsExactly("Set framing of Shot 2 to close-up",
                "Set camera of Shot 2 to the camera zooms out", "Set seed of Shot 2", "Set seed of Shot 2");
        robot.clickOn("#undo-button").clickOn("#undo-button").clickOn("#undo-button").clickOn("#undo-button");
        assertThat(model.storyboard().shot("b").orElseThrow()).isEqualTo(
                Shot.planned("b", "the red ball rolls left", 24, CameraMove.PAN_LEFT, ShotSize.MEDIUM, 2));
    }

    @Test
    void dragACardToReorder(FxRobot robot) {
        ShotCard c = robot.lookup("#shot-card-c").queryAs(ShotCard.class);
        ShotCard a = robot.lookup("#shot-card-a").queryAs(ShotCard.class);
        var from = c.localToScreen(c.getWidth() / 2 - 10, 70);
        var to = a.localToScreen(4, 70);
        robot.drag(from.getX(), from.getY()).dropTo(to.getX(), to.getY());
        assertThat(model.storyboard().shots()).extracting(Shot::id).containsExactly("c", "a", "b");
        assertThat(model.commands().undoHistory()).containsExactly("Move Shot 3");
    }

    @Test
    void theNoticesCloseButtonClosesIt(FxRobot robot) throws Exception {
        robot.interact(() -> model.showNotice(Notice.info("Shot 1 has new frames: Shot 3 may no longer match.")));
        NotificationPane pane =
                robot.lookup("#notifications").queryAs(NotificationPane.class);
        javafx.scene.Node close = robot.lookup("#notifications .close-button").query();
        // wait until the bar has slid in and stands still (no fixed sleep: load only makes it slower)
        double[] last = {Double.NaN};
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> {
            double y = close.localToScene(0, 0).getY();
            boolean still = pane.isShowing() && close.isVisible() && y == last[0];
            last[0] = y;
            if (!still) {
                Thread.sleep(50);
            }
            return still;
        });
        robot.clickOn(close);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
                () -> model.noticeProperty().get() == null && !pane.isShowing());
        assertThat(model.noticeProperty().get()).as("the notice is gone from the model too").isNull();
        assertThat(pane.isShowing()).isFalse();
    }

    @Test
    void theDisabledExportButtonSaysWhichShotsHaveNoFrames(FxRobot robot) {
        assertThat(robot.lookup("#export-button").query().isDisabled()).isTrue();
        javafx.scene.Node holder = robot.lookup("#export-holder").query();
        javafx.scene.control.Tooltip tip = (javafx.scene.control.Tooltip) holder.getProperties().get("javafx.scene.control.Tooltip");
        assertThat(tip).as("installed on the wrapper, which gets mouse events").isNotNull();
        assertThat(tip.getText()).isEqualTo("Shots 1, 2, 3 have no generated frames covering their length. "
                + "Generate them first (Shot ▸ Generate missing shots).");
    }

    @Test
    void menuAndStatusTextsReadAsWords(FxRobot robot) {
        robot.interact(() -> {
            model.select("a");
            model.toggleSelection("b");
            model.deleteSelection();
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup(".status-bar .label").queryAllAs(Label.class)).extracting(Label::getText)
                .anyMatch(t -> t.startsWith("1 shot · "));
        javafx.scene.control.MenuBar bar = robot.lookup("#menu-bar").queryAs(javafx.scene.control.MenuBar.class);
        List<javafx.scene.control.MenuItem> items = bar.getMenus().stream().flatMap(m -> m.getItems().stream()).toList();
        assertThat(items).extracting(javafx.scene.control.MenuItem::getText).filteredOn(Objects::nonNull)
                .noneMatch(t -> t.contains("\t")).contains("Loop playback (L)", "Generate _missing shots");
        assertThat(items).filteredOn(i -> "Fit scene".equals(i.getText())).singleElement()
                .satisfies(i -> assertThat(i.getAccelerator().getDisplayText()).doesNotContain("DIGIT").endsWith("0"));
    }

    @Test
    void theInspectorHeadingFollowsAReorderAndShowsNoInternalIds(FxRobot robot) {
        robot.interact(() -> {
            model.select("c");
            model.moveShots(List.of("c"), 0);
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#inspector-heading").queryAs(Label.class).getText()).isEqualTo("Shot 1");
    }

    @Test
    void afterNewTheDisabledInspectorShowsNothingOfThePreviousProject(FxRobot robot) {
        robot.interact(() -> model.newProject());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#inspector-heading").queryAs(Label.class).getText()).isEqualTo("No shot selected");
        assertThat(robot.lookup("#inspector-seed").queryAs(javafx.scene.control.TextField.class).getText()).isEmpty();
        assertThat(robot.lookup("#inspector-duration").queryAs(javafx.scene.control.Spinner.class).getEditor().getText()).isEmpty();
        assertThat(robot.lookup("#inspector-camera").queryAs(javafx.scene.control.ComboBox.class).getValue()).isNull();
    }

    @Test
    void theInspectorSaysWhatTheStatusBarSaysWhenTheEngineBecomesReady(FxRobot robot) {
        Label text = robot.lookup("#inspector-progress-text").queryAs(Label.class);
        assertThat(text.getText()).isEqualTo("Engine not ready (fake)");
        robot.interact(() -> {
            service.setReady(true);
            model.updateEngineStatus(service.status());
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(text.getText()).as("no stale 'loading' message once the status bar says ready").isEmpty();
    }

    @Test
    void aLockedSeedTurnsGenerateIntoRepeat(FxRobot robot) {
        Button generate = robot.lookup("#inspector-generate").queryAs(Button.class);
        assertThat(generate.getText()).isEqualTo("Generate take");
        robot.clickOn("#seed-lock");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(generate.getText()).isEqualTo("Repeat take (same seed)");
        assertThat(model.isSeedLocked("a")).isTrue();
    }
}
