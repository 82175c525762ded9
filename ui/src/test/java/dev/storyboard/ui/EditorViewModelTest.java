package dev.storyboard.ui;

import static dev.storyboard.ui.command.TimelineFixtures.assertConsistent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import dev.storyboard.domain.generation.GenerationRequest;
import dev.storyboard.domain.project.MediaStore;
import dev.storyboard.domain.project.ProjectFiles;
import dev.storyboard.ui.command.TimelineFixtures;
import dev.storyboard.ui.concurrent.Background;
import dev.storyboard.ui.concurrent.UiThread;
import dev.storyboard.ui.fake.FakeGenerationService;
import dev.storyboard.ui.fake.SilentDialogs;
import dev.storyboard.ui.generation.JobEntry;
import dev.storyboard.ui.project.EditorPreferences;
import dev.storyboard.ui.project.RecoveryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.prefs.Preferences;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The editor's behaviour without a window: commands, generation against the fake service, projects. */
class EditorViewModelTest {
    @TempDir Path dir;
    private FakeGenerationService service;
    private SilentDialogs dialogs;
    private Preferences prefsNode;
    private EditorViewModel vm;

    @BeforeEach
    void setUp() {
        service = FakeGenerationService.manual();
        dialogs = new SilentDialogs();
        prefsNode = Preferences.userRoot().node("dev/storyboard/test/" + UUID.randomUUID());
        vm = newEditor(TimelineFixtures.threeShots(), null, "s1");
    }

    @AfterEach
    void tearDown() throws Exception {
        prefsNode.removeNode();
    }

    private EditorViewModel newEditor(Storyboard sb, Path file, String session) {
        Random random = new Random(7);
        EditorEnvironment env = new EditorEnvironment(service, UiThread.direct(), Background.sameThread(), dialogs,
                new EditorPreferences(prefsNode), new RecoveryStore(dir.resolve("recovery"), session), null,
                () -> random.nextInt(1000));
        return new EditorViewModel(env, sb, file);
    }

    private Shot shot(String id) {
        return vm.storyboard().shot(id).orElseThrow();
    }

    @Test
    void draggingLongerThanTheTakeQueuesExactlyOneExtensionForExactlyTheNewFrames() {
        // shot a: 16 frames, active take a-t1 with 16 generated frames
        vm.resizeShot("a", 24);
        assertThat(service.requests()).hasSize(1);
        GenerationRequest r = service.requests().get(0);
        assertThat(r.operation()).isEqualTo(GenerationRequest.Operation.EXTEND_TAKE);
        assertThat(r.shotId()).isEqualTo("a");
        assertThat(r.sourceTakeId()).isEqualTo("a-t1");
        assertThat(r.frames()).isEqualTo(8);
        assertThat(vm.jobs()).singleElement().satisfies(j -> assertThat(j.firstFrame()).isEqualTo(16));
        assertThat(vm.commands().undoHistory()).containsExactly("Extend Shot 1 to 24 frames");

        service.runAll();
        assertThat(shot("a").activeTake().orElseThrow().generatedFrames()).isEqualTo(24);
        assertThat(vm.frames().frame("a-t1", 16).argb()[0]).isEqualTo(FakeGenerationService.colour("a-t1", 16));
        assertThat(vm.frames().frame("a-t1", 23)).isNotNull();
        assertThat(Files.exists(vm.mediaDirProperty().get().resolve("a/a-t1/frame-000023.png"))).isTrue();
        assertConsistent(vm.storyboard());
    }

    @Test
    void trimmingIsNonDestructiveAndQueuesNothing() {
        vm.resizeShot("c", 5); // active take c-t2 has 12 frames
        assertThat(service.requests()).isEmpty();
        assertThat(shot("c").durationFrames()).isEqualTo(5);
        assertThat(shot("c").activeTake().orElseThrow().generatedFrames()).isEqualTo(12);
        vm.resizeShot("c", 12); // back within the take: still no job
        assertThat(service.requests()).isEmpty();
        vm.undo();
        vm.undo();
        assertThat(shot("c").durationFrames()).isEqualTo(8);
    }

