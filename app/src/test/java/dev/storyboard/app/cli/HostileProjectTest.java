package dev.storyboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.app.testing.ChunkingEngine;
import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import dev.storyboard.domain.project.MediaPaths;
import dev.storyboard.domain.project.MediaStore;
import dev.storyboard.domain.project.ProjectFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Damaged media and odd project paths end in a clear message and no output (issue 18, items 5 and 7). */
class HostileProjectTest {
    @TempDir Path dir;
    private Path project;
    private Path media;

    @BeforeEach
    void writeProject() throws Exception {
        project = dir.resolve("scene.storyboard");
        media = MediaPaths.mediaDirFor(project);
        MediaStore.writeFrames(media.resolve("s1/t1"), 0, ChunkingEngine.frames(8, 200));
        MediaStore.writeFrames(media.resolve("s2/t2"), 0, ChunkingEngine.frames(8, 100));
        Storyboard sb = new Storyboard("Test", "", 8, 64, 64, List.of(
                new Shot("s1", "a red ball bounces", 8, CameraMove.STATIC, ShotSize.WIDE, 1, 4,
                        List.of(new Take("t1", 1, 8, "s1/t1")), "t1"),
                new Shot("s2", "the ball spins", 8, CameraMove.STATIC, ShotSize.WIDE, 2, 4,
                        List.of(new Take("t2", 2, 8, "s2/t2")), "t2")));
        new ProjectFiles().write(sb, project);
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

    private static RenderCommand render() {
        RenderCommand c = new RenderCommand();
        c.engine = Optional::empty;
        return c;
    }

    private List<String> names() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFrameFileThatIsNotAPngIsNamedAndNothingIsWritten() throws Exception {
        Files.writeString(media.resolve("s2/t2/frame-000003.png"), "not a png at all");
        Run r = run(render(), project.toString(), "-o", dir.resolve("out.mp4").toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).contains("frame-000003.png").contains("not a PNG image").doesNotContain("Exception");
        Run png = run(render(), project.toString(), "--png", "-o", dir.resolve("frames").toString());
        assertThat(png.exit()).isEqualTo(ExitCodes.FAILED);
        Run timeline = run(new ExportTimelineCommand(), project.toString(), "--format", "otio");
        assertThat(timeline.exit()).as(timeline.err()).isEqualTo(ExitCodes.FAILED);
        assertThat(timeline.err()).contains("frame-000003.png");
        assertThat(names()).containsExactly("scene.media", "scene.storyboard");
    }

    @Test
    void aFifoAsTheProjectIsRefusedAtOnce() throws Exception {
        Path fifo = dir.resolve("pipe.storyboard");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mk.waitFor()).isZero();
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            Run r = run(render(), fifo.toString(), "-o", dir.resolve("out.mp4").toString());
            assertThat(r.exit()).isEqualTo(ExitCodes.FAILED);
            assertThat(r.err()).contains("pipe.storyboard").contains("not a regular file");
            Run t = run(new ExportTimelineCommand(), fifo.toString(), "--format", "edl");
            assertThat(t.exit()).isEqualTo(ExitCodes.FAILED);
            assertThat(t.err()).contains("not a regular file");
        });
    }

    @Test
    void aTakeFolderThatLinksOutOfTheMediaFolderIsNotFollowed() throws Exception {
        Path outside = dir.resolve("outside");
        MediaStore.writeFrames(outside, 0, ChunkingEngine.frames(8, 30));
        Path take = media.resolve("s2/t2");
        MediaStore.deleteTake(take);
        Files.createSymbolicLink(take, outside);
        Run r = run(render(), project.toString(), "-o", dir.resolve("out.mp4").toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).contains("outside the project's media folder");
        assertThat(dir.resolve("out.mp4")).doesNotExist();
    }

    @Test
    void aFrameThatIsALinkIsNotFollowed() throws Exception {
        Path frame = media.resolve("s2/t2/frame-000002.png");
        Files.delete(frame);
        Files.createSymbolicLink(frame, media.resolve("s1/t1/frame-000002.png"));
        Run r = run(render(), project.toString(), "-o", dir.resolve("out.mp4").toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).contains("frame-000002.png").contains("not a regular file");
    }
}
