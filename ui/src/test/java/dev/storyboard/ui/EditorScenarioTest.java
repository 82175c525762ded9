package dev.storyboard.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.domain.Shot;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.generation.GenerationRequest;
import dev.storyboard.domain.project.ProjectFiles;
import dev.storyboard.ui.concurrent.Background;
import dev.storyboard.ui.concurrent.UiThread;
import dev.storyboard.ui.fake.FakeGenerationService;
import dev.storyboard.ui.fake.TestDialogs;
import dev.storyboard.ui.generation.JobEntry;
import dev.storyboard.ui.timeline.ShotCard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A creator's session, driven through the window (headless Monocle) against the fake engine: create
 * shots, type prompts, generate, drag an edge to extend (exactly one job for exactly the new frames),
 * trim, cancel a drag with Esc, undo, save and reopen, open a corrupted project.
 */
@ExtendWith(ApplicationExtension.class)
class EditorScenarioTest {
    private static final double PPF = EditorViewModel.DEFAULT_ZOOM;
    @TempDir Path dir;
    private EditorViewModel model;
    private FakeGenerationService service;
    private TestDialogs dialogs;

    @Start
    void start(Stage stage) {
        service = FakeGenerationService.manual();
        dialogs = new TestDialogs(() -> stage);
        Random random = new Random(11);
        EditorEnvironment env = new EditorEnvironment(service, UiThread.fx(), Background.sameThread(), dialogs,
                null, null, null, () -> 1000 + random.nextInt(1000));
        model = new EditorViewModel(env, Storyboard.empty("My scene", 8, 64, 64), null);
        stage.setScene(new Scene(new EditorView(model).root(), 1200, 760));
        stage.show();
    }

    @AfterEach
    void close() {
        service.close();
    }

    private void runJobs() {
        service.runAll();
        WaitForAsyncUtils.waitForFxEvents();
    }

    private ShotCard card(FxRobot robot, String id) {
        return robot.lookup("#shot-card-" + id).queryAs(ShotCard.class);
    }

    /** Drags the right edge of a shot's card by {@code frames} frames (optionally pressing Esc before release). */
    private void dragEdge(FxRobot robot, String id, int frames, boolean escape) {
        Node edge = robot.lookup("#shot-edge-" + id).query();
        Point2D start = edge.localToScreen(edge.getBoundsInLocal().getWidth() / 2, edge.getBoundsInLocal().getHeight() / 2);
        robot.moveTo(start.getX(), start.getY()).press(MouseButton.PRIMARY);
        robot.moveBy(frames * PPF / 2, 0).moveBy(frames * PPF / 2, 0);
        if (escape) {
            robot.type(KeyCode.ESCAPE);
        }
        robot.release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void typePrompt(FxRobot robot, String text) {
        robot.clickOn("#inspector-prompt").write(text);
        robot.press(KeyCode.CONTROL).type(KeyCode.ENTER).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void createGenerateExtendTrimUndoSaveAndReopen(FxRobot robot) throws Exception {
        // Empty state → first shot; prompt typed in the inspector becomes one undoable edit.
        assertThat(robot.lookup("#empty-state").query().isVisible()).isTrue();
        robot.clickOn("#empty-add-shot");
        typePrompt(robot, "a red ball bounces in a meadow");
        robot.clickOn("#add-shot-button");
        typePrompt(robot, "the red ball rolls left");
        robot.clickOn("#add-shot-button");
        typePrompt(robot, "close on the red ball");
        List<Shot> shots = model.storyboard().shots();
        assertThat(shots).extracting(Shot::prompt)
                .containsExactly("a red ball bounces in a meadow", "the red ball rolls left", "close on the red ball");
        assertThat(robot.lookup("#empty-state").query().isVisible()).isFalse();
        assertThat(model.commands().undoHistory()).containsExactly("Add shot", "Change prompt of Shot 1", "Add shot",
                "Change prompt of Shot 2", "Add shot", "Change prompt of Shot 3");

        // Generate shot 1: chunks appear in the card's strip and the preview.
        String first = shots.get(0).id();
        robot.clickOn("#shot-card-" + first);
        robot.clickOn("#generate-button");
        assertThat(service.requests()).singleElement().satisfies(r -> {
            assertThat(r.operation()).isEqualTo(GenerationRequest.Operation.GENERATE_TAKE);
            assertThat(r.frames()).isEqualTo(16);
        });
        assertThat(robot.lookup("#shot-progress-" + first).query().isVisible()).isTrue();
        runJobs();
        Shot generated = model.storyboard().shot(first).orElseThrow();
        assertThat(generated.activeTake().orElseThrow().generatedFrames()).isEqualTo(16);
        assertThat(card(robot, first).thumbnailsShown()).isPositive();
        assertThat(robot.lookup("#preview-image").queryAs(javafx.scene.image.ImageView.class).getImage())
                .as("the preview shows the frame under the playhead").isNotNull();

        // Drag the right edge 8 frames longer: exactly one job, for exactly frames 16..23.
        dragEdge(robot, first, 8, false);
        assertThat(model.storyboard().shot(first).orElseThrow().durationFrames()).isEqualTo(24);
        assertThat(service.requests()).hasSize(2);
        GenerationRequest extend = service.requests().get(1);
        assertThat(extend.operation()).isEqualTo(GenerationRequest.Operation.EXTEND_TAKE);
        assertThat(extend.sourceTakeId()).isEqualTo(generated.activeTakeId());
        assertThat(extend.frames()).isEqualTo(8);
        JobEntry job = model.jobs().get(model.jobs().size() - 1);
        assertThat(job.firstFrame()).isEqualTo(16);
        assertThat(job.title()).contains("16–23");
        assertThat(model.commands().undoDescriptionProperty().get()).isEqualTo("Extend Shot 1 to 24 frames");
        runJobs();
        assertThat(model.storyboard().shot(first).orElseThrow().activeTake().orElseThrow().generatedFrames()).isEqualTo(24);
        assertThat(model.frames().frame(generated.activeTakeId(), 23)).isNotNull();

        // Trim 6 frames: no job, the take keeps its 24 frames.
        dragEdge(robot, first, -6, false);
        Shot trimmed = model.storyboard().shot(first).orElseThrow();
        assertThat(trimmed.durationFrames()).isEqualTo(18);
        assertThat(trimmed.activeTake().orElseThrow().generatedFrames()).isEqualTo(24);
        assertThat(service.requests()).hasSize(2);
        assertThat(robot.lookup("#shot-status-" + first).queryAs(Label.class).getText()).contains("trimmed");

        // Esc during a drag: nothing changes, nothing is queued.
        int entries = model.commands().undoHistory().size();
        dragEdge(robot, first, 10, true);
        assertThat(model.storyboard().shot(first).orElseThrow().durationFrames()).isEqualTo(18);
        assertThat(model.commands().undoHistory()).hasSize(entries);
        assertThat(service.requests()).hasSize(2);

        // Undo the trim with Ctrl+Z.
        robot.clickOn("#shot-card-" + first);
        robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
        assertThat(model.storyboard().shot(first).orElseThrow().durationFrames()).isEqualTo(24);

        // Save (Ctrl+S asks for a file the first time), then reopen it.
        Path file = dir.resolve("ball.storyboard");
        dialogs.willSave(file);
        robot.press(KeyCode.CONTROL).type(KeyCode.S).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model.dirtyProperty().get()).isFalse();
        Storyboard saved = model.storyboard();
        assertThat(new ProjectFiles().read(file)).isEqualTo(saved);
        assertThat(dir.resolve("ball.media").resolve(first)).isDirectory();

        robot.clickOn("#add-shot-button"); // a change, then reopen the saved file without saving it
        dialogs.willOpen(file);
        robot.interact(() -> model.openFile(file));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model.storyboard()).isEqualTo(saved);
        assertThat(model.frames().frame(generated.activeTakeId(), 20)).isNotNull(); // media read back
        assertThat(robot.lookup(".shot-card").queryAll()).hasSize(3);
    }

