package dev.storyboard.app.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storyboard.app.testing.ChunkingEngine;
import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import dev.storyboard.domain.export.EditorialRate;
import dev.storyboard.domain.project.MediaPaths;
import dev.storyboard.domain.project.MediaStore;
import dev.storyboard.domain.project.OutputRefusedException;
import dev.storyboard.domain.project.ProjectFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The editor's "Export MP4…" follows the same output rule as the CLI (issue 18). */
public class Mp4SceneExporterTest {
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
            assertThatThrownBy(() -> exporter.exportMp4(sb, media, target, EditorialRate.of(8), (d, t) -> { }, () -> false))
                    .as(target.toString()).isInstanceOf(OutputRefusedException.class);
        }
        assertThat(Files.readAllBytes(project)).isEqualTo(projectBytes);
        assertThat(dir.resolve("notes.txt")).hasContent("notes");
        Path out = dir.resolve("scene.mp4");
        exporter.exportMp4(sb, media, out, EditorialRate.of(8), (d, t) -> { }, () -> false);
        exporter.exportMp4(sb, media, out, EditorialRate.of(8), (d, t) -> { }, () -> false);
        assertThat(out).isNotEmptyFile();
        assertThat(framesAndRate(out)).isEqualTo("8 frames at 8/1");
        exporter.exportMp4(sb, media, out, EditorialRate.FPS_24, (d, t) -> { }, () -> false);
        assertThat(framesAndRate(out)).as("the editor's export at 24 fps holds every frame 3 times").isEqualTo("24 frames at 24/1");
    }

    /** Video packets and the stream's frame rate, as a player reads them. */
    public static String framesAndRate(Path mp4) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(mp4.toFile())) {
            g.start();
            // r_frame_rate: the stream's own rate (from the sample table). avg_frame_rate read 0/0 once in a full
            // CI run (24 packets, not reproduced alone or in order); the rate a player uses is this one.
            var rate = g.getFormatContext().streams(g.getVideoStream()).r_frame_rate();
            int frames = 0;
            AVPacket p;
            while ((p = g.grabPacket()) != null) {
                frames += p.stream_index() == g.getVideoStream() ? 1 : 0;
                org.bytedeco.ffmpeg.global.avcodec.av_packet_unref(p);
            }
            g.stop();
            return frames + " frames at " + rate.num() + "/" + rate.den();
        }
    }
}
