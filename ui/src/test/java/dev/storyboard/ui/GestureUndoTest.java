package dev.storyboard.ui;

import static dev.storyboard.ui.command.TimelineFixtures.assertConsistent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.domain.Shot;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.generation.GenerationRequest;
import dev.storyboard.ui.command.TimelineFixtures;
import dev.storyboard.ui.concurrent.Background;
import dev.storyboard.ui.concurrent.UiThread;
import dev.storyboard.ui.fake.FakeGenerationService;
import dev.storyboard.ui.fake.SilentDialogs;
import dev.storyboard.ui.generation.JobEntry;
import dev.storyboard.ui.project.RecoveryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, bugs 1–3: one gesture is one undo entry (its generated frames included), undo leaves a take's
 * frames and folder consistent, and "Generate take" does not silently repeat a take.
 */
class GestureUndoTest {
    @TempDir Path dir;
    private FakeGenerationService service;
    private EditorViewModel vm;

    @BeforeEach
    void setUp() {
        service = FakeGenerationService.manual();
        vm = newEditor(TimelineFixtures.threeShots());
    }

    private EditorViewModel newEditor(Storyboard sb) {
        Random random = new Random(7);
        EditorEnvironment env = new EditorEnvironment(service, UiThread.direct(), Background.sameThread(), new SilentDialogs(),
                null, new RecoveryStore(dir.resolve("recovery"), "s1"), null, () -> 100 + random.nextInt(1000));
        return new EditorViewModel(env, sb, null);
    }

    private Shot shot(String id) {
        return vm.storyboard().shot(id).orElseThrow();
    }

    private int takeFrames(String shotId) {
        return shot(shotId).activeTake().orElseThrow().generatedFrames();
    }

    private long framesOnDisk(String shotId, String takeId) throws Exception {
        try (Stream<Path> files = Files.list(vm.mediaDirProperty().get().resolve(shotId).resolve(takeId))) {
            return files.filter(p -> p.getFileName().toString().matches("frame-\\d{6}\\.png")).count();
        }
    }

    // ---- bug 1: one drag, one undo entry ---------------------------------------------------------

    @Test
    void oneEdgeDragIsOneUndoEntryIncludingItsGeneratedFrames() {
        vm.resizeShot("a", 24);
        service.runAll();
        assertThat(takeFrames("a")).isEqualTo(24);
        assertThat(vm.commands().undoHistory()).containsExactly("Extend Shot 1 to 24 frames");

        vm.undo();
        assertThat(shot("a").durationFrames()).isEqualTo(16);
        assertThat(takeFrames("a")).as("the take as it was before the drag").isEqualTo(16);
        assertThat(vm.commands().canUndo()).isFalse();
        assertThat(vm.commands().redoHistory()).containsExactly("Extend Shot 1 to 24 frames");

        vm.redo();
        assertThat(shot("a").durationFrames()).isEqualTo(24);
        assertThat(takeFrames("a")).as("redo brings the generated frames back").isEqualTo(24);
        assertThat(service.requests()).as("nothing generated twice").hasSize(1);
        assertThat(vm.frames().frame("a-t1", 23)).isNotNull();
        assertThat(vm.commands().canRedo()).isFalse();
        assertConsistent(vm.storyboard());
    }

    @Test
    void anExtensionFinishingAfterLaterEditsStaysInTheDragsEntry() {
        vm.resizeShot("a", 24);
        vm.setPrompt("c", "the ball flies away");
        service.runAll();
        assertThat(vm.commands().undoHistory()).containsExactly("Extend Shot 1 to 24 frames", "Change prompt of Shot 3");
        assertThat(takeFrames("a")).isEqualTo(24);

        vm.undo(); // the prompt only
        assertThat(shot("c").prompt()).isEqualTo("close on the red ball");
        assertThat(takeFrames("a")).isEqualTo(24);
        vm.undo(); // the drag and its frames
        assertThat(shot("a").durationFrames()).isEqualTo(16);
        assertThat(takeFrames("a")).isEqualTo(16);
        vm.redo();
        vm.redo();
        assertThat(takeFrames("a")).isEqualTo(24);
        assertThat(shot("c").prompt()).isEqualTo("the ball flies away");
    }

    @Test
    void redoOfADragUndoneWhileItGeneratedQueuesItAgainAsTheSameEntry() {
        vm.resizeShot("a", 24);
        vm.undo();
        service.runAll();
        vm.redo();
        assertThat(service.requests()).hasSize(2);
        service.runAll();
        assertThat(takeFrames("a")).isEqualTo(24);
        assertThat(vm.commands().undoHistory()).containsExactly("Extend Shot 1 to 24 frames");
        vm.undo();
        assertThat(takeFrames("a")).isEqualTo(16);
    }

    @Test
    void aNewTakeIsOneEntryEvenWhenItFinishesLater() {
        vm.select("b");
        vm.generateSelection();
        vm.setPrompt("a", "a blue ball");
        service.runAll();
        assertThat(vm.commands().undoHistory()).containsExactly("Generate take of Shot 2", "Change prompt of Shot 1");
        assertThat(shot("b").takes()).hasSize(1);
        vm.undo();
        vm.undo();
        assertThat(shot("b").takes()).isEmpty();
        vm.redo();
        assertThat(shot("b").takes()).hasSize(1);
        assertThat(service.requests()).hasSize(1);
    }

