package dev.storyboard.app.cli;

import dev.storyboard.app.render.RenderException;
import dev.storyboard.app.render.SceneRenderer;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.project.MediaPaths;
import dev.storyboard.domain.project.ProjectFileException;
import dev.storyboard.domain.project.ProjectLoader;
import dev.storyboard.media.export.ExportException;
import dev.storyboard.media.export.ExportProgress;
import dev.storyboard.media.export.FrameSequence;
import dev.storyboard.media.export.Mp4Exporter;
import dev.storyboard.media.export.Mp4Settings;
import dev.storyboard.media.timeline.EditTimeline;
import dev.storyboard.media.timeline.TimelineExporter;
import dev.storyboard.media.timeline.TimelineFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code storyboard export-timeline PROJECT --format otio|edl|fcpxml}: the shot list for another editor,
 * with one MP4 per shot next to it ({@code NAME_media/shot-N.mp4}) that the clips reference, and the
 * prompts, seeds, camera and takes as clip metadata.
 */
@Command(name = "export-timeline", mixinStandardHelpOptions = true,
        description = "Export the shot list as OTIO, CMX3600 EDL or FCPXML plus one MP4 per shot.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:written", "1:writing failed", "2:bad command line", "3:shots have no generated take"})
public final class ExportTimelineCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "PROJECT", description = "a .storyboard project file")
    Path project;

    @Option(names = "--format", required = true, paramLabel = "otio|edl|fcpxml", description = "interchange format")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "timeline file (default: next to the project)")
    Path output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            TimelineFormat f = TimelineFormat.parse(format);
            ProjectLoader.Loaded loaded = new ProjectLoader().load(project);
            Storyboard storyboard = loaded.storyboard();
            if (storyboard.shots().isEmpty()) {
                err.println("storyboard export-timeline: the project has no shots");
                return ExitCodes.MISSING_INPUT;
            }
            Path target = output != null ? output : defaultOutput(project, f);
            String stem = target.getFileName().toString().replaceFirst("\\.[^.]+$", "");
            Path mediaDir = target.toAbsolutePath().resolveSibling(stem + "_media");
            SceneRenderer frames = new SceneRenderer(Optional::empty, 0);
            List<Shot> shots = storyboard.shots();
            Files.createDirectories(mediaDir);
            for (int i = 0; i < shots.size(); i++) {
                var shotFrames = frames.frames(storyboard, MediaPaths.mediaDirFor(project), List.of(i), line -> { });
                new Mp4Exporter().export(FrameSequence.of(shotFrames), Mp4Settings.of(storyboard.fps(),
                        even(storyboard.width()), even(storyboard.height())), mediaDir.resolve(clipFile(i)),
                        ExportProgress.NONE, () -> false);
                out.println("wrote " + mediaDir.resolve(clipFile(i)));
            }
            EditTimeline timeline = EditTimeline.of(storyboard,
                    shot -> mediaDir.getFileName() + "/" + clipFile(shots.indexOf(shot)));
            new TimelineExporter().export(timeline, f, target);
            out.println("wrote " + target + " (" + f.name() + ", " + shots.size() + " clips)");
            return ExitCodes.OK;
        } catch (IllegalArgumentException e) {
            err.println("storyboard export-timeline: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (RenderException e) {
            err.println("storyboard export-timeline: " + e.getMessage());
            return e.exitCode();
        } catch (ProjectFileException | ExportException e) {
            err.println("storyboard export-timeline: " + e.getMessage());
            return ExitCodes.FAILED;
        } catch (IOException e) {
            err.println("storyboard export-timeline: cannot create the media folder: " + e.getMessage());
            return ExitCodes.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.FAILED;
        }
    }

    static String clipFile(int index) {
        return "shot-" + (index + 1) + ".mp4";
    }

    private static int even(int n) {
        return n % 2 == 0 ? n : n + 1;
    }

    private static Path defaultOutput(Path project, TimelineFormat f) {
        String name = project.getFileName().toString().replaceFirst("\\.storyboard$", "");
        return project.toAbsolutePath().resolveSibling(name + f.extension());
    }
}
