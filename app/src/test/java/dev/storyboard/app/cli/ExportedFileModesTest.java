package dev.storyboard.app.cli;

import static dev.storyboard.app.cli.ExitCodeTableTest.render;
import static dev.storyboard.app.cli.ExitCodeTableTest.run;
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
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file the commands write is created the way any program creates it (issue 23, item 3): with the
 * user's umask (0644 under umask 022, as a file the test creates plainly gets), never 0600; an export that
 * replaces a file keeps that file's permissions.
 */
class ExportedFileModesTest {
    @TempDir Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    /** Path → mode of everything below the folder. */
    private Map<String, String> modes() throws Exception {
        Map<String, String> modes = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(p -> !p.equals(dir)).toList()) {
                modes.put(dir.relativize(p).toString(), mode(p));
            }
        }
        return modes;
    }

    /** A one-shot project with an 8-frame take, saved by the app. */
    private Path writeProject() throws Exception {
        Path project = dir.resolve("scene.storyboard");
        MediaStore.writeFrames(MediaPaths.mediaDirFor(project).resolve("s1/t1"), 0, ChunkingEngine.frames(8, 200));
        new ProjectFiles().write(new Storyboard("Modes", "", 8, 64, 64, List.of(
                new Shot("s1", "a red ball bounces", 8, CameraMove.STATIC, ShotSize.WIDE, 1, 4,
                        List.of(new Take("t1", 1, 8, "s1/t1")), "t1"))), project);
        return project;
    }

    @Test
    void projectMediaTimelinesClipsVideosAndFramesGetTheUmaskMode() throws Exception {
        String file = mode(Files.createFile(dir.resolve("plain-file")));
        String folder = mode(Files.createDirectory(dir.resolve("plain-folder")));
        Path project = writeProject();

        assertThat(run(new ExportTimelineCommand(), project.toString(), "--format", "otio")).isZero();
        assertThat(run(new ExportTimelineCommand(), project.toString(), "--format", "edl")).isZero();
        assertThat(run(render(), project.toString(), "-o", dir.resolve("scene.mp4").toString())).isZero();
        assertThat(run(render(), project.toString(), "--png", "-o", dir.resolve("frames").toString())).isZero();

        Map<String, String> modes = modes();
        assertThat(modes).containsKeys("scene.storyboard", "scene.media/s1/t1/frame-000007.png", "scene.otio",
                "scene.edl", "scene_media/shot-1.mp4", "scene.mp4", "frames/frame_000007.png");
        assertThat(modes.keySet()).as("no temporary left").noneMatch(name -> name.endsWith(".tmp"));
        modes.forEach((name, mode) -> assertThat(mode).as(name)
                .isEqualTo(Files.isDirectory(dir.resolve(name)) ? folder : file));
    }

    @Test
    void anExportThatReplacesAFileKeepsItsPermissions() throws Exception {
        Path project = writeProject();
        Path otio = dir.resolve("scene.otio");
        Path mp4 = dir.resolve("scene.mp4");
        assertThat(run(new ExportTimelineCommand(), project.toString(), "--format", "otio")).isZero();
        assertThat(run(render(), project.toString(), "-o", mp4.toString())).isZero();
        Files.setPosixFilePermissions(otio, PosixFilePermissions.fromString("rw-rw-r--"));
        Files.setPosixFilePermissions(mp4, PosixFilePermissions.fromString("rw-r-----"));

        assertThat(run(new ExportTimelineCommand(), project.toString(), "--format", "otio")).isZero();
        assertThat(run(render(), project.toString(), "-o", mp4.toString())).isZero();
        assertThat(mode(otio)).isEqualTo("rw-rw-r--");
        assertThat(mode(mp4)).isEqualTo("rw-r-----");
    }
}
