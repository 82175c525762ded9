package dev.storyboard.judge.video;

import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.judge.JudgeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * An in-memory clip: equally sized 8-bit BGR frames (OpenCV's channel order, interleaved, row-major) and a
 * frame rate. Plain Java arrays, so a clip holds no native memory; {@link #toMat(int)} makes an OpenCV view
 * on demand (the caller closes it).
 *
 * <p>Every constructor validates its input and throws {@link JudgeException} naming the problem: no frames,
 * frames of different sizes, a non-positive frame rate.
 */
public final class Clip {
    private final String name;
    private final int width;
    private final int height;
    private final double fps;
    private final List<byte[]> frames;
    private final double[] times;

    private Clip(String name, int width, int height, double fps, List<byte[]> frames, double[] times) {
        this.name = name;
        this.width = width;
        this.height = height;
        this.fps = fps;
        this.frames = frames;
        if (times == null) {
            times = new double[frames.size()];
            for (int i = 0; i < times.length; i++) {
                times[i] = i / fps;
            }
        }
        this.times = times;
    }

    /**
     * @param name   what the clip is called in messages and reports (a file name, "shot 2", ...)
     * @param width  pixels
     * @param height pixels
     * @param fps    frames per second, finite and &gt; 0
     * @param bgr    frames, each {@code width*height*3} bytes B,G,R; the list and arrays are copied
     */
    public static Clip ofBgr(String name, int width, int height, double fps, List<byte[]> bgr) {
        return ofBgr(name, width, height, fps, bgr, null);
    }

    /**
     * As {@link #ofBgr(String, int, int, double, List)} with presentation times.
     *
     * @param timesSeconds presentation time of every frame in seconds (as decoded), or null for {@code i / fps}
     */
    public static Clip ofBgr(String name, int width, int height, double fps, List<byte[]> bgr, double[] timesSeconds) {
        Objects.requireNonNull(bgr, "frames");
        String label = name == null ? "clip" : name;
        if (bgr.isEmpty()) {
            throw new JudgeException(label + ": the clip has no frames");
        }
        if (width <= 0 || height <= 0) {
            throw new JudgeException(label + ": frame size must be positive, was " + width + "x" + height);
        }
        if (!(fps > 0) || Double.isInfinite(fps)) {
            throw new JudgeException(label + ": frame rate must be a positive number, was " + fps);
        }
        List<byte[]> copy = new ArrayList<>(bgr.size());
        int expected = width * height * 3;
        for (int i = 0; i < bgr.size(); i++) {
            byte[] f = bgr.get(i);
            if (f == null || f.length != expected) {
                throw new JudgeException(label + ": frame " + i + " has " + (f == null ? 0 : f.length)
                        + " bytes, a " + width + "x" + height + " BGR frame needs " + expected);
            }
            copy.add(f.clone());
        }
        if (timesSeconds != null && timesSeconds.length != copy.size()) {
            throw new JudgeException(label + ": " + timesSeconds.length + " frame times for " + copy.size() + " frames");
        }
        return new Clip(label, width, height, fps, Collections.unmodifiableList(copy),
                timesSeconds == null ? null : timesSeconds.clone());
    }

    /** Frames as the engine hands them to the editor (int ARGB); all must have the first frame's size. */
    public static Clip ofVideoFrames(String name, List<VideoFrame> frames, double fps) {
        Objects.requireNonNull(frames, "frames");
        String label = name == null ? "clip" : name;
        if (frames.isEmpty()) {
            throw new JudgeException(label + ": the clip has no frames");
        }
        int w = frames.get(0).width();
        int h = frames.get(0).height();
        List<byte[]> bgr = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            VideoFrame f = frames.get(i);
            if (f.width() != w || f.height() != h) {
                throw new JudgeException(label + ": frame " + i + " is " + f.width() + "x" + f.height()
                        + " but frame 0 is " + w + "x" + h + " (all frames of a clip must have one size)");
            }
            bgr.add(Frames.argbToBgr(f.argb()));
        }
        return new Clip(label, w, h, checkFps(label, fps), Collections.unmodifiableList(bgr), null);
    }

    /**
     * OpenCV frames (8-bit, 1, 3 or 4 channels; 3 and 4 are taken as BGR/BGRA). The mats are only read, never
     * closed here.
     */
    public static Clip ofMats(String name, List<Mat> mats, double fps) {
        Objects.requireNonNull(mats, "frames");
        String label = name == null ? "clip" : name;
        if (mats.isEmpty()) {
            throw new JudgeException(label + ": the clip has no frames");
        }
        int w = mats.get(0).cols();
        int h = mats.get(0).rows();
        List<byte[]> bgr = new ArrayList<>(mats.size());
        for (int i = 0; i < mats.size(); i++) {
            Mat m = mats.get(i);
            if (m == null || m.empty()) {
                throw new JudgeException(label + ": frame " + i + " is empty");
            }
            if (m.cols() != w || m.rows() != h) {
                throw new JudgeException(label + ": frame " + i + " is " + m.cols() + "x" + m.rows()
                        + " but frame 0 is " + w + "x" + h + " (all frames of a clip must have one size)");
            }
            bgr.add(Frames.toBgrBytes(m, label + " frame " + i));
        }
        return new Clip(label, w, h, checkFps(label, fps), Collections.unmodifiableList(bgr), null);
    }

    private static double checkFps(String label, double fps) {
        if (!(fps > 0) || Double.isInfinite(fps)) {
            throw new JudgeException(label + ": frame rate must be a positive number, was " + fps);
        }
        return fps;
    }

    public String name() {
        return name;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public double fps() {
        return fps;
    }

    public int frameCount() {
        return frames.size();
    }

    public double durationSeconds() {
        return frames.size() / fps;
    }

    /** Presentation time of frame {@code i} in seconds (decoder timestamps for files, else i / fps). */
    public double timeSeconds(int i) {
        return times[i];
    }

    /** Index of the frame whose presentation time is nearest to {@code seconds}. */
    public int frameAt(double seconds) {
        int best = 0;
        for (int i = 1; i < times.length; i++) {
            if (Math.abs(times[i] - seconds) < Math.abs(times[best] - seconds)) {
                best = i;
            }
        }
        return best;
    }

    /** The BGR bytes of frame {@code i} (shared, do not modify). */
    public byte[] bgr(int i) {
        return frames.get(i);
    }

    /** A new 8UC3 BGR Mat holding a copy of frame {@code i}; the caller closes it. */
    public Mat toMat(int i) {
        return Frames.bgrToMat(frames.get(i), width, height);
    }

    /** Frames {@code [from, to)} as a clip of their own. */
    public Clip slice(int from, int to, String sliceName) {
        if (from < 0 || to > frames.size() || from >= to) {
            throw new JudgeException(name + ": frame range [" + from + ", " + to + ") is empty or outside the "
                    + frames.size() + " frames");
        }
        return new Clip(sliceName == null ? name + "[" + from + ":" + to + "]" : sliceName, width, height, fps,
                frames.subList(from, to), Arrays.copyOfRange(times, from, to));
    }

    /** Frames as int ARGB {@link VideoFrame}s (what the editor shows). */
    public List<VideoFrame> toVideoFrames() {
        List<VideoFrame> out = new ArrayList<>(frames.size());
        for (byte[] f : frames) {
            out.add(new VideoFrame(width, height, Frames.bgrToArgb(f)));
        }
        return out;
    }

    /** Throws unless the clip has at least {@code n} frames; {@code what} names the metric that needs them. */
    public void requireFrames(int n, String what) {
        if (frames.size() < n) {
            throw new JudgeException(name + ": " + what + " needs at least " + n + " frames, the clip has "
                    + frames.size());
        }
    }

    @Override
    public String toString() {
        return name + " (" + frames.size() + " frames, " + width + "x" + height + ", " + fps + " fps)";
    }
}
