package dev.storyboard.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.ui.command.TimelineFixtures;
import dev.storyboard.ui.fake.FakeGenerationService;
import dev.storyboard.ui.fake.TestWindows;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Issue 19, item 6: at 1280×720 the takes list was below the fold of the inspector. */
@ExtendWith(ApplicationExtension.class)
class ShortWindowTest {
    private FakeGenerationService service;
    private EditorView view;

    @Start
    void start(Stage stage) {
        service = FakeGenerationService.manual();
        EditorEnvironment env = TestWindows.environment(service, stage);
        EditorViewModel model = new EditorViewModel(env, TimelineFixtures.threeShots(), null);
        model.select("c"); // two takes
        view = new EditorView(model);
        stage.setScene(new Scene(view.root(), 1280, 720));
        stage.show();
    }

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void theTakesListStartsInsideTheInspectorsVisibleArea(FxRobot robot) {
        Node takes = robot.lookup("#inspector-takes").query();
        Bounds list = takes.localToScene(takes.getBoundsInLocal());
        Bounds visible = view.inspector().localToScene(view.inspector().getBoundsInLocal());
        assertThat(list.getMinY() + 60).as("the heading and the first two takes show without scrolling")
                .isLessThanOrEqualTo(visible.getMaxY());
        assertThat(view.timeline().getHeight()).as("the timeline keeps room for its cards").isGreaterThan(120);
    }
}
