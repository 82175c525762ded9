package dev.storyboard.app.cli;

import dev.storyboard.app.render.LocalEngine;
import dev.storyboard.app.render.RenderException;
import dev.storyboard.app.render.SceneRenderer;
import dev.storyboard.app.render.ShotRange;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.export.EditorialRate;
import dev.storyboard.domain.generation.GenerationService;
import dev.storyboard.domain.generation.JobProgress;
import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.domain.project.FrameFileName;
import dev.storyboard.domain.project.MediaPaths;
import dev.storyboard.domain.project.OutputGuard;
import dev.storyboard.domain.project.OutputRefusedException;
import dev.storyboard.domain.project.ProjectFileException;
import dev.storyboard.domain.project.ProjectLoader;
import dev.storyboard.domain.text.Printable;
import dev.storyboard.media.export.ExportException;
import dev.storyboard.media.export.FrameHold;
import dev.storyboard.media.export.FrameSequence;
import dev.storyboard.media.export.Mp4Exporter;
import dev.storyboard.media.export.Mp4Settings;
import dev.storyboard.media.export.PngSequenceExporter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code storyboard render PROJECT -o OUT.mp4}: headless render of a project to MP4. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = "Render a project to an MP4 without a window: uses each shot's active take and generates "
                + "missing takes with the model. The project and its media folder are not modified.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the MP4 was written", "1:rendering or writing failed (no partial file is left)",
                "2:bad command line, or an output the rules refuse (the project, its media folder, a foreign file or folder)", "3:the project has no shots, or shots lack takes and no model is available"})
