package dev.storyboard.judge.video;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import dev.storyboard.judge.JudgeException;
import dev.storyboard.media.FfmpegLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads videos (anything FFmpeg decodes: MP4, AVI, MKV, ...) with JavaCV's {@link FFmpegFrameGrabber}, and
 * PNG frame sequences with OpenCV. Frames are decoded to BGR24.
 */
public final class VideoReader {
    private static final Logger LOG = LoggerFactory.getLogger(VideoReader.class);
    /** Used when a container reports no usable frame rate. */
    public static final double FALLBACK_FPS = 24.0;

    static {
        // FFmpegFrameGrabber dumps every file's stream layout at INFO: FFmpeg's log follows the app's one rule
        // (errors only, to the app's log; --verbose brings the rest back)
        FfmpegLog.ensureConfigured();
    }

    private VideoReader() {
    }

    /** Receives decoded frames one at a time; {@code bgr} is a fresh array the sink may keep. */
    @FunctionalInterface
    public interface FrameSink {
        void accept(int index, double timeSeconds, byte[] bgr, int width, int height);
    }

    /** What {@link #stream} saw: frames decoded, their size and the container's frame rate. */
    public record StreamInfo(int frames, int width, int height, double fps) {
    }

    /** How {@link #read} stores frames. */
    public enum Resolution {
        /** Decoded size. */
        FULL,
        /** PySceneDetect's default analysis size (long side ~256 px, see {@link Frames#sceneDetectSize}). */
        SCENE_DETECT
    }

    /**
     * Decodes every video frame of {@code path} at full resolution and hands it to {@code sink}.
     *
     * @param maxFrames stop after this many frames (&le; 0: all)
     * @throws JudgeException when the file is missing, cannot be decoded, has no video stream or no frames, or
     *                        changes frame size mid-stream
     */
    public static StreamInfo stream(Path path, int maxFrames, FrameSink sink) {
        checkFile(path);
        int count = 0;
        int width = -1;
        int height = -1;
        double fps;
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(path.toFile())) {
            grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
            try {
                grabber.start();
            } catch (FrameGrabber.Exception | RuntimeException e) {
                throw new JudgeException("cannot read video " + path + ": FFmpeg cannot open it as a video ("
                        + brief(e.getMessage()) + ")", e);
            }
            if (!grabber.hasVideo()) {
                throw new JudgeException("cannot read video " + path + ": it has no video stream");
            }
            fps = grabber.getFrameRate();
            if (!(fps > 0) || Double.isInfinite(fps) || fps > 1000) {
                LOG.warn("{}: container reports frame rate {}, using {}", path, fps, FALLBACK_FPS);
                fps = FALLBACK_FPS;
            }
            while (maxFrames <= 0 || count < maxFrames) {
                Frame frame;
                try {
                    frame = grabber.grabImage();
                } catch (FrameGrabber.Exception | RuntimeException e) {
                    throw new JudgeException("cannot read video " + path + ": decoding failed after " + count
                            + " frames (" + brief(e.getMessage()) + ")", e);
                }
                if (frame == null) {
                    break;
                }
                if (frame.image == null || frame.imageWidth <= 0 || frame.imageHeight <= 0) {
                    continue;
                }
                if (width < 0) {
                    width = frame.imageWidth;
                    height = frame.imageHeight;
                } else if (frame.imageWidth != width || frame.imageHeight != height) {
                    throw new JudgeException("video " + path + ": frame " + count + " is " + frame.imageWidth + "x"
                            + frame.imageHeight + " but frame 0 is " + width + "x" + height);
                }
                double t = frame.timestamp / 1e6;
                sink.accept(count, t, copyBgr(frame), width, height);
                count++;
            }
            grabber.stop();
        } catch (FrameGrabber.Exception e) {
            throw new JudgeException("cannot read video " + path + ": " + e.getMessage(), e);
        }
        if (count == 0) {
            throw new JudgeException("video " + path + " has no decodable video frames");
        }
        return new StreamInfo(count, width, height, fps);
    }

    /**
     * Decodes a video into a {@link Clip}.
     *
     * @param maxFrames  stop after this many frames (&le; 0: all)
     * @param resolution whether to keep the decoded size or downscale like PySceneDetect
     */
    public static Clip read(Path path, int maxFrames, Resolution resolution) {
        List<byte[]> frames = new ArrayList<>();
        List<Double> times = new ArrayList<>();
        int[] size = new int[2];
        StreamInfo info = stream(path, maxFrames, (i, t, bgr, w, h) -> {
            times.add(t);
            if (resolution == Resolution.SCENE_DETECT) {
                int[] s = Frames.sceneDetectSize(w, h);
                size[0] = s[0];
                size[1] = s[1];
                frames.add(Frames.resizeBgr(bgr, w, h, s[0], s[1]));
            } else {
                size[0] = w;
                size[1] = h;
                frames.add(bgr);
            }
        });
        return Clip.ofBgr(path.getFileName().toString(), size[0], size[1], info.fps(), frames,
                times.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Reads image files (PNG, JPEG, ... anything OpenCV's imread decodes) as the frames of one clip. */
    public static Clip readImages(String name, List<Path> files, double fps) {
        if (files.isEmpty()) {
            throw new JudgeException(name + ": no frame images given");
        }
        List<Mat> mats = new ArrayList<>(files.size());
        try {
            for (Path f : files) {
                checkFile(f);
                Mat m = imread(f.toString(), IMREAD_COLOR);
                if (m == null || m.empty()) {
                    if (m != null) {
                        m.close();
                    }
                    throw new JudgeException("cannot read image " + f + ": not an image OpenCV can decode");
                }
                mats.add(m);
            }
            return Clip.ofMats(name, mats, fps);
        } finally {
            for (Mat m : mats) {
                m.close();
            }
        }
    }

    private static void checkFile(Path path) {
        if (!Files.exists(path)) {
            throw new JudgeException("cannot read " + path + ": file does not exist");
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new JudgeException("cannot read " + path + ": not a readable file");
        }
        try {
            if (Files.size(path) == 0) {
                throw new JudgeException("cannot read " + path + ": the file is empty (0 bytes)");
            }
        } catch (IOException e) {
            throw new JudgeException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** JavaCV's message without its generic hints ("Has setFormat() been called?"). */
    static String brief(String message) {
        if (message == null) {
            return "no details";
        }
        int hint = message.indexOf(" (Has setFormat");
        String m = hint > 0 ? message.substring(0, hint) : message;
        int more = m.indexOf(" (For more details");
        return (more > 0 ? m.substring(0, more) : m).strip();
    }

    private static byte[] copyBgr(Frame frame) {
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        int rowBytes = w * 3;
        byte[] out = new byte[rowBytes * h];
        ByteBuffer buf = ((ByteBuffer) frame.image[0]).duplicate();
        int stride = frame.imageStride;
        if (frame.imageChannels != 3) {
            throw new JudgeException("decoder returned " + frame.imageChannels + " channels, expected BGR24");
        }
        for (int y = 0; y < h; y++) {
            buf.position(y * stride);
            buf.get(out, y * rowBytes, rowBytes);
        }
        return out;
    }
}