    @Test
    void asecondDragWaitsForTheFirstExtensionAndAsksOnlyForTheRest() {
        vm.resizeShot("a", 20);
        vm.resizeShot("a", 30);
        assertThat(service.requests()).extracting(GenerationRequest::frames).containsExactly(4);
        service.runAll();
        assertThat(service.requests()).extracting(GenerationRequest::frames).containsExactly(4, 10);
        assertThat(vm.commands().undoHistory()).containsExactly("Extend Shot 1 to 20 frames", "Extend Shot 1 to 30 frames");
        assertThat(shot("a").activeTake().orElseThrow().generatedFrames()).isEqualTo(30);
        assertThat(vm.frames().frame("a-t1", 16)).isNotNull(); // only the new frames were generated
        assertThat(vm.frames().frame("a-t1", 29)).isNotNull();
        assertThat(vm.frames().frame("a-t1", 30)).isNull();
    }

    @Test
    void undoingTheDragCancelsItsJobAndRedoQueuesItAgain() {
        vm.resizeShot("a", 24);
        JobEntry job = vm.jobs().get(0);
        vm.undo();
        assertThat(shot("a").durationFrames()).isEqualTo(16);
        service.runAll();
        assertThat(job.state()).isEqualTo(JobEntry.State.CANCELLED);
        assertThat(shot("a").activeTake().orElseThrow().generatedFrames()).isEqualTo(16);
        assertThat(vm.frames().frame("a-t1", 16)).isNull();

        vm.redo();
        assertThat(service.requests()).hasSize(2);
        assertThat(service.requests().get(1).frames()).isEqualTo(8);
    }

    @Test
    void aShotWithoutTakesJustChangesLength() {
        vm.resizeShot("b", 40);
        assertThat(service.requests()).isEmpty();
        assertThat(shot("b").durationFrames()).isEqualTo(40);
    }

    @Test
    void generatingAddsAnUndoableActiveTakeAndChunksArriveInMemory() {
        vm.select("b");
        List<Object> live = new ArrayList<>();
        vm.liveFrameProperty().addListener((o, a, frame) -> live.add(frame));
        List<JobEntry> jobs = vm.generateSelection();
        assertThat(jobs).hasSize(1);
        assertThat(service.requests().get(0).operation()).isEqualTo(GenerationRequest.Operation.GENERATE_TAKE);
        assertThat(service.requests().get(0).frames()).isEqualTo(24);
        service.runAll();
        Take take = shot("b").activeTake().orElseThrow();
        assertThat(take.generatedFrames()).isEqualTo(24);
        assertThat(take.mediaFile()).isEqualTo("b/" + take.id());
        assertThat(vm.frames().contiguousFrames(take.id())).isEqualTo(24);
        assertThat(jobs.get(0).state()).isEqualTo(JobEntry.State.COMPLETED);
        assertThat(live).as("each chunk showed live, then back to the playhead").hasSize(24 / 4 + 1).endsWith((Object) null);
        assertThat(vm.liveFrameProperty().get()).isNull();
        vm.undo();
        assertThat(shot("b").takes()).isEmpty();
        vm.redo();
        assertThat(shot("b").activeTakeId()).isEqualTo(take.id());
    }

    @Test
    void regeneratingMarksLaterShotsStaleAndOffersToRegenerateThem() {
        vm.select("a");
        vm.generateSelection();
        service.runAll();
        assertThat(vm.staleShots()).containsExactly("c"); // b has no takes yet
        assertThat(vm.noticeProperty().get().text()).contains("Shot 3");
        assertThat(vm.noticeProperty().get().actions()).extracting(c -> c.label()).contains("Regenerate");
        vm.noticeProperty().get().actions().get(0).action().run();
        assertThat(service.requests()).hasSize(2);
        assertThat(service.requests().get(1).shotId()).isEqualTo("c");
        service.runAll();
        assertThat(vm.staleShots()).isEmpty();
    }

