package dev.storyboard.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_INFO;

import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FFmpeg's own log. By default it is quiet: only errors, and those go to the app's log (SLF4J logger
 * {@code ffmpeg}) instead of FFmpeg printing encoder chatter (openh264 profile notes, muxer passes) on
 * stderr. {@link #setVerbose} ({@code --verbose} on the command line) gives FFmpeg its default stderr log at
 * info level back. Applied before FFmpeg's first use in this process ({@link #ensureConfigured}, called by
 * every class of this project that opens FFmpeg) and again whenever the setting changes.
 */
public final class FfmpegLog {
    private static final Logger LOG = LoggerFactory.getLogger("ffmpeg");
    private static volatile boolean verbose;
    private static boolean applied;
    private static Router callback;

    private FfmpegLog() {
    }

    /** True: FFmpeg logs at info level on stderr, as the ffmpeg tool does. False (default): errors only, to the app's log. */
    public static synchronized void setVerbose(boolean on) {
        verbose = on;
        if (applied) {
            apply();
        }
    }

    public static boolean verbose() {
        return verbose;
    }

    /** Sets FFmpeg's log level and destination once per process (cheap after the first call). */
    public static synchronized void ensureConfigured() {
        if (!applied) {
            Loader.load(avutil.class);
            applied = true;
            apply();
        }
    }

    private static void apply() {
        avutil.av_log_set_level(verbose ? AV_LOG_INFO : AV_LOG_ERROR);
        if (callback == null) {
            callback = new Router();
            callback.retainReference(); // FFmpeg keeps the pointer for the life of the process
            avutil.setLogCallback(callback);
        }
    }

    /**
     * Quiet: messages at error level or worse become one error line each in the app's log, the rest is
     * dropped. Verbose: everything up to info level goes to stderr as FFmpeg itself prints it.
     */
    private static final class Router extends LogCallback {
        @Override
        public void call(int level, BytePointer msg) {
            if (msg == null || msg.isNull()) {
                return;
            }
            if (verbose) {
                if (level <= AV_LOG_INFO) {
                    System.err.print(msg.getString());
                }
                return;
            }
            if (level > AV_LOG_ERROR) {
                return;
            }
            String text = msg.getString().strip();
            if (!text.isEmpty()) {
                LOG.error("{}", text);
            }
        }
    }
}
