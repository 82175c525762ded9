package dev.storyboard.app.cli;

import dev.storyboard.app.render.RenderException;
import dev.storyboard.app.render.SceneRenderer;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.export.EditorialRate;
import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.domain.io.AtomicFiles;
import dev.storyboard.domain.project.IoMessages;
import dev.storyboard.domain.project.MediaPaths;
import dev.storyboard.domain.project.OutputGuard;
import dev.storyboard.domain.project.OutputRefusedException;
import dev.storyboard.domain.project.ProjectFileException;
import dev.storyboard.domain.project.ProjectLoader;
import dev.storyboard.domain.text.Printable;
import dev.storyboard.media.export.AtomicOutput;
import dev.storyboard.media.export.ExportException;
import dev.storyboard.media.export.ExportProgress;
import dev.storyboard.media.export.FrameHold;
import dev.storyboard.media.export.FrameSequence;
import dev.storyboard.media.export.Mp4Exporter;
import dev.storyboard.media.export.Mp4Settings;
import dev.storyboard.media.timeline.EditTimeline;
import dev.storyboard.media.timeline.TimelineExporter;
import dev.storyboard.media.timeline.TimelineFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code storyboard export-timeline PROJECT --format otio|edl|fcpxml}: the shot list for another editor,
 * with one MP4 per shot next to it ({@code NAME_media/shot-N.mp4}) that the clips reference, and the
 * prompts, seeds, camera and takes as clip metadata. Timeline and clips share one editorial rate
 * ({@code --rate}, default 24): the scene's frames are conformed by frame hold ({@link FrameHold}) with the
 * cut rounding of {@link EditorialRate}.
 */
@Command(name = "export-timeline", mixinStandardHelpOptions = true,
        description = "Export the shot list as OTIO, CMX3600 EDL or FCPXML plus one MP4 per shot.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:written", "1:writing failed (nothing partial is left)", "2:bad command line, or an output the rules refuse",
                "3:the project has no shots, or shots have no generated take"})
public final class ExportTimelineCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "PROJECT", description = "a .storyboard project file")
    Path project;

    @Option(names = "--format", required = true, paramLabel = "otio|edl|fcpxml", description = "interchange format")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "timeline file (default: next to the project)")
    Path output;

    @Option(names = "--rate", paramLabel = "FPS", defaultValue = "24",
            description = "editorial frame rate of the timeline and its shot MP4s: 23.976|24|25|29.97|30|50|60 "
                    + "(default: ${DEFAULT-VALUE}); frames are held, cuts rounded to the nearest frame")
    String rate;

    /** Tests inject a full disk through the exporter. */
    Supplier<Mp4Exporter> mp4Exporter = Mp4Exporter::new;

    /** Tests inject a full disk while the timeline file itself is written. */
    Supplier<TimelineExporter> timelineExporter = TimelineExporter::new;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            TimelineFormat f = TimelineFormat.parse(format);
            EditorialRate editorial = EditorialRate.parse(rate);
            Path target = output != null ? output : defaultOutput(project, f);
            OutputGuard guard = OutputGuard.forProject(project);
            guard.checkFile(target, f.extension());         // first: it refuses a folder, a root ("/") included
            String stem = target.toAbsolutePath().getFileName().toString().replaceFirst("\\.[^.]+$", "");
            Path mediaDir = target.toAbsolutePath().resolveSibling(stem + "_media");
            guard.checkFolder(mediaDir, ExportTimelineCommand::isClipFile, "shot MP4s");
            ProjectLoader.Loaded loaded = new ProjectLoader().load(project);
            Storyboard storyboard = loaded.storyboard();
            if (storyboard.shots().isEmpty()) {
                err.println("storyboard export-timeline: " + Printable.of(project) + ": the project has no shots");
                return ExitCodes.MISSING_INPUT;
            }
            List<Shot> shots = storyboard.shots();
            List<Integer> all = IntStream.range(0, shots.size()).boxed().toList();
            // Every take is read before anything is written: a damaged take leaves no output behind.
            List<List<VideoFrame>> clips = new SceneRenderer(Optional::empty, 0)
                    .shotFrames(storyboard, MediaPaths.mediaDirFor(project), all, line -> { });
            EditTimeline timeline = EditTimeline.of(storyboard, editorial,
                    shot -> mediaDir.getFileName() + "/" + clipFile(shots.indexOf(shot)));
            // The timeline file is written first and published last: a full disk at any point leaves the earlier
            // timeline with its earlier clips, never new clips beside an old timeline.
            TimelineExporter exporter = timelineExporter.get();
            Path timelineTemp = exporter.writeTemp(timeline, f, target);
            try {
                // The clips' media at the timeline's rate, frame for frame what each clip's duration says.
                writeClips(FrameHold.shots(clips, storyboard.fps(), editorial), storyboard, editorial, mediaDir);
                exporter.publish(timelineTemp, f, target);
                timelineTemp = null;
            } finally {
                AtomicFiles.deleteQuietly(timelineTemp);
            }
            for (int i = 0; i < shots.size(); i++) {
                out.println("wrote " + mediaDir.resolve(clipFile(i)));
            }
            out.println("wrote " + target + " (" + f.name() + ", " + shots.size() + " clips, " + editorial + ")");
            return ExitCodes.OK;
        } catch (IllegalArgumentException | OutputRefusedException e) {
            err.println("storyboard export-timeline: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (RenderException e) {
            err.println("storyboard export-timeline: " + e.getMessage());
            return e.exitCode();
        } catch (ProjectFileException | ExportException e) {
            err.println("storyboard export-timeline: " + e.getMessage());
            return ExitCodes.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.FAILED;
        }
    }

    /**
     * Encodes every shot into a hidden temporary folder beside {@code mediaDir}, which replaces it only when
     * all clips are written; on failure (a full disk) nothing is left behind and an earlier export survives.
     */
    private void writeClips(List<List<VideoFrame>> clips, Storyboard storyboard, EditorialRate editorial, Path mediaDir)
            throws ExportException {
        AtomicOutput.prepareFolder(mediaDir, ExportTimelineCommand::isClipFile, "shot MP4s");
        Path temp = null;
        try {
            temp = AtomicFiles.newTempDirectory(mediaDir);
            for (int i = 0; i < clips.size(); i++) {
                mp4Exporter.get().export(FrameSequence.of(clips.get(i)), Mp4Settings.of(editorial,
                        even(storyboard.width()), even(storyboard.height())), temp.resolve(clipFile(i)),
                        ExportProgress.NONE, () -> false);
            }
            AtomicFiles.replaceDirectory(temp, mediaDir);
            temp = null;
        } catch (IOException e) {
            throw new ExportException("cannot write the shot clips to " + Printable.of(mediaDir) + ": "
                    + IoMessages.describe(e), e);
        } finally {
            AtomicFiles.deleteQuietly(temp);
        }
    }

    static boolean isClipFile(String name) {
        return name.matches("shot-\\d{1,9}\\.mp4");
    }

    static String clipFile(int index) {
        return "shot-" + (index + 1) + ".mp4";
    }

    private static int even(int n) {
        return n % 2 == 0 ? n : n + 1; // callers pass validated sizes (TimelineInvariants), far below 2^31 - 1
    }

    private static Path defaultOutput(Path project, TimelineFormat f) {
        String name = project.getFileName().toString().replaceFirst("\\.storyboard$", "");
        return project.toAbsolutePath().resolveSibling(name + f.extension());
    }
}