    @Test
    void cancellingANewTakeDropsItsFrames() {
        vm.select("b");
        JobEntry job = vm.generateSelection().get(0);
        vm.cancelJob(job);
        service.runAll();
        assertThat(job.state()).isEqualTo(JobEntry.State.CANCELLED);
        assertThat(shot("b").takes()).isEmpty();
        assertThat(vm.commands().canUndo()).isFalse();
    }

    @Test
    void cancelAllStopsEveryJob() {
        vm.selectAll();
        List<JobEntry> jobs = vm.generateSelection();
        assertThat(jobs).as("the next shot is queued when this one's take is there").hasSize(1);
        vm.cancelAll();
        service.runAll();
        assertThat(vm.jobs()).allSatisfy(j -> assertThat(j.state()).isEqualTo(JobEntry.State.CANCELLED));
        assertThat(service.requests()).hasSize(1);
    }

    @Test
    void aFailedJobSaysWhy() {
        service.failNext("out of memory");
        vm.select("b");
        vm.generateSelection();
        service.runAll();
        assertThat(vm.noticeProperty().get().text()).contains("failed").contains("out of memory");
        assertThat(shot("b").takes()).isEmpty();
    }

    @Test
    void generationIsRefusedWhileTheEngineIsNotReady() {
        service.setReady(false);
        vm.updateEngineStatus(service.status());
        vm.select("b");
        assertThat(vm.canGenerateBinding().get()).isFalse();
        assertThat(vm.generateSelection()).isEmpty();
        assertThat(service.requests()).isEmpty();
        vm.resizeShot("a", 30); // the edit still happens; the frames are generated later
        assertThat(shot("a").durationFrames()).isEqualTo(30);
        assertThat(vm.noticeProperty().get().text()).contains("14 frames longer");
    }

    @Test
    void extendingFromAnOlderTakeMakesItActive() {
        vm.extendFromTake("c", "c-t1", 4); // c-t1 has 8 frames
        assertThat(shot("c").activeTakeId()).isEqualTo("c-t1");
        assertThat(shot("c").durationFrames()).isEqualTo(12);
        assertThat(service.requests()).singleElement().satisfies(r -> {
            assertThat(r.sourceTakeId()).isEqualTo("c-t1");
            assertThat(r.frames()).isEqualTo(4);
        });
        assertThat(vm.commands().undoHistory()).hasSize(1);
        vm.undo();
        assertThat(shot("c").activeTakeId()).isEqualTo("c-t2");
    }

    @Test
    void selectionAndDeleteAndDuplicate() {
        vm.select("a");
        vm.toggleSelection("c");
        assertThat(vm.selectedIdsInOrder()).containsExactly("a", "c");
        List<String> copies = vm.duplicateSelection();
        assertThat(vm.storyboard().shots()).extracting(Shot::id).containsExactly("a", copies.get(0), "b", "c", copies.get(1));
        vm.select("b");
        vm.extendSelection("c");
        vm.deleteSelection();
        assertThat(vm.storyboard().shots()).hasSize(3);
        assertThat(vm.commands().undoHistory()).containsExactly("Duplicate 2 shots", "Delete 2 shots");
        vm.undo();
        assertThat(vm.storyboard().shots()).hasSize(5);
        assertConsistent(vm.storyboard());
    }

    @Test
    void moveSelectionByOne() {
        vm.select("a");
        vm.moveSelectionBy(1);
        assertThat(vm.storyboard().shots()).extracting(Shot::id).containsExactly("b", "a", "c");
        vm.moveSelectionBy(1);
        vm.moveSelectionBy(1); // already last: nothing
        assertThat(vm.storyboard().shots()).extracting(Shot::id).containsExactly("b", "c", "a");
        assertThat(vm.commands().undoHistory()).hasSize(2);
    }

    @Test
    void playheadSnapsToFramesAndSeconds() {
        vm.movePlayhead(13, false);
        assertThat(vm.playheadProperty().get()).isEqualTo(13);
        vm.movePlayhead(13, true);
        assertThat(vm.playheadProperty().get()).isEqualTo(16);
        vm.movePlayhead(10_000, false);
        assertThat(vm.playheadProperty().get()).isEqualTo(47);
        vm.stepPlayhead(-1, true);
        assertThat(vm.playheadProperty().get()).isEqualTo(39);
    }

