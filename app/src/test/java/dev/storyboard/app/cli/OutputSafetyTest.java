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
import dev.storyboard.media.export.Mp4Exporter;
import dev.storyboard.media.export.PngSequenceExporter;
import dev.storyboard.media.timeline.TimelineExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The destructive-output matrix (issue 18): every command that writes, pointed at every kind of target a
 * creator could type. A refused target exits 2, names the path, and leaves every file in the project
 * folder byte for byte as it was.
 */
class OutputSafetyTest {
    @TempDir Path dir;
    private Path project;
    private Path media;

    @BeforeEach
    void writeProject() throws Exception {
        project = dir.resolve("scene.storyboard");
        media = MediaPaths.mediaDirFor(project);
        MediaStore.writeFrames(media.resolve("s1/t1"), 0, ChunkingEngine.frames(8, 200));
        Storyboard sb = new Storyboard("Test", "", 8, 64, 64, List.of(
                new Shot("s1", "a red ball bounces", 8, CameraMove.STATIC, ShotSize.WIDE, 1, 4,
                        List.of(new Take("t1", 1, 8, "s1/t1")), "t1")));
        new ProjectFiles().write(sb, project);
        Files.writeString(dir.resolve("notes.txt"), "my notes");
    }

    private record Run(int exit, String out, String err) {}

