package dev.storyboard.judge.metrics;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;

import dev.storyboard.judge.JudgeException;
import dev.storyboard.judge.video.Clip;
import dev.storyboard.judge.video.VideoReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Cross-check for {@link SceneCutDetector}: FFmpeg's own scene detection, run with the {@code ffmpeg} program
 * that ships inside the bytedeco ffmpeg jar ({@code Loader.load(org.bytedeco.ffmpeg.ffmpeg.class)}).
 *
 * <ul>
 *   <li>{@link Method#SCDET}: {@code -vf scdet=threshold=T} (default T = 10, FFmpeg's default); reads
 *   {@code lavfi.scd.score} / {@code lavfi.scd.time} from the log.</li>
 *   <li>{@link Method#SELECT}: {@code -vf select='gt(scene,T)',showinfo} (default T = 0.3); reads
 *   {@code pts_time} of the selected frames.</li>
 * </ul>
 * Times are turned into frame indices with the clip's frame rate (round(time &times; fps)).
 */
public final class FfmpegSceneDetector {

    public enum Method {
        SCDET(10.0), SELECT(0.3);

        private final double defaultThreshold;

        Method(double defaultThreshold) {
            this.defaultThreshold = defaultThreshold;
        }

        public double defaultThreshold() {
            return defaultThreshold;
        }
    }

    /**
     * One scene change FFmpeg reported.
     *
     * @param frame       round(time &times; fps): the frame number by presentation time (a file whose first
     *                    frame has pts 1 is off by one from the decoding order; match by time, see
     *                    {@link Clip#frameAt})
     * @param timeSeconds presentation time of the first frame of the new scene
     * @param score       scdet's score (0..100); 0 for the select method
     */
    public record Change(int frame, double timeSeconds, double score) {
    }

    /** @param changes scene changes in time order; @param command the ffmpeg command line that was run */
    public record Result(Method method, double threshold, List<Change> changes, List<String> command) {
        public Result {
            changes = List.copyOf(changes);
            command = List.copyOf(command);
        }

        public List<Integer> frames() {
            return changes.stream().map(Change::frame).toList();
        }
    }

    private static final Pattern SCDET = Pattern.compile(
            "lavfi\\.scd\\.score:\\s*([0-9.eE+-]+),\\s*lavfi\\.scd\\.time:\\s*([0-9.eE+-]+)");
    private static final Pattern SHOWINFO = Pattern.compile("pts_time:\\s*([0-9.eE+-]+)");
    private static final long TIMEOUT_SECONDS = 300;

    private FfmpegSceneDetector() {
    }

    /** Path of the bundled ffmpeg executable (extracted to the JavaCPP cache on first use). */
    public static Path executable() {
        String path;
        try {
            path = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            throw new JudgeException("the ffmpeg program bundled with JavaCV is not available: " + e.getMessage(), e);
        }
        if (path == null || path.isEmpty()) {
            throw new JudgeException("the ffmpeg program bundled with JavaCV is not available on this platform");
        }
        return Path.of(path);
    }

    /** Runs FFmpeg's scene detection on a video file; {@code fps} converts times to frame indices. */
    public static Result detect(Path video, double fps, Method method, double threshold) {
        if (!Files.isRegularFile(video)) {
            throw new JudgeException("cannot read " + video + ": file does not exist");
        }
        return run(List.of("-i", video.toString()), fps, method, threshold);
    }

    /** Runs FFmpeg's scene detection on a video file, taking the frame rate from the container. */
    public static Result detect(Path video, Method method, double threshold) {
        double fps = VideoReader.stream(video, 1, (i, t, b, w, h) -> { }).fps();
        return detect(video, fps, method, threshold);
    }

    /** Runs FFmpeg's scene detection on in-memory frames (written as a lossless PNG sequence first). */
    public static Result detect(Clip clip, Method method, double threshold) {
        Path dir;
        try {
            dir = Files.createTempDirectory("judge-scdet");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            for (int i = 0; i < clip.frameCount(); i++) {
                try (Mat m = clip.toMat(i)) {
                    imwrite(dir.resolve(String.format(Locale.ROOT, "%06d.png", i)).toString(), m);
                }
            }
            return run(List.of("-framerate", fmt(clip.fps()), "-i", dir.resolve("%06d.png").toString()),
                    clip.fps(), method, threshold);
        } finally {
            deleteTree(dir);
        }
    }

    private static Result run(List<String> input, double fps, Method method, double threshold) {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable().toString());
        cmd.addAll(List.of("-hide_banner", "-nostats", "-nostdin"));
        cmd.addAll(input);
        cmd.addAll(List.of("-an", "-sn", "-vf"));
        cmd.add(method == Method.SCDET ? "scdet=threshold=" + fmt(threshold)
                : "select='gt(scene," + fmt(threshold) + ")',showinfo");
        cmd.addAll(List.of("-f", "null", "-"));
        String log = exec(cmd);
        List<Change> changes = new ArrayList<>();
        for (String line : log.split("\\R")) {
            if (method == Method.SCDET) {
                Matcher m = SCDET.matcher(line);
                if (m.find()) {
                    double t = Double.parseDouble(m.group(2));
                    changes.add(new Change((int) Math.round(t * fps), t, Double.parseDouble(m.group(1))));
                }
            } else if (line.contains("Parsed_showinfo")) {
                Matcher m = SHOWINFO.matcher(line);
                if (m.find()) {
                    double t = Double.parseDouble(m.group(1));
                    changes.add(new Change((int) Math.round(t * fps), t, 0.0));
                }
            }
        }
        return new Result(method, threshold, changes, cmd);
    }

    private static String exec(List<String> cmd) {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new JudgeException("cannot start ffmpeg: " + e.getMessage(), e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            } catch (IOException ignored) {
                // the process died; the exit code tells
            }
        }, "ffmpeg-log");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new JudgeException("ffmpeg scene detection timed out after " + TIMEOUT_SECONDS + " s");
            }
            reader.join(10_000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new JudgeException("interrupted while waiting for ffmpeg", e);
        }
        String log = out.toString(StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            String tail = log.length() > 800 ? log.substring(log.length() - 800) : log;
            throw new JudgeException("ffmpeg failed (exit " + p.exitValue() + "): " + tail.strip());
        }
        return log;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
