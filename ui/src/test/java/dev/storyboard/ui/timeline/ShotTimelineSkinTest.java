package dev.storyboard.ui.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.generation.FrameChunk;
import dev.storyboard.domain.generation.GenerationRequest;
import dev.storyboard.domain.generation.JobOutcome;
import dev.storyboard.domain.quality.ChunkCheck;
import dev.storyboard.ui.command.TimelineFixtures;
import dev.storyboard.ui.concurrent.Background;
import dev.storyboard.ui.concurrent.UiThread;
import dev.storyboard.ui.fake.FakeGenerationService;
import dev.storyboard.ui.generation.FrameCache;
import dev.storyboard.ui.generation.GenerationController;
import dev.storyboard.ui.generation.JobEntry;
import dev.storyboard.ui.generation.QualityMarks;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableSet;
import javafx.scene.Scene;
import javafx.scene.control.SkinBase;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * ShotTimeline is a Control fed by properties; its skin removes every listener it adds. The properties, lists and
 * caches here outlive the skin (as the view model's do in the editor): once the skin is replaced, nothing of it
 * may stay reachable from them.
 */
@ExtendWith(ApplicationExtension.class)
class ShotTimelineSkinTest {
    private final FakeGenerationService service = FakeGenerationService.manual();
    private final SimpleObjectProperty<Storyboard> storyboard = new SimpleObjectProperty<>(TimelineFixtures.threeShots());
    private final SimpleDoubleProperty zoom = new SimpleDoubleProperty(12);
    private final SimpleIntegerProperty playhead = new SimpleIntegerProperty();
    private final SimpleBooleanProperty playing = new SimpleBooleanProperty();
    private final ObservableSet<String> selection = FXCollections.observableSet(new LinkedHashSet<>());
    private final ObservableSet<String> stale = FXCollections.observableSet(new LinkedHashSet<>());
    private final FrameCache frames = new FrameCache();
    private final QualityMarks marks = new QualityMarks(ChunkCheck.NONE, Background.sameThread());
    private ObservableList<JobEntry> jobs;
    private ShotTimeline timeline;
    private final List<ShotTimelineEvent> events = new ArrayList<>();

    @Start
    void start(Stage stage) {
        GenerationController generation = new GenerationController(service, UiThread.direct(),
                new GenerationController.Callbacks() {
                    @Override
                    public void chunkArrived(JobEntry entry, FrameChunk chunk) {
                    }

                    @Override
                    public void jobFinished(JobEntry entry, JobOutcome outcome) {
                    }
                });
        generation.submit(GenerationRequest.newTake(storyboard.get(), "b"), "Shot 2", 0); // a running job: a card listens to it
        jobs = generation.jobs();
        timeline = new ShotTimeline(storyboard.get(), frames, marks);
        timeline.storyboardProperty().bind(storyboard);
        timeline.pixelsPerFrameProperty().bind(zoom);
        timeline.playheadProperty().bind(playhead);
        timeline.playingProperty().bind(playing);
        timeline.selectionProperty().set(selection);
        timeline.staleShotsProperty().set(stale);
        timeline.jobsProperty().set(jobs);
        timeline.addEventHandler(ShotTimelineEvent.ANY, events::add);
        stage.setScene(new Scene(new StackPane(timeline), 900, 240));
        stage.show();
    }

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void theSkinShowsTheControlsPropertiesAndReportsGesturesAsEvents(FxRobot robot) {
        robot.interact(() -> selection.add("b"));
        assertThat(timeline.card("b").orElseThrow().getPseudoClassStates().toString()).contains("selected");
        robot.interact(() -> playhead.set(10));
        assertThat(timeline.playheadX()).isEqualTo(ShotTimelineSkin.PAD + 10 * 12);
        robot.clickOn("#shot-card-a");
        assertThat(events).extracting(ShotTimelineEvent::getEventType).containsExactly(ShotTimelineEvent.SELECT);
        assertThat(events.get(0).shotId()).isEqualTo("a");
        assertThat(selection).containsExactly("b"); // the control asks; its owner decides
    }

    @Test
    void disposeRemovesEveryListenerSoNothingKeepsTheSkin(FxRobot robot) throws InterruptedException {
        List<WeakReference<ShotTimelineSkin>> refs = new ArrayList<>();
        robot.interact(() -> {
            ShotTimelineSkin skin = (ShotTimelineSkin) timeline.getSkin();
            assertThat(skin.listenersHeld()).isGreaterThan(8);
            timeline.setSkin(new SkinBase<>(timeline) { }); // the old skin is disposed
            assertThat(skin.listenersHeld()).isZero();
            refs.add(new WeakReference<>(skin));
            // the owner lets go of the control (JavaFX's Parent keeps stale references to removed children until its
            // bounds are computed again, so the control itself may still point at the old skin's nodes)
            timeline.storyboardProperty().unbind();
            timeline.pixelsPerFrameProperty().unbind();
            timeline.playheadProperty().unbind();
            timeline.playingProperty().unbind();
            timeline.selectionProperty().set(null);
            timeline.staleShotsProperty().set(null);
            timeline.jobsProperty().set(null);
            timeline.getScene().setRoot(new StackPane());
            timeline = null;
        });
        WeakReference<ShotTimelineSkin> ref = refs.get(0);
        // the state the skin listened to changes: a listener left behind would run (and keep the skin)
        robot.interact(() -> {
            storyboard.set(TimelineFixtures.threeShots().withShots(List.of(TimelineFixtures.threeShots().shots().get(0))));
            zoom.set(20);
            playhead.set(3);
            selection.add("a");
            stale.add("a");
            jobs.remove(0);
        });
        WaitForAsyncUtils.waitForFxEvents();
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(ref.get()).as("the disposed skin is still reachable from the state it showed").isNull();
    }
}
