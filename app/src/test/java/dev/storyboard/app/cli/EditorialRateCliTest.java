package dev.storyboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.app.render.Mp4SceneExporterTest;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 23 end to end: {@code export-timeline --rate} and {@code render --rate} on issue 23's 3-shot scene
 * (8, 12 and 20 frames at 8 fps), the written media read back as a player reads them, and a quiet stderr.
 */
class EditorialRateCliTest {
    @TempDir Path dir;
    private Path project;

    @BeforeEach
    void writeProject() throws Exception {
        project = dir.resolve("scene.storyboard");
        Path media = MediaPaths.mediaDirFor(project);
        int[] lengths = {8, 12, 20};
        List<Shot> shots = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) {
            String id = "s" + (i + 1);
            String take = "t" + (i + 1);
            MediaStore.writeFrames(media.resolve(id + "/" + take), 0, ChunkingEngine.frames(lengths[i], 60 * i + 30));
            shots.add(new Shot(id, "shot & <" + i + "> \"q\"", lengths[i], CameraMove.STATIC, ShotSize.WIDE, i, 4,
                    List.of(new Take(take, i, lengths[i], id + "/" + take)), take));
        }
        new ProjectFiles().write(new Storyboard("Ball & <Cube>", "", 8, 64, 64, shots), project);
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

    private static final Pattern EVENT = Pattern.compile(
            "^\\d{3}\\s+AX\\s+V\\s+C\\s+(\\S+) (\\S+) (\\S+) (\\S+)$", Pattern.MULTILINE);

    private static long frames(String tc, int base) {
        String[] p = tc.split(":");
        return ((Long.parseLong(p[0]) * 60 + Long.parseLong(p[1])) * 60 + Long.parseLong(p[2])) * base + Long.parseLong(p[3]);
    }

    @Test
    void exportTimelineDefaultsTo24FpsAndEachClipsMediaHoldsExactlyItsFrames() throws Exception {
        Run r = run(new ExportTimelineCommand(), project.toString(), "--format", "edl");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("(EDL, 3 clips, 24 fps)");
        Matcher m = EVENT.matcher(Files.readString(dir.resolve("scene.edl")));
        List<Long> durations = new ArrayList<>();
        while (m.find()) {
            long source = frames(m.group(2), 24) - frames(m.group(1), 24);
            assertThat(frames(m.group(4), 24) - frames(m.group(3), 24)).isEqualTo(source);
            durations.add(source);
        }
        assertThat(durations).containsExactly(24L, 36L, 60L); // 1.0, 1.5 and 2.5 s at 24 fps
        for (int i = 0; i < 3; i++) {
            assertThat(Mp4SceneExporterTest.framesAndRate(dir.resolve("scene_media/shot-" + (i + 1) + ".mp4")))
                    .as("shot %d's media: the event's source duration, at the timeline's rate", i + 1)
                    .isEqualTo(durations.get(i) + " frames at 24/1");
        }
    }

    @Test
    void at2997TheFcpxmlDurationsAndTheMediaAgreeFrameForFrame() throws Exception {
        Path out = dir.resolve("ntsc.fcpxml");
        Run r = run(new ExportTimelineCommand(), project.toString(), "--format", "fcpxml", "--rate", "29.97", "-o", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        String xml = Files.readString(out);
        assertThat(xml).contains("frameDuration=\"1001/30000s\"");
        Matcher clip = Pattern.compile("<asset-clip duration=\"(\\d+)/30000s\"").matcher(xml);
        List<String> media = new ArrayList<>();
        while (clip.find()) {
            media.add(Long.parseLong(clip.group(1)) / 1001 + " frames at 30000/1001");
        }
        assertThat(media).containsExactly("30 frames at 30000/1001", "45 frames at 30000/1001", "75 frames at 30000/1001");
        for (int i = 0; i < 3; i++) {
            assertThat(Mp4SceneExporterTest.framesAndRate(dir.resolve("ntsc_media/shot-" + (i + 1) + ".mp4"))).isEqualTo(media.get(i));
        }
    }

    @Test
    void aRateNoEditorOffersIsABadCommandLine() {
        Run r = run(new ExportTimelineCommand(), project.toString(), "--format", "otio", "--rate", "8");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("unknown frame rate '8', expected one of 23.976|24|25|29.97|30|50|60");
        assertThat(dir.resolve("scene.otio")).doesNotExist();
    }

    @Test
    void renderKeepsTheNativeRateUnlessAnEditorialRateIsAsked() throws Exception {
        RenderCommand plain = new RenderCommand();
        plain.engine = Optional::empty;
        Path nativeOut = dir.resolve("native.mp4");
        assertThat(run(plain, project.toString(), "-o", nativeOut.toString()).exit()).isZero();
        assertThat(Mp4SceneExporterTest.framesAndRate(nativeOut)).isEqualTo("40 frames at 8/1");

        RenderCommand film = new RenderCommand();
        film.engine = Optional::empty;
        Path filmOut = dir.resolve("film.mp4");
        Run r = run(film, project.toString(), "-o", filmOut.toString(), "--rate", "25");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("125 frames, 64x64, 25 fps");
        assertThat(Mp4SceneExporterTest.framesAndRate(filmOut)).isEqualTo("125 frames at 25/1");

        RenderCommand png = new RenderCommand();
        png.engine = Optional::empty;
        Run p = run(png, project.toString(), "--png", "-o", dir.resolve("frames").toString(), "--rate", "24");
        assertThat(p.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(p.err()).contains("--rate applies to MP4 only");
    }

    /** The launcher in its own JVM, so FFmpeg's native stderr is captured too. */
    private Run launch(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + dir.resolve("home"), "-Dai.djl.offline=true", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), "dev.storyboard.app.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("launcher finished").isTrue();
        return new Run(p.exitValue(), Files.readString(dir.resolve("stdout.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void anExportPrintsOnlyTheCliLinesAndVerboseBringsFfmpegsLogBack() throws Exception {
        Run quiet = launch("export-timeline", project.toString(), "--format", "otio");
        assertThat(quiet.exit()).as(quiet.err()).isZero();
        assertThat(quiet.err()).as("stderr of a successful export").isEmpty();
        assertThat(quiet.out().lines().toList()).hasSize(4).allMatch(l -> l.startsWith("wrote "));

        Run verbose = launch("export-timeline", project.toString(), "--format", "otio", "--verbose");
        assertThat(verbose.exit()).as(verbose.err()).isZero();
        assertThat(verbose.err()).as("FFmpeg's own log with --verbose").contains("Output #0, mp4");
        assertThat(verbose.out().lines().toList()).hasSize(4).allMatch(l -> l.startsWith("wrote "));
    }
}