    // ---- bug 2: undo leaves the take, its folder and the next extension consistent -----------------

    @Test
    void undoingAFinishedExtensionLeavesTheTakeFolderWithExactlyItsFrames() throws Exception {
        vm.resizeShot("a", 24);
        service.runAll();
        assertThat(framesOnDisk("a", "a-t1")).isEqualTo(8); // the fixture's 16 frames were never written
        vm.undo();
        assertThat(framesOnDisk("a", "a-t1")).as("frames 16–23 left the folder").isZero();
        assertThat(vm.frames().length("a-t1")).isLessThanOrEqualTo(16);
        vm.redo();
        assertThat(framesOnDisk("a", "a-t1")).as("and came back with the redo").isEqualTo(8);
        assertThat(vm.frames().frame("a-t1", 23)).isNotNull();
    }

    @Test
    void anExtensionAfterAnUndoneOneWritesExactlyTheFramesItReports() throws Exception {
        vm.resizeShot("a", 24);
        service.runAll();
        vm.undo();
        vm.resizeShot("a", 24);
        JobEntry again = vm.jobs().get(vm.jobs().size() - 1);
        assertThat(again.title()).contains("(16–23)");
        service.runAll();
        assertThat(takeFrames("a")).isEqualTo(24);
        assertThat(framesOnDisk("a", "a-t1")).isEqualTo(8);
        assertThat(vm.frames().length("a-t1")).isEqualTo(24);
    }

    @Test
    void anEngineThatContinuesAfterUndoneFramesCannotMakeALongerTake() throws Exception {
        service.continueFromOwnFrames();
        vm.resizeShot("a", 24);
        service.runAll();
        vm.undo();
        vm.resizeShot("a", 24); // "extend by 8 frames (16–23)"; this engine sends 24–31
        service.runAll();
        assertThat(takeFrames("a")).as("never a 32-frame take").isLessThanOrEqualTo(24);
        assertThat(vm.frames().length("a-t1")).isLessThanOrEqualTo(24);
        assertThat(framesOnDisk("a", "a-t1")).isLessThanOrEqualTo(8);
        assertThat(vm.noticeProperty().get().text()).contains("failed");
        assertConsistent(vm.storyboard());
    }

    @Test
    void aSecondDragWhileTheFirstGeneratesContinuesWhereTheRoundedTakeReallyEnds() throws Exception {
        service.wholeChunks(); // chunks of 4: +5 frames makes +8
        vm.resizeShot("a", 21);
        vm.resizeShot("a", 30);
        service.runAll();
        assertThat(service.requests()).extracting(GenerationRequest::frames).containsExactly(5, 6);
        assertThat(takeFrames("a")).isEqualTo(32);
        assertThat(framesOnDisk("a", "a-t1")).isEqualTo(16);
        assertThat(vm.noticeProperty().get() == null ? "" : vm.noticeProperty().get().text()).doesNotContain("failed");
        vm.undo();
        assertThat(takeFrames("a")).isEqualTo(24);
        assertThat(framesOnDisk("a", "a-t1")).isEqualTo(8);
        vm.undo();
        assertThat(takeFrames("a")).isEqualTo(16);
        assertThat(framesOnDisk("a", "a-t1")).isZero();
    }

    // ---- bug 3: a new take does not silently repeat -----------------------------------------------

    @Test
    void generateTakeRollsANewSeedByDefault() {
        vm.select("a");
        vm.generateSelection();
        vm.generateSelection();
        assertThat(service.requests()).extracting(GenerationRequest::seed).doesNotHaveDuplicates()
                .doesNotContain(1L); // shot a's seed, which made its take a-t1
        assertThat(vm.commands().undoHistory()).containsExactly("Generate take of Shot 1", "Generate take of Shot 1");
        vm.undo();
        vm.undo();
        assertThat(shot("a").seed()).isEqualTo(1);
    }

    @Test
    void aLockedSeedSaysPlainlyThatTheTakeRepeatsAndOffersAReroll() {
        vm.setSeedLocked("a", true);
        vm.select("a");
        vm.generateSelection();
        assertThat(service.requests()).singleElement().satisfies(r -> assertThat(r.seed()).isEqualTo(1));
        assertThat(vm.noticeProperty().get().text()).contains("repeats");
        assertThat(vm.commands().undoDescriptionProperty().get()).isEqualTo("Generate take of Shot 1 (same seed)");
        vm.noticeProperty().get().actions().get(0).action().run(); // "Reroll and generate"
        assertThat(service.requests()).hasSize(2);
        assertThat(service.requests().get(1).seed()).isNotEqualTo(1);
        service.runAll();
        assertThat(shot("a").takes()).hasSize(2);
        assertThat(vm.commands().undoHistory()).as("the cancelled repeat left no entry").containsExactly("Generate take of Shot 1");
    }
}
