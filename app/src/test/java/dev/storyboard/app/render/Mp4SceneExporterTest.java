package dev.storyboard.app.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storyboard.app.testing.ChunkingEngine;
import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import dev.storyboard.domain.project.MediaPaths;
import dev.storyboard.domain.project.MediaStore;
import dev.storyboard.domain.project.OutputRefusedException;
import dev.storyboard.domain.project.ProjectFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The editor's "Export MP4…" follows the same output rule as the CLI (issue 18). */
class Mp4SceneExporterTest {
    @TempDir Path dir;

    @Test
    void refusesTheProjectItsMediaFolderAndFilesOfAnotherKind() throws Exception {
        Path project = dir.resolve("scene.storyboard");
        Path media = MediaPaths.mediaDirFor(project);
        MediaStore.writeFrames(media.resolve("s1/t1"), 0, ChunkingEngine.frames(8, 90));
        Storyboard sb = new Storyboard("T", "", 8, 64, 64, List.of(new Shot("s1", "a ball", 8, CameraMove.STATIC,
                ShotSize.WIDE, 1, 4, List.of(new Take("t1", 1, 8, "s1/t1")), "t1")));
        new ProjectFiles().write(sb, project);
        byte[] projectBytes = Files.readAllBytes(project);
        Files.writeString(dir.resolve("notes.txt"), "notes");
        Mp4SceneExporter exporter = new Mp4SceneExporter();
        for (Path target : List.of(project, media.resolve("s1/t1/frame-000000.png"), media.resolve("x.mp4"),
                dir.resolve("notes.txt"), media)) {
            assertThatThrownBy(() -> exporter.exportMp4(sb, media, target, (d, t) -> { }, () -> false))
                    .as(target.toString()).isInstanceOf(OutputRefusedException.class);
        }
        assertThat(Files.readAllBytes(project)).isEqualTo(projectBytes);
        assertThat(dir.resolve("notes.txt")).hasContent("notes");
        Path out = dir.resolve("scene.mp4");
        exporter.exportMp4(sb, media, out, (d, t) -> { }, () -> false);
        exporter.exportMp4(sb, media, out, (d, t) -> { }, () -> false);
        assertThat(out).isNotEmptyFile();
    }
}