    static Run run(Object command, String... args) {
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

    /** Every regular file under the folder with its bytes. */
    private Map<String, String> snapshot() throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        }
        return files;
    }

    private void assertRefused(Object command, String... args) throws Exception {
        Map<String, String> before = snapshot();
        Run r = run(command, args);
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("refusing to write");
        assertThat(snapshot()).as("files after " + String.join(" ", args)).isEqualTo(before);
    }

    // --- render --png -------------------------------------------------------------------------------

    @Test
    void pngIntoTheProjectsOwnFolderIsRefused() throws Exception {
        assertRefused(render(), project.toString(), "--png", "-o", dir.toString());
        assertThat(project).exists();
        assertThat(dir.resolve("notes.txt")).hasContent("my notes");
    }

    @Test
    void pngIntoTheMediaFolderOrATakeFolderIsRefused() throws Exception {
        assertRefused(render(), project.toString(), "--png", "-o", media.toString());
        assertRefused(render(), project.toString(), "--png", "-o", media.resolve("s1/t1").toString());
        assertRefused(render(), project.toString(), "--png", "-o", media.resolve("s1/new").toString());
    }

    @Test
    void pngIntoAnUnrelatedNonEmptyFolderOrOntoAFileIsRefused() throws Exception {
        Path other = Files.createDirectory(dir.resolve("other"));
        Files.writeString(other.resolve("keep.txt"), "keep");
        assertRefused(render(), project.toString(), "--png", "-o", other.toString());
        assertRefused(render(), project.toString(), "--png", "-o", project.toString());
        assertRefused(render(), project.toString(), "--png", "-o", dir.resolve("notes.txt").toString());
    }

    @Test
    void pngIntoANewAnEmptyOrAnEarlierPngFolderIsWritten() throws Exception {
        Path fresh = dir.resolve("frames");
        assertThat(run(render(), project.toString(), "--png", "-o", fresh.toString()).exit()).isZero();
        assertThat(run(render(), project.toString(), "--png", "-o", fresh.toString()).exit()).as("re-run replaces").isZero();
        try (Stream<Path> files = Files.list(fresh)) {
            assertThat(files).hasSize(8);
        }
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThat(run(render(), project.toString(), "--png", "-o", empty.toString()).exit()).isZero();
    }

    @Test
    void pngOverALinkToTheProjectOrItsMediaFolderIsRefused() throws Exception {
        Path other = Files.createDirectory(dir.resolve("other"));
        assertRefused(render(), project.toString(), "--png", "-o",
                Files.createSymbolicLink(other.resolve("to-media"), media).toString());
        assertRefused(render(), project.toString(), "--png", "-o",
                Files.createSymbolicLink(other.resolve("to-take"), media.resolve("s1/t1")).toString());
        assertRefused(render(), project.toString(), "--png", "-o",
                Files.createSymbolicLink(other.resolve("to-project-folder"), dir).toString());
        assertRefused(render(), project.toString(), "--png", "-o",
                Files.createSymbolicLink(other.resolve("to-project"), project).toString());
    }

    @Test
    void aFullDiskDuringPngExitsNonZeroKeepsThePreviousFramesAndLeavesNoPartialFolder() throws Exception {
        Path out = dir.resolve("frames");
        assertThat(run(render(), project.toString(), "--png", "-o", out.toString()).exit()).isZero();
        Map<String, String> before = snapshot();
        RenderCommand full = render();
        int[] written = {0};
        full.pngExporter = () -> new PngSequenceExporter(file -> {
            if (++written[0] == 5) {
                throw new IOException("No space left on device");
            }
        });
        Run r = run(full, project.toString(), "--png", "-o", out.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).doesNotContain("wrote");
        assertThat(r.err()).contains("disk is full");
        assertThat(snapshot()).isEqualTo(before);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
        }
    }

    // --- render MP4 ---------------------------------------------------------------------------------

    @Test
    void mp4OntoAProjectNamedMp4OrInsideTheMediaFolderIsRefused() throws Exception {
        Path mp4Project = dir.resolve("proj.mp4");
        Files.copy(project, mp4Project);
        assertRefused(render(), mp4Project.toString(), "-o", mp4Project.toString());
        assertRefused(render(), project.toString(), "-o", media.resolve("s1/t1/x.mp4").toString());
        assertRefused(render(), project.toString(), "-o", media.resolve("clip.mp4").toString());
    }

    @Test
    void mp4OntoAFolderOrAFileOfAnotherKindIsRefused() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("old.mp4"));
        Files.writeString(folder.resolve("keep.txt"), "keep");
        assertRefused(render(), project.toString(), "-o", folder.toString());
        // named .mp4, but the file it names is not one
        assertRefused(render(), project.toString(), "-o",
                Files.createSymbolicLink(dir.resolve("notes.mp4"), dir.resolve("notes.txt")).toString());
        Map<String, String> before = snapshot();
        Run r = run(render(), project.toString(), "-o", dir.resolve("notes.txt").toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("must be an .mp4 file");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void mp4OverALinkToTheProjectIsRefused() throws Exception {
        Path mp4Project = dir.resolve("proj.mp4");
        Files.copy(project, mp4Project);
        Path link = Files.createSymbolicLink(dir.resolve("link.mp4"), mp4Project);
        assertRefused(render(), mp4Project.toString(), "-o", link.toString());
    }

    @Test
    void mp4OverAnEarlierMp4IsReplaced() throws Exception {
        Path out = dir.resolve("out.mp4");
        assertThat(run(render(), project.toString(), "-o", out.toString()).exit()).isZero();
        assertThat(run(render(), project.toString(), "-o", out.toString()).exit()).isZero();
        assertThat(out).isRegularFile();
    }

    @Test
    void aFullDiskDuringRenderExitsNonZeroKeepsThePreviousVideoAndLeavesNoPartialFile() throws Exception {
        Path out = dir.resolve("out.mp4");
        assertThat(run(render(), project.toString(), "-o", out.toString()).exit()).isZero();
        Map<String, String> before = snapshot();
        RenderCommand full = render();
        full.mp4Exporter = () -> new Mp4Exporter(temp -> {
            try (RandomAccessFile f = new RandomAccessFile(temp.toFile(), "rw")) {
                f.setLength(f.length() / 2); // the muxer's tail never reached the disk
            }
        });
        Run r = run(full, project.toString(), "-o", out.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).doesNotContain("wrote");
        assertThat(r.err()).contains("is damaged").contains("previous file is kept");
        assertThat(snapshot()).isEqualTo(before);
    }

    // --- export-timeline ----------------------------------------------------------------------------

    @Test
    void everyTimelineFormatRefusesTheProjectTheMediaFolderAndFilesOfAnotherKind() throws Exception {
        for (String format : List.of("otio", "edl", "fcpxml")) {
            assertRefused(new ExportTimelineCommand(), project.toString(), "--format", format, "-o", project.toString());
            assertRefused(new ExportTimelineCommand(), project.toString(), "--format", format, "-o",
                    media.resolve("s1/t1/frame-000000.png").toString());
            assertRefused(new ExportTimelineCommand(), project.toString(), "--format", format, "-o",
                    media.resolve("s1/t1/cut." + format).toString());
            assertRefused(new ExportTimelineCommand(), project.toString(), "--format", format, "-o",
                    dir.resolve("notes.txt").toString());
            assertRefused(new ExportTimelineCommand(), project.toString(), "--format", format, "-o", dir.toString());
        }
    }

    /** A root ("/") as the output was a NullPointerException (it has no file name): now a refusal or usage error. */
    @Test
    void aRootAsTheOutputIsRefusedWithoutAStackTrace() throws Exception {
        for (String format : List.of("otio", "edl", "fcpxml")) {
            assertRefused(new ExportTimelineCommand(), project.toString(), "--format", format, "-o", "/");
        }
        assertRefused(render(), project.toString(), "--png", "-o", "/");
        Map<String, String> before = snapshot();
        Run r = run(render(), project.toString(), "-o", "/");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).startsWith("storyboard render: output must be an .mp4 file, got /")
                .doesNotContain("Exception");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void everyTimelineFormatRefusesALinkToTheProjectOrIntoItsMediaFolder() throws Exception {
        Path other = Files.createDirectory(dir.resolve("other"));
        for (String format : List.of("otio", "edl", "fcpxml")) {
            // a link to the project, and one into its media folder under a name of the output's own kind
            Path toProject = Files.createSymbolicLink(other.resolve("project." + format), project);
            assertRefused(new ExportTimelineCommand(), project.toString(), "--format", format, "-o", toProject.toString());
            Path inMedia = Files.createSymbolicLink(other.resolve("media-" + format), media.resolve("s1/t1"));
            assertRefused(new ExportTimelineCommand(), project.toString(), "--format", format, "-o",
                    inMedia.resolve("cut." + format).toString());
            // the shot clips' folder NAME_media may not be a link into the media folder either
            Files.createSymbolicLink(other.resolve("linked-" + format + "_media"), media.resolve("s1"));
            assertRefused(new ExportTimelineCommand(), project.toString(), "--format", format, "-o",
                    other.resolve("linked-" + format + "." + format).toString());
        }
    }

    @Test
    void aTimelineWhoseMediaFolderWouldBeAForeignFolderIsRefused() throws Exception {
        Path foreign = Files.createDirectory(dir.resolve("cut_media"));
        Files.writeString(foreign.resolve("mine.txt"), "mine");
        assertRefused(new ExportTimelineCommand(), project.toString(), "--format", "otio", "-o",
                dir.resolve("cut.otio").toString());
    }

    @Test
    void aTimelineOverAnEarlierExportOfTheSameKindIsReplaced() throws Exception {
        for (String format : List.of("otio", "edl", "fcpxml")) {
            Path out = dir.resolve("cut." + format);
            Run first = run(new ExportTimelineCommand(), project.toString(), "--format", format, "-o", out.toString());
            assertThat(first.exit()).as(first.err()).isZero();
            Run again = run(new ExportTimelineCommand(), project.toString(), "--format", format, "-o", out.toString());
            assertThat(again.exit()).as(again.err()).isZero();
        }
    }

    @Test
    void longOutputNamesWork() throws Exception {
        Path out = dir.resolve("v".repeat(246 - 4) + ".mp4");
        Run r = run(render(), project.toString(), "-o", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        Path timeline = dir.resolve("t".repeat(246 - 5) + ".otio");
        Run t = run(new ExportTimelineCommand(), project.toString(), "--format", "otio", "-o", timeline.toString());
        assertThat(t.exit()).as(t.err()).isZero();
        Run again = run(new ExportTimelineCommand(), project.toString(), "--format", "otio", "-o", timeline.toString());
        assertThat(again.exit()).as(again.err()).isZero();
    }

    @Test
    void renderAndExportTimelineTreatAMissingFolderAlikeAndCreateNothing() throws Exception {
        Map<String, String> before = snapshot();
        Run r = run(render(), project.toString(), "-o", dir.resolve("missing/a.mp4").toString());
        Run t = run(new ExportTimelineCommand(), project.toString(), "--format", "otio", "-o",
                dir.resolve("missing/a.otio").toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(t.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).contains("does not exist");
        assertThat(t.err()).contains("does not exist");
        assertThat(dir.resolve("missing")).doesNotExist();
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aFailedTimelineExportLeavesNoPartialMediaFolder() throws Exception {
        Files.writeString(media.resolve("s1/t1/frame-000004.png"), "truncated by a full disk");
        Map<String, String> before = snapshot();
        Run t = run(new ExportTimelineCommand(), project.toString(), "--format", "fcpxml");
        assertThat(t.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(snapshot()).isEqualTo(before);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("_media"));
        }
    }

    @Test
    void aFullDiskDuringTimelineExportKeepsTheEarlierExportAndLeavesNoPartialFolder() throws Exception {
        for (String format : List.of("otio", "edl", "fcpxml")) {
            Path out = dir.resolve("cut." + format);
            assertThat(run(new ExportTimelineCommand(), project.toString(), "--format", format, "-o", out.toString()).exit()).isZero();
            Map<String, String> before = snapshot();
            ExportTimelineCommand full = new ExportTimelineCommand();
            full.mp4Exporter = () -> new Mp4Exporter(temp -> {
                throw new IOException("No space left on device");
            });
            Run t = run(full, project.toString(), "--format", format, "-o", out.toString());
            assertThat(t.exit()).as(format).isEqualTo(ExitCodes.FAILED);
            assertThat(t.err()).contains("disk is full");
            assertThat(snapshot()).as(format).isEqualTo(before);
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
            }
        }
    }

    @Test
    void aFullDiskWhileTheTimelineFileIsWrittenKeepsTheEarlierTimelineWithItsEarlierClips() throws Exception {
        for (String format : List.of("otio", "edl", "fcpxml")) {
            Path out = dir.resolve("cut." + format);
            assertThat(run(new ExportTimelineCommand(), project.toString(), "--format", format, "-o", out.toString()).exit()).isZero();
            // the earlier export's clips differ from what this run would write
            Files.writeString(dir.resolve("cut_media/shot-1.mp4"), "the earlier clip");
            Map<String, String> before = snapshot();
            ExportTimelineCommand full = new ExportTimelineCommand();
            full.timelineExporter = () -> new TimelineExporter(temp -> {
                throw new IOException("No space left on device");
            });
            Run t = run(full, project.toString(), "--format", format, "-o", out.toString());
            assertThat(t.exit()).as(format).isEqualTo(ExitCodes.FAILED);
            assertThat(t.err()).contains("disk is full");
            assertThat(snapshot()).as(format + ": the earlier timeline and its clips").isEqualTo(before);
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
            }
        }
    }

    // --- eval -----------------------------------------------------------------------------------------

    private record StdRun(int exit, String err) {}

    private static StdRun eval(String... args) {
        PrintStream realErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = new CommandLine(new EvalCommand()).execute(args);
            return new StdRun(exit, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(realErr);
        }
    }

    @Test
    void evalOntoAnExistingFileOrAForeignFolderIsRefusedWithoutAStackTrace() throws Exception {
        Map<String, String> before = snapshot();
        StdRun file = eval("-o", dir.resolve("notes.txt").toString(), dir.resolve("missing.mp4").toString());
        assertThat(file.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(file.err()).contains("refusing to write").contains("notes.txt").doesNotContain("Exception").doesNotContain("\tat ");
        StdRun folder = eval("-o", dir.toString(), dir.resolve("missing.mp4").toString());
        assertThat(folder.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(folder.err()).contains("refusing to write").doesNotContain("\tat ");
        assertThat(snapshot()).isEqualTo(before);
    }

    private static StdRun eval(EvalCommand command, String... args) {
        PrintStream realErr = System.err;
        PrintStream realOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            int exit = new CommandLine(command).execute(args);
            return new StdRun(exit, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(realErr);
            System.setOut(realOut);
        }
    }

    /** PNG frames of the project to judge: eval's input. */
    private Path framesToJudge() {
        Path frames = dir.resolve("frames");
        assertThat(run(render(), project.toString(), "--png", "-o", frames.toString()).exit()).isZero();
        return frames;
    }

    @Test
    void evalOverAnEarlierReportReplacesItAtomically() throws Exception {
        Path frames = framesToJudge();
        Path report = dir.resolve("report");
        StdRun first = eval(new EvalCommand(), "-o", report.toString(), frames.toString());
        assertThat(first.exit()).as(first.err()).isZero();
        Files.writeString(report.resolve("report.md"), "an earlier report");
        Files.writeString(report.resolve("report.json"), "{}");
        StdRun again = eval(new EvalCommand(), "-o", report.toString(), frames.toString());
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(report.resolve("report.md")).content().startsWith("# Evaluation report");
        assertThat(report.resolve("report.json")).content().contains("\"runs\"");
        try (Stream<Path> files = Files.list(report)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("report.json", "report.md");
        }
    }

    /**
     * {@code kill -9} while eval writes its report leaves the hidden temporary of report.json or report.md in the
     * folder (seen with the jar: {@code .report.json<digits>.tmp}); the next run refused the folder (exit 2).
     */
    @Test
    void evalOverTheTemporariesOfAKilledEvalWritesItsReportAndRemovesOnlyStaleOnes() throws Exception {
        Path frames = framesToJudge();
        Path report = dir.resolve("report");
        assertThat(eval(new EvalCommand(), "-o", report.toString(), frames.toString()).exit()).isZero();
        FileTime anHourAgo = FileTime.from(Instant.now().minusSeconds(3600));
        Path stale = Files.writeString(report.resolve(".report.json14866461129273419999.tmp"), "{\"half\": ");
        Files.setLastModifiedTime(stale, anHourAgo);
        Path fresh = Files.writeString(report.resolve(".report.md123.tmp"), "# killed a moment ago, or a live run's");
        StdRun again = eval(new EvalCommand(), "-o", report.toString(), frames.toString());
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(report.resolve("report.json")).content().contains("\"runs\"");
        assertThat(report.resolve("report.md")).content().startsWith("# Evaluation report");
        assertThat(stale).doesNotExist();
        assertThat(fresh).as("too young to be known dead: kept, and not taken for the report")
                .hasContent("# killed a moment ago, or a live run's");
        Path foreign = Files.writeString(report.resolve(".report.json.tmp"), "not a temporary of ours");
        Files.setLastModifiedTime(foreign, anHourAgo);
        StdRun refused = eval(new EvalCommand(), "-o", report.toString(), frames.toString());
        assertThat(refused.exit()).as(refused.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("refusing to write").contains(".report.json.tmp");
        assertThat(foreign).hasContent("not a temporary of ours");
    }

    @Test
    void evalOntoALinkToTheProjectOrIntoItsMediaFolderIsRefused() throws Exception {
        Map<String, String> before = snapshot();
        for (Path target : List.of(Files.createSymbolicLink(dir.resolve("to-project"), project),
                Files.createSymbolicLink(dir.resolve("to-media"), media), media.resolve("s1/t1"))) {
            StdRun r = eval("-o", target.toString(), dir.resolve("missing.mp4").toString());
            assertThat(r.exit()).as(target.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains("refusing to write");
        }
        Files.delete(dir.resolve("to-project"));
        Files.delete(dir.resolve("to-media"));
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void evalGenerateKeepsItsReportOffTheProjectAndOutOfItsMediaFolder() throws Exception {
        Map<String, String> before = snapshot();
        StdRun onto = eval("--generate", "-o", project.toString(), project.toString());
        assertThat(onto.exit()).as(onto.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(onto.err()).contains("refusing to write");
        StdRun r = eval("--generate", "-o", media.resolve("report").toString(), project.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("refusing to write").contains("media folder");
        assertThat(snapshot()).isEqualTo(before);
        assertThat(media.resolve("report")).doesNotExist();
    }

    @Test
    void aFullDiskWhileEvalWritesItsReportExitsNonZeroKeepsTheEarlierReportAndLeavesNoPartialFile() throws Exception {
        Path frames = framesToJudge();
        Path report = dir.resolve("report");
        assertThat(eval(new EvalCommand(), "-o", report.toString(), frames.toString()).exit()).isZero();
        Map<String, String> before = snapshot();
        int[] written = {0};
        EvalCommand full = new EvalCommand();
        full.reportFault = temp -> {
            if (++written[0] == 2) { // report.json is complete, report.md is not
                throw new IOException("No space left on device");
            }
        };
        StdRun r = eval(full, "-o", report.toString(), frames.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).contains("disk is full").doesNotContain("\tat ");
        assertThat(snapshot()).as("the earlier report.json and report.md, and nothing else").isEqualTo(before);
        Path fresh = dir.resolve("fresh-report");
        written[0] = 0;
        assertThat(eval(full, "-o", fresh.toString(), frames.toString()).exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(fresh).as("a folder the failed run created").doesNotExist();
    }

    @Test
    void evalIntoAnUnwritablePlaceSaysSoWithoutAStackTrace() {
        StdRun proc = eval("-o", "/proc/x", dir.resolve("missing.mp4").toString());
        assertThat(proc.exit()).isNotZero();
        assertThat(proc.err()).contains("/proc/x").doesNotContain("\tat ").doesNotContain("Exception");
    }
}
