package dev.storyboard.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.generation.GenerationRequest;
import dev.storyboard.ui.command.TimelineFixtures;
import dev.storyboard.ui.concurrent.Background;
import dev.storyboard.ui.concurrent.UiThread;
import dev.storyboard.ui.fake.FakeGenerationService;
import dev.storyboard.ui.fake.SilentDialogs;
import dev.storyboard.ui.project.RecoveryStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, bug 4: a shot is stale when its active take was generated from something else than what the
 * storyboard says now (its own prompt, camera, framing; the scene prompt; the earlier shots and their takes).
 * Fixture: a (take a-t1), b (no take), c (takes c-t1, c-t2 active).
 */
class StalenessTest {
    @TempDir Path dir;
    private FakeGenerationService service;
    private EditorViewModel vm;

    @BeforeEach
    void setUp() {
        service = FakeGenerationService.manual();
        Random random = new Random(5);
        EditorEnvironment env = new EditorEnvironment(service, UiThread.direct(), Background.sameThread(), new SilentDialogs(),
                null, new RecoveryStore(dir.resolve("recovery"), "s1"), null, () -> 100 + random.nextInt(1000));
        vm = new EditorViewModel(env, TimelineFixtures.threeShots(), null);
    }

    @Test
    void aProjectAsOpenedIsFresh() {
        assertThat(vm.staleShots()).isEmpty();
    }

    @Test
    void changingAShotsOwnPromptCameraOrFramingMarksItsTakeOutOfDateAndUndoMakesItFreshAgain() {
        vm.setPrompt("c", "the ball flies away");
        assertThat(vm.staleShots()).containsExactly("c");
        vm.undo();
        assertThat(vm.staleShots()).isEmpty();

        vm.setCamera("c", CameraMove.PAN_RIGHT);
        assertThat(vm.staleShots()).containsExactly("c");
        vm.undo();
        vm.setShotSize("c", ShotSize.WIDE);
        assertThat(vm.staleShots()).containsExactly("c");
        vm.undo();
        assertThat(vm.staleShots()).isEmpty();

        vm.setPrompt("a", "a blue ball bounces");
        assertThat(vm.staleShots()).as("shot 3 was generated with shot 1 as context").containsExactly("a", "c");
    }

    @Test
    void undoingAnExtensionBackToItsFramesLeavesNothingStale() {
        vm.resizeShot("a", 24);
        service.runAll();
        assertThat(vm.staleShots()).containsExactly("c");
        assertThat(vm.noticeProperty().get().text()).contains("Shot 3 may no longer match");
        vm.undo();
        assertThat(vm.staleShots()).isEmpty();
        assertThat(vm.noticeProperty().get()).as("the offer to regenerate went with the staleness").isNull();
        vm.redo();
        assertThat(vm.staleShots()).containsExactly("c");
    }

    @Test
    void reorderingMarksTheShotsWhoseContextChanged() {
        vm.moveShots(List.of("c"), 0);
        assertThat(vm.staleShots()).containsExactlyInAnyOrder("a", "c");
        vm.undo();
        assertThat(vm.staleShots()).isEmpty();
        vm.moveShots(List.of("b"), 3); // b has no take: nobody's context changed
        assertThat(vm.staleShots()).isEmpty();
    }

    @Test
    void keepAcceptsTheLaterShotsAsTheyAreAndRegenerateRefreshesThem() {
        vm.resizeShot("a", 24);
        service.runAll();
        vm.noticeProperty().get().actions().get(1).action().run(); // Keep
        assertThat(vm.staleShots()).isEmpty();
        assertThat(vm.noticeProperty().get()).isNull();
        vm.undo();
        assertThat(vm.staleShots()).isEmpty();

        vm.setPrompt("c", "the ball flies away");
        vm.regenerateStale();
        service.runAll();
        assertThat(vm.staleShots()).isEmpty();
        assertThat(vm.storyboard().shot("c").orElseThrow().takes()).hasSize(3);
    }

    @Test
    void aTakeThatArrivesAfterItsShotWasEditedIsStaleAtOnce() {
        vm.select("b");
        vm.generateSelection();
        vm.setPrompt("b", "the red ball rolls right");
        service.runAll();
        assertThat(vm.staleShots()).contains("b");
    }

    @Test
    void renamingTheSceneMarksNothingStale() {
        Storyboard sb = vm.storyboard();
        assertThat(sb.shots()).hasSize(3);
        vm.setTitle("Renamed");
        assertThat(vm.staleShots()).as("the title is not something a take is generated from").isEmpty();
    }

    @Test
    void generatingSeveralShotsAtOnceUsesEachNewTakeAsContextSoNothingIsStaleAfterwards() {
        vm.setPrompt("b", "the red ball rolls right");
        vm.selectAll();
        vm.generateSelection();
        service.runAll();
        assertThat(service.requests()).extracting(GenerationRequest::shotId).containsExactly("a", "b", "c");
        String newTakeOfA = vm.storyboard().shot("a").orElseThrow().activeTakeId();
        assertThat(service.requests().get(1).storyboard().shot("a").orElseThrow().activeTakeId())
                .as("shot 2 was generated after shot 1's new take, with it").isEqualTo(newTakeOfA);
        assertThat(vm.staleShots()).isEmpty();
        assertThat(vm.commands().undoHistory()).containsExactly("Change prompt of Shot 2", "Generate takes of 3 shots");
    }
}
