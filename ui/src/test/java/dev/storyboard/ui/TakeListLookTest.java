package dev.storyboard.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.domain.Take;
import dev.storyboard.ui.command.TimelineFixtures;
import dev.storyboard.ui.fake.FakeGenerationService;
import dev.storyboard.ui.fake.TestWindows;
import javafx.css.PseudoClass;
import javafx.scene.Scene;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Issue 19, item 6: the active take and the selected take did not look different (both orange). */
@ExtendWith(ApplicationExtension.class)
class TakeListLookTest {
    private EditorViewModel model;
    private FakeGenerationService service;

    @Start
    void start(Stage stage) {
        service = FakeGenerationService.manual();
        EditorEnvironment env = TestWindows.environment(service, stage);
        model = new EditorViewModel(env, TimelineFixtures.threeShots(), null);
        stage.setScene(new Scene(new EditorView(model).root(), 1200, 760));
        stage.show();
    }

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void theSelectedTakeDoesNotLookLikeTheActiveOne(FxRobot robot) {
        robot.interact(() -> model.select("c")); // takes c-t1, c-t2 (active)
        @SuppressWarnings("unchecked")
        ListView<Take> list = robot.lookup(".list-view").match(n -> n instanceof ListView<?> l && !l.getItems().isEmpty()
                && l.getItems().get(0) instanceof Take).queryAs(ListView.class);
        robot.interact(() -> list.getSelectionModel().select(0)); // c-t1, not the active one
        WaitForAsyncUtils.waitForFxEvents();
        ListCell<?> selected = robot.from(list).lookup(".list-cell").match(n -> n instanceof ListCell<?> c && c.getIndex() == 0)
                .queryAs(ListCell.class);
        ListCell<?> active = robot.from(list).lookup(".list-cell").match(n -> n instanceof ListCell<?> c && c.getIndex() == 1)
                .queryAs(ListCell.class);
        assertThat(active.getPseudoClassStates()).contains(PseudoClass.getPseudoClass("active-take"));
        assertThat(selected.getPseudoClassStates()).doesNotContain(PseudoClass.getPseudoClass("active-take"));
        Color fill = (Color) selected.getBackground().getFills().get(0).getFill();
        double accentHue = Color.web("#e0a040").getHue();
        assertThat(Math.abs(fill.getHue() - accentHue)).as("the selected row is not accent-coloured").isGreaterThan(60);
    }
}
