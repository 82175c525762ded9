package dev.storyboard.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.ui.command.TimelineFixtures;
import dev.storyboard.ui.fake.FakeGenerationService;
import dev.storyboard.ui.fake.TestWindows;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Issue 19, item 6: at 1920×1080 the timeline filled a quarter of its width until Fit. Monocle's screen is 1280×800,
 * so the test has a short scene (48 frames, 576 px at the default zoom) in a 1280 px window instead.
 */
@ExtendWith(ApplicationExtension.class)
class WideWindowTest {
    private FakeGenerationService service;
    private EditorViewModel model;
    private EditorView view;

    @Start
    void start(Stage stage) {
        service = FakeGenerationService.manual();
        EditorEnvironment env = TestWindows.environment(service, stage, TimelineFixtures::threeShots);
        model = new EditorViewModel(env, TimelineFixtures.threeShots(), null);
        view = new EditorView(model);
        stage.setScene(new Scene(view.root(), 1280, 800));
        stage.show();
    }

    @AfterEach
    void close() {
        service.close();
    }

    private double sceneWidth() {
        return model.storyboard().totalFrames() * model.pixelsPerFrameProperty().get();
    }

    @Test
    void aShortSceneFillsTheTimelineOnFirstLayoutAndWhenAProjectOpens(FxRobot robot) {
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(sceneWidth()).as("the scene spans the timeline").isGreaterThan(view.timeline().getWidth() * 0.9);
        robot.interact(() -> model.zoomToFit(200)); // the creator zooms out
        assertThat(sceneWidth()).isLessThan(300);
        robot.interact(() -> {
            model.newProject();
            model.openSample();
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(sceneWidth()).as("an opened project fills it again").isGreaterThan(view.timeline().getWidth() * 0.9);
    }

    @Test
    void aLongSceneKeepsItsZoomAndScrolls(FxRobot robot) {
        robot.interact(() -> {
            model.zoomToFit(600); // 12.5 px per frame
            for (int i = 0; i < 6; i++) {
                model.addShot("more " + i); // 6 × 16 frames more: 144 frames, 1800 px
            }
        });
        double before = model.pixelsPerFrameProperty().get();
        robot.interact(view::widenToFit);
        assertThat(model.pixelsPerFrameProperty().get()).isEqualTo(before);
    }
}