    @Test
    void openingACorruptedProjectShowsWhatIsWrongAndChangesNothing(FxRobot robot) throws Exception {
        robot.clickOn("#empty-add-shot");
        Storyboard before = model.storyboard();
        Path file = dir.resolve("broken.storyboard");
        Files.writeString(file, "{ \"format\": \"storyboard-project/1\", \"storyboard\": { \"title\": \"x\", \"fps\": -3 ");
        byte[] bytes = Files.readAllBytes(file);
        dialogs.willOpen(file);
        robot.press(KeyCode.CONTROL).type(KeyCode.O).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#question-dialog").tryQuery()).as("asks about the unsaved shot").isPresent();
        robot.clickOn("Don't save");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#error-dialog").tryQuery()).isPresent();
        String message = robot.lookup("#error-message").queryAs(Label.class).getText();
        assertThat(message).contains("broken.storyboard");
        assertThat(model.storyboard()).isSameAs(before);
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
        robot.type(KeyCode.ENTER); // closes the dialog
    }

    @Test
    void aRunningExtensionShowsProgressAndCanBeCancelledFromTheQueue(FxRobot robot) throws Exception {
        robot.clickOn("#empty-add-shot");
        typePrompt(robot, "a blue cube spins in the snow");
        robot.clickOn("#generate-button");
        runJobs();
        String id = model.storyboard().shots().get(0).id();
        dragEdge(robot, id, 4, false);
        assertThat(model.jobs().stream().filter(JobEntry::isActive)).hasSize(1);
        robot.clickOn("#queue-tab");
        assertThat(robot.lookup("#queue-list").tryQuery()).isPresent();
        robot.clickOn("#cancel-all-button");
        runJobs();
        assertThat(model.jobs().stream().filter(JobEntry::isActive)).isEmpty();
        assertThat(model.jobs().get(model.jobs().size() - 1).state()).isEqualTo(JobEntry.State.CANCELLED);
        Shot shot = model.storyboard().shot(id).orElseThrow();
        assertThat(shot.activeTake().orElseThrow().generatedFrames()).isEqualTo(16); // unchanged take
        assertThat(shot.durationFrames()).isEqualTo(20); // the length edit stays (undo it to go back)
        WaitForAsyncUtils.sleep(10, TimeUnit.MILLISECONDS);
    }

    @Test
    void promptCompletionOffersTheSceneVocabulary(FxRobot robot) {
        robot.clickOn("#empty-add-shot");
        robot.clickOn("#inspector-prompt").write("a red ball bou");
        WaitForAsyncUtils.waitForFxEvents();
        robot.type(KeyCode.TAB);
        robot.write(" in a mea");
        robot.type(KeyCode.TAB);
        robot.press(KeyCode.CONTROL).type(KeyCode.ENTER).release(KeyCode.CONTROL);
        assertThat(model.selectedShot().prompt()).isEqualTo("a red ball bounces in a meadow");
    }
}
