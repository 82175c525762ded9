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
import dev.storyboard.media.export.Mp4Exporter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
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

    private static Storyboard oneShot() {
        return new Storyboard("T", "", 8, 64, 64, List.of(new Shot("s1", "a ball", 8, CameraMove.STATIC,
                ShotSize.WIDE, 1, 4, List.of(new Take("t1", 1, 8, "s1/t1")), "t1")));
    }

    /** The editor opens a project under any name; {@code proj.mp4}'s media folder is {@code proj.mp4.media}. */
    @Test
    void aProjectNamedLikeAVideoAndLinksToItAreRefused() throws Exception {
        Path project = dir.resolve("proj.mp4");
        Path media = MediaPaths.mediaDirFor(project);
        MediaStore.writeFrames(media.resolve("s1/t1"), 0, ChunkingEngine.frames(8, 90));
        Storyboard sb = oneShot();
        new ProjectFiles().write(sb, project);
        byte[] projectBytes = Files.readAllBytes(project);
        Path link = Files.createSymbolicLink(dir.resolve("link.mp4"), project);
        Mp4SceneExporter exporter = new Mp4SceneExporter();
        for (Path target : List.of(project, link, dir.resolve("sub/../proj.mp4"))) {
            assertThatThrownBy(() -> exporter.exportMp4(sb, media, target, EditorialRate.of(8), (d, t) -> { }, () -> false))
                    .as(target.toString()).isInstanceOf(OutputRefusedException.class).hasMessageContaining("project file");
        }
        assertThat(Files.readAllBytes(project)).isEqualTo(projectBytes);
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void aLinkIntoTheMediaFolderIsRefused() throws Exception {
        Path project = dir.resolve("scene.storyboard");
        Path media = MediaPaths.mediaDirFor(project);
        MediaStore.writeFrames(media.resolve("s1/t1"), 0, ChunkingEngine.frames(8, 90));
        Path link = Files.createSymbolicLink(dir.resolve("takes"), media.resolve("s1/t1"));
        assertThatThrownBy(() -> new Mp4SceneExporter().exportMp4(oneShot(), media, link.resolve("x.mp4"),
                EditorialRate.of(8), (d, t) -> { }, () -> false))
                .isInstanceOf(OutputRefusedException.class).hasMessageContaining("media folder");
        try (Stream<Path> files = Files.list(media.resolve("s1/t1"))) {
            assertThat(files).hasSize(8);
        }
    }

    @Test
    void aFullDiskDuringTheEditorsExportFailsKeepsThePreviousVideoAndLeavesNoPartialFile() throws Exception {
        Path project = dir.resolve("scene.storyboard");
        Path media = MediaPaths.mediaDirFor(project);
        MediaStore.writeFrames(media.resolve("s1/t1"), 0, ChunkingEngine.frames(8, 90));
        Path out = dir.resolve("scene.mp4");
        new Mp4SceneExporter().exportMp4(oneShot(), media, out, EditorialRate.of(8), (d, t) -> { }, () -> false);
        byte[] previous = Files.readAllBytes(out);
        Mp4SceneExporter full = new Mp4SceneExporter(() -> new Mp4Exporter(temp -> {
            try (RandomAccessFile f = new RandomAccessFile(temp.toFile(), "rw")) {
                f.setLength(f.length() / 2); // the muxer's tail never reached the disk
            }
        }));
        assertThatThrownBy(() -> full.exportMp4(oneShot(), media, out, EditorialRate.FPS_24, (d, t) -> { }, () -> false))
                .isInstanceOf(IOException.class).hasMessageContaining("previous file is kept");
        assertThat(Files.readAllBytes(out)).isEqualTo(previous);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("scene.media", "scene.mp4");
        }
    }

    /** Video packets and the stream's frame rate, as a player reads them. */
    public static String framesAndRate(Path mp4) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(mp4.toFile())) {
            g.start();
            // r_frame_rate: the stream's own rate (from the sample table). The getter is @ByRef, a view into the
            // AVStream that stop() frees, so its numbers are copied now: read after stop(), they came back 0/0
            // now and then in full CI runs (freed memory, reused).
            var stream = g.getFormatContext().streams(g.getVideoStream());
            String rate = stream.r_frame_rate().num() + "/" + stream.r_frame_rate().den();
            int frames = 0;
            AVPacket p;
            while ((p = g.grabPacket()) != null) {
                frames += p.stream_index() == g.getVideoStream() ? 1 : 0;
                org.bytedeco.ffmpeg.global.avcodec.av_packet_unref(p);
            }
            g.stop();
            return frames + " frames at " + rate;
        }
    }
}
