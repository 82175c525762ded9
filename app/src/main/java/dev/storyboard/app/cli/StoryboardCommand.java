package dev.storyboard.app.cli;

import dev.storyboard.inference.model.BundledModel;
import dev.storyboard.media.FfmpegLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code storyboard}: opens the editor; sub-commands for diagnostics and tooling. */
@Command(name = "storyboard",
        mixinStandardHelpOptions = true,
        versionProvider = StoryboardCommand.Version.class,
        description = "Direct multi-shot AI video, shot by shot. Without a command, opens the editor.",
        subcommands = {EditCommand.class, RenderCommand.class, ExportTimelineCommand.class, EvalCommand.class,
                DoctorCommand.class, EncodeTextCommand.class, BenchCommand.class})
public final class StoryboardCommand implements Callable<Integer> {

    /** Inherited by every sub-command: {@code storyboard render --verbose …} works as well as {@code storyboard --verbose render …}. */
    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "also print FFmpeg's own log (encoder and muxer messages); by default only its errors reach the log")
    void verbose(boolean on) {
        FfmpegLog.setVerbose(on);
    }

    /** The {@code storyboard} command line with its sub-commands, whose usage errors print escaped ({@link PrintableUsageErrors}). */
    public static CommandLine commandLine() {
        return new CommandLine(new StoryboardCommand()).setParameterExceptionHandler(new PrintableUsageErrors());
    }

    @Override
    public Integer call() {
        return new EditCommand().call();
    }

    /** The Maven-filtered resource that holds the project version (app/src/main/resources). */
    static final String VERSION_RESOURCE = "/storyboard/app-version.properties";

    /**
     * {@code --version}: the project version (filtered into {@value #VERSION_RESOURCE} at build time, so it is
     * the same from classes, the jar and the installers) and the bundled model's name and manifest hash.
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Optional<BundledModel.Identity> model;
            String modelLine;
            try {
                model = new BundledModel(StoryboardCommand.class.getClassLoader(), BundledModel.defaultCacheRoot())
                        .identity();
                modelLine = model.map(m -> "model " + m.name() + " (manifest sha256 " + m.manifestSha256() + ")")
                        .orElse("model: none bundled");
            } catch (IOException | RuntimeException e) {
                modelLine = "model: unreadable (" + e.getMessage() + ")";
            }
            return new String[] {"storyboard " + projectVersion(), modelLine};
        }
    }

    /** The Maven project version this build was made from. */
    public static String projectVersion() {
        try (InputStream in = StoryboardCommand.class.getResourceAsStream(VERSION_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(VERSION_RESOURCE + " is missing from the build");
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "");
            if (v.isBlank() || v.contains("${")) {
                throw new IllegalStateException(VERSION_RESOURCE + " was not filtered by Maven: " + v);
            }
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