    @Test
    void playbackFollowsTheClockAtTheSceneFpsAndLoops() {
        vm.playback().play();
        vm.playback().tick(0);
        vm.playback().tick(1_000_000_000L); // 1 s at 8 fps
        assertThat(vm.playheadProperty().get()).isEqualTo(8);
        vm.playback().tick(6_250_000_000L); // 50 frames → loops over 48
        assertThat(vm.playheadProperty().get()).isEqualTo(2);
        vm.playback().loopProperty().set(false);
        vm.playback().tick(12_000_000_000L);
        assertThat(vm.playback().isPlaying()).isFalse();
        assertThat(vm.playheadProperty().get()).isEqualTo(47);
    }

    @Test
    void saveAndReopenKeepsEverythingIncludingMedia() throws Exception {
        vm.select("b");
        vm.generateSelection();
        service.runAll();
        vm.setPrompt("a", "a blue cube in the snow");
        Path file = dir.resolve("scene.storyboard");
        dialogs.willSave(file);
        vm.save();
        assertThat(vm.dirtyProperty().get()).isFalse();
        assertThat(vm.projectFile()).isEqualTo(file);
        String takeId = shot("b").activeTakeId();
        assertThat(Files.exists(dir.resolve("scene.media/b/" + takeId + "/frame-000023.png"))).isTrue();
        assertThat(vm.recentFiles()).containsExactly(file.toAbsolutePath().normalize());

        EditorViewModel reopened = newEditor(Storyboard.empty("x", 8, 64, 64), null, "s2");
        reopened.openFile(file);
        assertThat(reopened.storyboard()).isEqualTo(vm.storyboard());
        assertThat(reopened.frames().contiguousFrames(takeId)).isEqualTo(24);
        assertThat(reopened.frames().frame(takeId, 5).argb()[0]).isEqualTo(FakeGenerationService.colour(takeId, 5));
        assertThat(reopened.dirtyProperty().get()).isFalse();
    }

