package dev.storyboard.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.quality.QualityFlag;
import dev.storyboard.ui.concurrent.Background;
import dev.storyboard.ui.concurrent.UiThread;
import dev.storyboard.ui.fake.FakeGenerationService;
import dev.storyboard.ui.fake.TestDialogs;
import dev.storyboard.ui.timeline.ShotCard;
import java.util.List;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Issue 21, item 4: what the live chunk check finds shows on the shot card, with where and what. */
@ExtendWith(ApplicationExtension.class)
class QualityMarkViewTest {
    private EditorViewModel model;
    private FakeGenerationService service;

    @Start
    void start(Stage stage) {
        Storyboard storyboard = new Storyboard("Test scene", "", 8, 64, 64, List.of(
                Shot.planned("a", "a red ball bounces in a meadow", 16, CameraMove.STATIC, ShotSize.WIDE, 1),
                Shot.planned("b", "the red ball rolls left", 16, CameraMove.PAN_LEFT, ShotSize.MEDIUM, 2)));
        service = FakeGenerationService.manual().chunkFrames(4);
        EditorEnvironment env = new EditorEnvironment(service, UiThread.fx(), Background.sameThread(),
                new TestDialogs(() -> stage), null, null, null, () -> 7)
                .withChunkCheck((frames, chunkStart, fps) -> chunkStart == 8
                        ? List.of(new QualityFlag("seam", chunkStart, "the new chunk jumps from the last one"))
                        : List.of());
        model = new EditorViewModel(env, storyboard, null);
        stage.setScene(new Scene(new EditorView(model).root(), 1200, 760));
        stage.show();
    }

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void aFlaggedChunkMarksItsShotCardWithWhatAndWhere(FxRobot robot) {
        robot.interact(() -> model.generate(List.of("a")));
        service.runAll();
        WaitForAsyncUtils.waitForFxEvents();
        ShotCard a = robot.lookup("#shot-card-a").queryAs(ShotCard.class);
        ShotCard b = robot.lookup("#shot-card-b").queryAs(ShotCard.class);
        assertThat(a.qualityMark()).startsWith("\u26A0 seam").contains("Frame 8 (1.0 s): seam")
                .contains("the new chunk jumps from the last one");
        assertThat(b.qualityMark()).isEmpty();
        assertThat(robot.lookup("#shot-check-a").query().isVisible()).isTrue();
        assertThat(robot.lookup("#shot-check-b").query().isVisible()).isFalse();
    }
}
