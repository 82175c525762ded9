package dev.storyboard.app.cli;

import dev.storyboard.media.FfmpegLog;
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

    @Override
    public Integer call() {
        return new EditCommand().call();
    }

    /** Version from the jar manifest, or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = StoryboardCommand.class.getPackage().getImplementationVersion();
            return new String[] {"storyboard " + (v == null ? "dev" : v)};
        }
    }
}
