package dev.storyboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.app.testing.ChunkingEngine;
import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import dev.storyboard.domain.generation.GenerationRequest;
import dev.storyboard.domain.project.MediaPaths;
import dev.storyboard.domain.project.MediaStore;
import dev.storyboard.domain.project.ProjectFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RenderCommandTest {
    @TempDir Path dir;
    private Path project;
    private byte[] projectBytes;

    @BeforeEach
    void writeProject() throws Exception {
        project = dir.resolve("scene.storyboard");
        Path media = MediaPaths.mediaDirFor(project);
        MediaStore.writeFrames(media.resolve("s1/t1"), 0, ChunkingEngine.frames(20, 200));   // 4 frames beyond the duration (a trim)
        MediaStore.writeFrames(media.resolve("s2/t2"), 0, ChunkingEngine.frames(8, 60));
        Storyboard sb = new Storyboard("Test", "", 8, 64, 64, List.of(
                new Shot("s1", "a red ball bounces", 16, CameraMove.STATIC, ShotSize.WIDE, 1, 4, List.of(new Take("t1", 1, 20, "s1/t1")), "t1"),
                new Shot("s2", "the red ball spins", 8, CameraMove.ZOOM_IN, ShotSize.CLOSE_UP, 2, 4, List.of(new Take("t2", 2, 8, "s2/t2")), "t2")));
        new ProjectFiles().write(sb, project);
        projectBytes = Files.readAllBytes(project);
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static int countFrames(Path mp4) throws Exception {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(mp4.toFile())) {
            grabber.start();
            int n = 0;
            while (grabber.grabImage() != null) {
                n++;
            }
            return n;
        }
    }

    private RenderCommand withoutEngine() {
        RenderCommand command = new RenderCommand();
        command.engine = Optional::empty;
        return command;
    }

    @Test
    void rendersTheActiveTakesTrimmedToTheirDurationsAndLeavesTheProjectAlone() throws Exception {
        Path out = dir.resolve("out.mp4");
        Run r = run(withoutEngine(), project.toString(), "-o", out.toString(), "--size", "128x128");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote " + out).contains("24 frames, 128x128, 8 fps").contains("encoding 100%");
        assertThat(countFrames(out)).isEqualTo(24);
        assertThat(Files.readAllBytes(project)).isEqualTo(projectBytes);
    }

    /** A root ("/") as the project was a NullPointerException: a usage error that says a root is never a project. */
    @Test
    void aRootAsTheProjectIsAUsageErrorThatSaysARootIsNeverAProject() {
        Path out = dir.resolve("root.mp4");
        Run r = run(withoutEngine(), "/", "-o", out.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).startsWith("storyboard render: / is not a project file").contains("no file name")
                .doesNotContain("Exception");
        assertThat(out).doesNotExist();
    }

    @Test
    void rendersAChosenShotRange() throws Exception {
        Path out = dir.resolve("two.mp4");
        Run r = run(withoutEngine(), project.toString(), "-o", out.toString(), "--shots", "2");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(countFrames(out)).isEqualTo(8);
    }

    @Test
    void writesAnInOutRangeAsPngFrames() throws Exception {
        Path frames = dir.resolve("frames");
        Run r = run(withoutEngine(), project.toString(), "-o", frames.toString(), "--png", "--in", "14", "--out", "18");
        assertThat(r.exit()).as(r.err()).isZero();
        try (Stream<Path> files = Files.list(frames)) {
            assertThat(files).hasSize(4);
        }
        Run bad = run(withoutEngine(), project.toString(), "-o", dir.resolve("f2").toString(), "--png", "--in", "20", "--out", "40");
        assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("outside the 24 rendered frames");
    }

    @Test
    void missingTakesWithoutAModelExitWith3AndWriteNothing() throws Exception {
        Storyboard sb = new ProjectFiles().read(project);
        new ProjectFiles().write(sb.withShots(List.of(sb.shots().get(0),
                Shot.planned("s3", "a blue cube", 8, CameraMove.STATIC, ShotSize.WIDE, 3))), project);
        Path out = dir.resolve("out.mp4");
        Run r = run(withoutEngine(), project.toString(), "-o", out.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.MISSING_INPUT);
        assertThat(r.err()).contains("shot(s) 2 have no generated take").contains("no model is available");
        assertThat(out).doesNotExist();
    }

    @Test
    void missingTakesAreGeneratedByTheEngine() throws Exception {
        Storyboard sb = new ProjectFiles().read(project);
        new ProjectFiles().write(sb.withShots(List.of(sb.shots().get(0),
                Shot.planned("s3", "a blue cube", 12, CameraMove.STATIC, ShotSize.WIDE, 3))), project);
        List<GenerationRequest> requests = new ArrayList<>();
        RenderCommand command = new RenderCommand();
        command.engine = () -> Optional.of(new ChunkingEngine(requests));
        Path out = dir.resolve("out.mp4");
        Run r = run(command, project.toString(), "-o", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(requests).singleElement().satisfies(q -> {
            assertThat(q.shotId()).isEqualTo("s3");
            assertThat(q.frames()).isEqualTo(12);
        });
        assertThat(countFrames(out)).isEqualTo(28);
        assertThat(r.out()).contains("generating shot 2 (12 frames)");
    }

    @Test
    void laterMissingShotsAreConditionedOnTheTakesGeneratedBeforeThem() throws Exception {
        Storyboard sb = new ProjectFiles().read(project);
        new ProjectFiles().write(sb.withShots(List.of(
                Shot.planned("n1", "a blue cube", 8, CameraMove.STATIC, ShotSize.WIDE, 3),
                Shot.planned("n2", "the blue cube spins", 8, CameraMove.STATIC, ShotSize.WIDE, 4))), project);
        List<GenerationRequest> requests = new ArrayList<>();
        RenderCommand command = new RenderCommand();
        command.engine = () -> Optional.of(new ChunkingEngine(requests));
        Run r = run(command, project.toString(), "-o", dir.resolve("ctx.mp4").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(requests).hasSize(2);
        // The second request sees the first shot's fresh take as its active take: that is its context.
        Shot firstInSecondRequest = requests.get(1).storyboard().shots().get(0);
        assertThat(firstInSecondRequest.activeTakeId()).isEqualTo("take-new");
        assertThat(requests.get(0).storyboard().shots().get(0).activeTakeId()).isNull();
    }

    @Test
    void badInputGetsClearErrorsAndNoPartialFiles() throws Exception {
        Run badSize = run(withoutEngine(), project.toString(), "-o", dir.resolve("a.mp4").toString(), "--size", "big");
        assertThat(badSize.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(badSize.err()).contains("bad --size 'big'");
        Run badShots = run(withoutEngine(), project.toString(), "-o", dir.resolve("a.mp4").toString(), "--shots", "3-5");
        assertThat(badShots.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(badShots.err()).contains("outside 1-2");
        Run unwritable = run(withoutEngine(), project.toString(), "-o", dir.resolve("missing/dir/a.mp4").toString());
        assertThat(unwritable.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(unwritable.err()).contains("does not exist");
        Run notMp4 = run(withoutEngine(), project.toString(), "-o", dir.resolve("a.avi").toString());
        assertThat(notMp4.exit()).isEqualTo(ExitCodes.USAGE);
        Files.writeString(dir.resolve("broken.storyboard"), "{ not json");
        Run broken = run(withoutEngine(), dir.resolve("broken.storyboard").toString(), "-o", dir.resolve("b.mp4").toString());
        assertThat(broken.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(broken.err()).contains("broken.storyboard");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("scene.storyboard", "scene.media", "broken.storyboard");
        }
        assertThat(Files.readAllBytes(project)).isEqualTo(projectBytes);
    }

    @Test
    void exportTimelineWritesOneClipPerShotAndTheTimelineReferencingThem() throws Exception {
        Run r = run(new ExportTimelineCommand(), project.toString(), "--format", "otio");
        assertThat(r.exit()).as(r.err()).isZero();
        Path otio = dir.resolve("scene.otio");
        assertThat(otio).exists();
        assertThat(Files.readString(otio)).contains("\"target_url\" : \"scene_media/shot-1.mp4\"")
                .contains("\"prompt\" : \"the red ball spins\"");
        // the default editorial rate is 24 fps: the 8 fps shots of 16 and 8 frames are held 3 times each
        assertThat(countFrames(dir.resolve("scene_media/shot-1.mp4"))).isEqualTo(48);
        assertThat(countFrames(dir.resolve("scene_media/shot-2.mp4"))).isEqualTo(24);
        Run edl = run(new ExportTimelineCommand(), project.toString(), "--format", "edl", "-o", dir.resolve("cut.edl").toString());
        assertThat(edl.exit()).isZero();
        assertThat(Files.readString(dir.resolve("cut.edl"))).contains("* FROM CLIP NAME: cut_media/shot-2.mp4");
        Run unknown = run(new ExportTimelineCommand(), project.toString(), "--format", "aaf");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("unknown timeline format 'aaf'");
    }
}
