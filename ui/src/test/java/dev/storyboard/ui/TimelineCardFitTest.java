package dev.storyboard.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.domain.Shot;
import dev.storyboard.ui.command.TimelineFixtures;
import dev.storyboard.ui.fake.FakeGenerationService;
import dev.storyboard.ui.fake.TestWindows;
import java.util.List;
import javafx.geometry.Bounds;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollBar;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * At 1280×720 the timeline is short (the inspector keeps its height for the takes list): the cards' meta line
 * (camera, framing, seed) was cut off at the bottom of the card, just above the timeline's horizontal scroll bar,
 * and the prompt above it had no height left at all. A short card now gives up thumbnail height, never text.
 */
@ExtendWith(ApplicationExtension.class)
class TimelineCardFitTest {
    private FakeGenerationService service;
    private EditorViewModel model;
    private EditorView view;

    @Start
    void start(Stage stage) {
        service = FakeGenerationService.manual();
        EditorEnvironment env = TestWindows.environment(service, stage);
        model = new EditorViewModel(env, TimelineFixtures.threeShots(), null);
        view = new EditorView(model);
        stage.setScene(new Scene(view.root(), 1280, 720));
        stage.show();
    }

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void everyCardShowsItsPromptAndItsWholeMetaLineAboveTheScrollBar(FxRobot robot) {
        WaitForAsyncUtils.waitForFxEvents();
        assertEveryCardShowsItsPromptAndMetaLine(robot);
    }

    /**
     * A card narrower than its meta text (shot c: 8 frames): the status gives way, and the meta line ends in "…"
     * ("...") inside the card instead of running under the card's edge, cut mid-letter.
     */
    @Test
    void aNarrowCardsMetaLineEndsInAnEllipsisInsideTheCard(FxRobot robot) {
        robot.interact(() -> {
            model.pixelsPerFrameProperty().set(12);           // zoomed out: 8 frames are 96 px
            model.generate(List.of("c"));                     // a status text too: "queued"
        });
        WaitForAsyncUtils.waitForFxEvents();
        Bounds card = sceneBounds(view.timeline().card("c").orElseThrow());
        Label meta = robot.lookup("#shot-meta-c").queryAs(Label.class);
        Text shown = (Text) meta.lookup(".text");
        assertThat(meta.prefWidth(-1)).as("the fixture's card is narrower than its meta text")
                .isGreaterThan(card.getWidth());
        assertThat(sceneBounds(meta).getMaxX()).as("the meta line ends inside its card %s", card)
                .isLessThanOrEqualTo(card.getMaxX());
        assertThat(shown.getText()).as("what the meta line shows").endsWith(meta.getEllipsisString())
                .startsWith(meta.getText().substring(0, 3));
        for (String id : List.of("b")) {
            Label wide = robot.lookup("#shot-meta-" + id).queryAs(Label.class);
            assertThat(((Text) wide.lookup(".text")).getText()).as("a wide card's meta line is whole (24 frames)")
                    .isEqualTo(wide.getText());
        }
    }

    /** A running job adds a progress bar to the card: the text still fits (the thumbnails give up the height). */
    @Test
    void theMetaLineStillFitsWhileTheShotsGenerate(FxRobot robot) {
        robot.interact(() -> model.generate(List.of("a"))); // queued: the manual engine runs nothing
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#shot-progress-a").query().isVisible()).as("shot a shows its job").isTrue();
        assertEveryCardShowsItsPromptAndMetaLine(robot);
    }

    private void assertEveryCardShowsItsPromptAndMetaLine(FxRobot robot) {
        ScrollBar bar = robot.lookup(".timeline-scroll .scroll-bar").queryAllAs(ScrollBar.class).stream()
                .filter(b -> b.getOrientation() == Orientation.HORIZONTAL && b.isVisible()).findFirst().orElseThrow();
        double barTop = sceneBounds(bar).getMinY();
        for (Shot shot : model.storyboard().shots()) {
            Bounds card = sceneBounds(view.timeline().card(shot.id()).orElseThrow());
            Bounds meta = sceneBounds(robot.lookup("#shot-meta-" + shot.id()).query());
            Bounds prompt = sceneBounds(robot.lookup("#shot-prompt-" + shot.id()).query());
            assertThat(meta.getHeight()).as("shot %s: the meta line has its height", shot.id()).isGreaterThan(8);
            assertThat(meta.getMaxY()).as("shot %s: the meta line ends inside its card %s", shot.id(), card)
                    .isLessThanOrEqualTo(card.getMaxY());
            assertThat(meta.getMaxY()).as("shot %s: the meta line ends above the scroll bar", shot.id())
                    .isLessThanOrEqualTo(barTop);
            assertThat(prompt.getHeight()).as("shot %s: the prompt shows a line", shot.id())
                    .isGreaterThanOrEqualTo(meta.getHeight());
            assertThat(prompt.getMaxY()).as("shot %s: the prompt ends above the meta line", shot.id())
                    .isLessThanOrEqualTo(meta.getMinY());
        }
    }

    private static Bounds sceneBounds(Node node) {
        return node.localToScene(node.getBoundsInLocal());
    }
}