    /** Every regular file under the folder with its content, to show that nothing changed. */
    private Map<String, String> filesUnder(Path root) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), HexFormat.of().formatHex(Files.readAllBytes(p)));
            }
        }
        return files;
    }

    /** A saved project with a generated take: {@code scene.storyboard} and {@code scene.media}. */
    private Path savedScene() {
        vm.select("b");
        vm.generateSelection();
        service.runAll();
        Path file = dir.resolve("scene.storyboard");
        dialogs.willSave(file);
        vm.save();
        assertThat(vm.projectFile()).isEqualTo(file);
        return file;
    }

    /** Save As follows the output rule (issue 18): never into the open project's media folder, even through a link. */
    @Test
    void saveAsIntoTheProjectsMediaFolderOrATakeFolderIsRefused() throws Exception {
        Path file = savedScene();
        Path media = dir.resolve("scene.media");
        String takeFolder = "b/" + shot("b").activeTakeId();
        Path link = Files.createSymbolicLink(dir.resolve("linked"), media);
        vm.setPrompt("a", "changed");
        Map<String, String> before = filesUnder(dir);
        for (Path target : List.of(media.resolve("copy.storyboard"), media.resolve(takeFolder).resolve("copy.storyboard"),
                link.resolve("copy.storyboard"))) {
            dialogs.willSave(target);
            vm.saveAs();
            assertThat(dialogs.errors()).as(target.toString()).last().asString()
                    .contains("refusing to write").contains("media folder").contains("previous file was left as it was");
        }
        assertThat(filesUnder(dir)).isEqualTo(before);
        assertThat(vm.projectFile()).isEqualTo(file);
        assertThat(vm.dirtyProperty().get()).isTrue();
    }

    @Test
    void saveAsOntoAFolderOrBesideAMediaFolderOfNoProjectIsRefused() throws Exception {
        savedScene();
        Path folder = Files.createDirectory(dir.resolve("folder.storyboard"));
        Path orphan = Files.createDirectory(dir.resolve("orphan.media"));
        Files.writeString(orphan.resolve("notes.txt"), "mine");
        Map<String, String> before = filesUnder(dir);
        dialogs.willSave(folder);
        vm.saveAs();
        assertThat(dialogs.errors()).last().asString().contains("refusing to write").contains("folder");
        dialogs.willSave(dir.resolve("orphan.storyboard"));
        vm.saveAs();
        assertThat(dialogs.errors()).last().asString().contains("refusing to write").contains("belongs to no project");
        assertThat(filesUnder(dir)).isEqualTo(before);
        assertThat(dir.resolve("orphan.storyboard")).doesNotExist();
        assertThat(folder).isEmptyDirectory();
    }

    @Test
    void saveAsOverAnotherProjectReplacesItAndItsTakes() throws Exception {
        savedScene();
        Path other = dir.resolve("other.storyboard");
        new ProjectFiles().write(Storyboard.empty("other", 8, 64, 64), other);
        Files.createDirectories(dir.resolve("other.media/old/take"));
        dialogs.willSave(other);
        vm.saveAs();
        assertThat(dialogs.errors()).isEmpty();
        assertThat(new ProjectFiles().read(other)).isEqualTo(vm.storyboard());
        assertThat(dir.resolve("other.media/b/" + shot("b").activeTakeId() + "/frame-000023.png")).exists();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
        }
    }

    /**
     * Save As over another project replaces it, so the take folders its file named would be orphans: frames no
     * project refers to. They go with it; a take folder the new project uses, files the user put in the media
     * folder (even inside a take folder) and folders no take of the replaced project named all stay.
     */
    @Test
    void saveAsOverAnotherProjectRemovesOnlyTheTakeFoldersThatProjectOwned() throws Exception {
        savedScene();
        String shared = "b/" + shot("b").activeTakeId();
        Path other = dir.resolve("other.storyboard");
        Path media = dir.resolve("other.media");
        new ProjectFiles().write(new Storyboard("other", "", 8, 64, 64, List.of(new Shot("x", "a blue cube", 8,
                CameraMove.STATIC, ShotSize.WIDE, 1, 4, List.of(new Take("x1", 1, 2, "x/x1"), new Take("x2", 2, 2, "x/x2"),
                new Take("x3", 3, 2, shared)), "x1"))), other);
        for (String take : List.of("x/x1", "x/x2", shared, "stray/t")) {
            Files.createDirectories(media.resolve(take));
            Files.writeString(media.resolve(take).resolve("frame-000000.png"), "old frame");
            Files.writeString(media.resolve(take).resolve("frame-000001.png"), "old frame");
        }
        Files.writeString(media.resolve("x/x2/notes.txt"), "the user's");
        Files.writeString(media.resolve("notes.txt"), "the user's");
        dialogs.willSave(other);
        vm.saveAs();
        assertThat(dialogs.errors()).isEmpty();
        assertThat(new ProjectFiles().read(other)).isEqualTo(vm.storyboard());
        assertThat(media.resolve("x/x1")).as("a take folder of the replaced project only").doesNotExist();
        assertThat(media.resolve("x/x2")).isDirectoryContaining(p -> p.getFileName().toString().equals("notes.txt"))
                .isDirectoryNotContaining(p -> p.getFileName().toString().startsWith("frame-"));
        assertThat(media.resolve(shared + "/frame-000023.png")).as("copied by the Save As").exists();
        assertThat(media.resolve(shared + "/frame-000000.png")).content().isNotEqualTo("old frame");
        assertThat(media.resolve("stray/t/frame-000000.png")).as("named by no take of the replaced project").exists();
        assertThat(media.resolve("notes.txt")).hasContent("the user's");
    }

    /** The takes are copied before the project is written; when the write fails, the copies go too. */
    @Test
    void aSaveAsThatFailsLeavesNoMediaFolderBehind() throws Exception {
        Path file = savedScene();
        vm.setPrompt("a", "changed");
        Map<String, String> before = filesUnder(dir);
        // NAME.media fits the file system's 255-byte names, NAME.storyboard does not: the write fails after the copy
        String name = "n".repeat(246);
        dialogs.willSave(dir.resolve(name + ".storyboard"));
        vm.saveAs();
        assertThat(dialogs.errors()).last().asString().startsWith("Cannot save").contains("previous file was left as it was");
        assertThat(dir.resolve(name + ".media")).doesNotExist();
        assertThat(filesUnder(dir)).isEqualTo(before);
        assertThat(vm.projectFile()).isEqualTo(file);
    }

    @Test
    void aCorruptedProjectShowsAnErrorAndChangesNothing() throws Exception {
        Path file = dir.resolve("broken.storyboard");
        Files.writeString(file, "{ \"format\": \"storyboard-project/1\", \"storyboard\": { \"title\": ");
        byte[] before = Files.readAllBytes(file);
        Storyboard current = vm.storyboard();
        vm.openFile(file);
        assertThat(dialogs.errors()).singleElement().asString().contains("broken.storyboard");
        assertThat(vm.storyboard()).isSameAs(current);
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void openingAProjectRemovesTheTemporariesOfItsKilledSaves() throws Exception {
        Path file = dir.resolve("killed.storyboard");
        new ProjectFiles().write(Storyboard.empty("k", 8, 64, 64), file);
        Path stale = Files.writeString(dir.resolve(".killed.storyboard4242.tmp"), "half a save");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minusSeconds(3600)));
        vm.openFile(file);
        assertThat(vm.storyboard().title()).isEqualTo("k");
        assertThat(stale).as("issue 18 item 14: cleaned on open, not only on the next save").doesNotExist();
    }

    @Test
    void aNewerProjectSaysSo() throws Exception {
        Path file = dir.resolve("future.storyboard");
        Files.writeString(file, "{ \"format\": \"storyboard-project/2\", \"storyboard\": {}, \"layers\": [] }");
        vm.openFile(file);
        assertThat(dialogs.errors()).singleElement().asString().contains("newer version").contains("storyboard-project/2");
    }

    @Test
    void closingWithUnsavedChangesAsksAndCanSave() throws Exception {
        vm.setPrompt("a", "changed");
        Path file = dir.resolve("closing.storyboard");
        dialogs.willSave(file);
        boolean[] closed = {false};
        vm.requestClose(() -> closed[0] = true);
        assertThat(dialogs.questions()).singleElement().asString().contains("Save the changes");
        assertThat(closed[0]).isTrue();
        assertThat(new ProjectFiles().read(file).shot("a").orElseThrow().prompt()).isEqualTo("changed");
    }

    @Test
    void autosaveIsOfferedAfterACrashAndRecoversTheEdits() {
        vm.setPrompt("b", "edited before the crash");
        assertThat(vm.autosave()).isTrue();
        assertThat(vm.autosave()).as("nothing new to autosave").isFalse();
        // "crash": no clean close. A new session finds the autosave.
        EditorViewModel next = newEditor(Storyboard.empty("x", 8, 64, 64), null, "s2");
        next.offerRecovery();
        assertThat(next.noticeProperty().get().text()).contains("did not close properly").contains("Test scene");
        next.noticeProperty().get().actions().get(0).action().run(); // Recover
        assertThat(next.storyboard().shot("b").orElseThrow().prompt()).isEqualTo("edited before the crash");
        assertThat(next.dirtyProperty().get()).isTrue();
        assertThat(new RecoveryStore(dir.resolve("recovery"), "s3").findRecoverable()).isEmpty();
    }

    @Test
    void aCleanCloseLeavesNothingToRecover() {
        vm.setPrompt("b", "x");
        vm.autosave();
        dialogs.willAnswer("Don't save");
        vm.requestClose(() -> { });
        assertThat(new RecoveryStore(dir.resolve("recovery"), "s3").findRecoverable()).isEmpty();
    }

    @Test
    void newProjectShowsTheEmptyState() {
        vm.newProject();
        assertThat(vm.storyboard().shots()).isEmpty();
        assertThat(vm.showEmptyStateProperty().get()).isTrue();
        vm.addShot("a yellow star spins");
        assertThat(vm.showEmptyStateProperty().get()).isFalse();
        assertThat(vm.selectedShot().prompt()).isEqualTo("a yellow star spins");
    }

    @Test
    void mediaIsWrittenAtomicallyAsPngSequences() throws Exception {
        vm.select("b");
        vm.generateSelection();
        service.runAll();
        String takeId = shot("b").activeTakeId();
        Path takeDir = vm.mediaDirProperty().get().resolve("b").resolve(takeId);
        try (var files = Files.list(takeDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).allMatch(n -> n.matches("frame-\\d{6}\\.png")).hasSize(24);
        }
        assertThat(MediaStore.readFrames(takeDir, 100)).hasSize(24);
    }

    @Test
    void generateMissingLeavesFinishedShotsAlone() {
        vm.generateMissing();
        assertThat(service.requests()).extracting(GenerationRequest::shotId).containsExactly("b");
        assertThat(vm.shotsWithoutFrames()).containsExactly(2);
        service.runAll();
        assertThat(vm.shotsWithoutFrames()).isEmpty();
        vm.generateMissing();
        assertThat(service.requests()).hasSize(1);
    }

    @Test
    void aCleanQuitAfterSaveAsLeavesNoRecoveryMediaBehind() {
        vm.select("b");
        vm.generateSelection();
        service.runAll();
        Path scratch = vm.mediaDirProperty().get();
        assertThat(scratch.getFileName().toString()).startsWith("untitled-");
        assertThat(Files.isDirectory(scratch)).isTrue();
        Path file = dir.resolve("kept.storyboard");
        dialogs.willSave(file);
        vm.saveAs();
        String takeId = shot("b").activeTakeId();
        vm.requestClose(() -> { });
        assertThat(Files.exists(scratch)).as("untitled-*.media is gone").isFalse();
        assertThat(Files.exists(dir.resolve("kept.media/b/" + takeId + "/frame-000023.png"))).as("the saved copy stays").isTrue();
    }

    @Test
    void saveAsCopiesTheTakesOnlyTheRedoBranchReaches() {
        // issue 19: a take that only a redo brings back lost its frames when Save As moved the project
        vm.select("b");
        vm.generateSelection();
        service.runAll();
        String takeId = shot("b").activeTakeId();
        vm.undo(); // the take is now only in the redo branch
        assertThat(shot("b").takes()).isEmpty();
        Path file = dir.resolve("moved.storyboard");
        dialogs.willSave(file);
        vm.saveAs();
        vm.requestClose(() -> { }); // a clean close deletes the untitled media: only the saved copy is left
        assertThat(Files.exists(dir.resolve("moved.media/b/" + takeId + "/frame-000023.png")))
                .as("the redo branch's take was copied with the project").isTrue();
        vm.redo(); // the take comes back, and its frames are in the project's new media folder
        assertThat(shot("b").activeTakeId()).isEqualTo(takeId);
        assertThat(vm.mediaDirProperty().get()).isEqualTo(dir.resolve("moved.media"));
    }

    @Test
    void quittingWhileGeneratingNamesTheRunningJob() {
        vm.select("b");
        vm.generateSelection();
        boolean[] closed = {false};
        dialogs.willAnswer("Keep generating");
        vm.requestClose(() -> closed[0] = true);
        assertThat(dialogs.questions()).first().asString().contains("Shot 2: new take").contains("still generating");
        assertThat(closed[0]).isFalse();
        assertThat(vm.jobs().get(0).isActive()).isTrue();
    }

    @Test
    void selectingAShotShowsItInThePreviewInSceneMode() {
        vm.select("c");
        assertThat(vm.playheadProperty().get()).as("start of shot 3 (16 + 24)").isEqualTo(40);
        vm.movePlayhead(44, false);
        vm.select("c");
        assertThat(vm.playheadProperty().get()).as("already inside: stays").isEqualTo(44);
    }
}