public final class RenderCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "PROJECT", description = "a .storyboard project file")
    Path project;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.mp4", description = "the video (or, with --png, the folder) to write")
    Path output;

    @Option(names = "--size", paramLabel = "WxH", description = "output size (upscaled with lanczos); default: the scene's native size")
    String size;

    @Option(names = "--shots", paramLabel = "RANGE", description = "shots to render, 1-based: 2, 1-3, 1,3 (default: all)")
    String shots;

    @Option(names = "--in", paramLabel = "FRAME", description = "first frame to export (0-based, within the rendered shots)")
    Integer inFrame;

    @Option(names = "--out", paramLabel = "FRAME", description = "frame after the last one to export (exclusive)")
    Integer outFrame;

    @Option(names = "--rate", paramLabel = "FPS", defaultValue = "native",
            description = "frame rate of the MP4: native (the scene's own, 8 fps for the bundled model) or an editorial "
                    + "rate 23.976|24|25|29.97|30|50|60, reached by holding frames (default: ${DEFAULT-VALUE})")
    String rate;

    @Option(names = "--png", description = "write a PNG frame sequence into the folder OUT instead of an MP4")
    boolean png;

    @Option(names = "--device", paramLabel = "cpu|cuda", defaultValue = "cpu",
            description = "compute device for missing takes (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--model", paramLabel = "DIR", description = "model folder instead of the bundled one")
    Path modelDir;

    /** Tests replace the engine; the default starts the local service only if a shot needs it. */
    Supplier<Optional<GenerationService>> engine = this::startLocalEngine;

    /** Tests inject a full disk through the exporter. */
    Supplier<Mp4Exporter> mp4Exporter = Mp4Exporter::new;

    /** Tests inject a full disk through the PNG exporter. */
    Supplier<PngSequenceExporter> pngExporter = PngSequenceExporter::new;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!device.equals("cpu") && !device.equals("cuda")) {
            err.println("storyboard render: unknown device '" + device + "', expected cpu or cuda");
            return ExitCodes.USAGE;
        }
        Path outputName = output.getFileName();     // null for a root such as "/"
        if (!png && (outputName == null || !outputName.toString().toLowerCase().endsWith(".mp4"))) {
            err.println("storyboard render: output must be an .mp4 file, got " + output);
            return ExitCodes.USAGE;
        }
        try {
            OutputGuard guard = OutputGuard.forProject(project);
            if (png) {
                guard.checkFolder(output, FrameFileName.PNG_EXPORT::matches, "PNG frames");
            } else {
                guard.checkFile(output, ".mp4");
            }
            ProjectLoader.Loaded loaded = new ProjectLoader().load(project);
            Storyboard storyboard = loaded.storyboard();
            if (storyboard.shots().isEmpty()) {
                err.println("storyboard render: " + Printable.of(project) + ": the project has no shots");
                return ExitCodes.MISSING_INPUT;
            }
            List<Integer> indices = ShotRange.parse(shots, storyboard.shots().size());
            int[] wh = parseSize(size, storyboard);
            EditorialRate editorial = parseRate(rate, storyboard);
            if (png && !editorial.equals(EditorialRate.of(storyboard.fps()))) {
                throw new IllegalArgumentException("--png writes the scene's own frames; --rate applies to MP4 only");
            }
            TerminalProgress progress = new TerminalProgress(out, TerminalProgress.stdoutIsTerminal());
            SceneRenderer renderer = new SceneRenderer(engine, 3600);
            List<VideoFrame> frames = renderer.frames(storyboard, MediaPaths.mediaDirFor(project), indices,
                    new SceneRenderer.Listener() {
                        @Override
                        public void status(String line) {
                            progress.line(line);
                        }

                        @Override
                        public void generationProgress(int shotNumber, JobProgress p) {
                            progress.update("shot " + shotNumber, (int) Math.round(p.fraction() * 1000), 1000);
                        }
                    });
            frames = inOut(frames);
            if (png) {
                pngExporter.get().export(FrameSequence.of(frames), output,
                        (done, total) -> progress.update("writing", done, total), () -> Thread.currentThread().isInterrupted());
                out.println("wrote " + output + " (" + frames.size() + " PNG frames, native size)");
                return ExitCodes.OK;
            }
            frames = FrameHold.conform(frames, storyboard.fps(), editorial);
            mp4Exporter.get().export(FrameSequence.of(frames), Mp4Settings.of(editorial, wh[0], wh[1]), output,
                    (done, total) -> progress.update("encoding", done, total), () -> Thread.currentThread().isInterrupted());
            out.println("wrote " + output + " (" + frames.size() + " frames, " + wh[0] + "x" + wh[1] + ", "
                    + editorial.label() + " fps, H.264 " + Mp4Exporter.h264Encoder() + ")");
            return ExitCodes.OK;
        } catch (IllegalArgumentException | OutputRefusedException e) {
            err.println("storyboard render: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (ProjectFileException | ExportException e) {
            err.println("storyboard render: " + e.getMessage());
            return ExitCodes.FAILED;
        } catch (RenderException e) {
            err.println("storyboard render: " + e.getMessage());
            return e.exitCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("storyboard render: interrupted");
            return ExitCodes.FAILED;
        }
    }

    /** The --in/--out sub-range of the rendered frames. */
    private List<VideoFrame> inOut(List<VideoFrame> frames) {
        int from = inFrame == null ? 0 : inFrame;
        int to = outFrame == null ? frames.size() : outFrame;
        if (from < 0 || to > frames.size() || from >= to) {
            throw new IllegalArgumentException("frame range --in " + from + " --out " + to + " is outside the "
                    + frames.size() + " rendered frames (or empty)");
        }
        return frames.subList(from, to);
    }

    /** {@code native} (the scene's own rate) or one of {@link EditorialRate#STANDARD}. */
    static EditorialRate parseRate(String rate, Storyboard storyboard) {
        if (rate == null || rate.strip().equalsIgnoreCase("native")) {
            return EditorialRate.of(storyboard.fps());
        }
        try {
            return EditorialRate.parse(rate);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad --rate '" + rate + "': expected native|" + EditorialRate.choices());
        }
    }

    static int[] parseSize(String size, Storyboard storyboard) {
        if (size == null) {
            return new int[] {storyboard.width(), storyboard.height()};
        }
        String[] p = size.toLowerCase().split("x");
        try {
            if (p.length == 2) {
                return new int[] {Integer.parseInt(p[0].strip()), Integer.parseInt(p[1].strip())};
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("bad --size '" + size + "': write WIDTHxHEIGHT, e.g. 512x512");
    }

    private Optional<GenerationService> startLocalEngine() {
        return LocalEngine.start(modelDir, spec.commandLine().getErr());
    }
}
