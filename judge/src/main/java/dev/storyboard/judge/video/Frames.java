package dev.storyboard.judge.video;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import dev.storyboard.judge.JudgeException;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/** Pixel-format conversions between int ARGB, BGR byte arrays and OpenCV mats. */
public final class Frames {
    private Frames() {
    }

    public static byte[] argbToBgr(int[] argb) {
        byte[] out = new byte[argb.length * 3];
        for (int i = 0, j = 0; i < argb.length; i++, j += 3) {
            int p = argb[i];
            out[j] = (byte) p;
            out[j + 1] = (byte) (p >> 8);
            out[j + 2] = (byte) (p >> 16);
        }
        return out;
    }

    public static int[] bgrToArgb(byte[] bgr) {
        int[] out = new int[bgr.length / 3];
        for (int i = 0, j = 0; i < out.length; i++, j += 3) {
            out[i] = 0xFF000000 | (bgr[j + 2] & 0xFF) << 16 | (bgr[j + 1] & 0xFF) << 8 | (bgr[j] & 0xFF);
        }
        return out;
    }

    /** A new continuous 8UC3 Mat with a copy of the bytes; the caller closes it. */
    public static Mat bgrToMat(byte[] bgr, int width, int height) {
        Mat m = new Mat(height, width, CV_8UC3);
        m.data().put(bgr, 0, width * height * 3);
        return m;
    }

    /** BGR bytes of an 8-bit Mat with 1 (grey), 3 (BGR) or 4 (BGRA) channels. */
    public static byte[] toBgrBytes(Mat m, String what) {
        if (m.depth() != CV_8U) {
            throw new JudgeException(what + ": expected 8-bit pixels, the Mat has depth " + m.depth());
        }
        int ch = m.channels();
        if (ch == 3) {
            return continuousBytes(m);
        }
        int code;
        if (ch == 1) {
            code = COLOR_GRAY2BGR;
        } else if (ch == 4) {
            code = COLOR_BGRA2BGR;
        } else {
            throw new JudgeException(what + ": expected 1, 3 or 4 channels, the Mat has " + ch);
        }
        try (Mat bgr = new Mat()) {
            cvtColor(m, bgr, code);
            return continuousBytes(bgr);
        }
    }

    /** All bytes of an 8-bit Mat, row by row, without row padding. */
    public static byte[] continuousBytes(Mat m) {
        int rowBytes = m.cols() * m.channels();
        byte[] out = new byte[rowBytes * m.rows()];
        if (m.isContinuous()) {
            m.data().get(out);
        } else {
            BytePointer data = m.data();
            long step = m.step();
            for (int y = 0; y < m.rows(); y++) {
                data.position(y * step).get(out, y * rowBytes, rowBytes);
            }
            data.position(0);
        }
        return out;
    }

    /**
     * PySceneDetect's default analysis size: with the long side {@code L} &ge; 256 the frame is resized by
     * {@code f = L / 256} to {@code (round(w / f), round(h / f))} with bilinear interpolation; smaller frames
     * are kept. Python's round is half-to-even, like {@link Math#rint}.
     *
     * @return {width, height} after downscaling
     */
    public static int[] sceneDetectSize(int width, int height) {
        int longSide = Math.max(width, height);
        if (longSide < 256) {
            return new int[] {width, height};
        }
        double f = longSide / 256.0;
        if (!(f > 1.0)) {
            return new int[] {width, height};
        }
        return new int[] {Math.max(1, (int) Math.rint(width / f)), Math.max(1, (int) Math.rint(height / f))};
    }

    /** Resizes a BGR frame to the given size with bilinear interpolation (cv::resize INTER_LINEAR). */
    public static byte[] resizeBgr(byte[] bgr, int width, int height, int newWidth, int newHeight) {
        if (newWidth == width && newHeight == height) {
            return bgr;
        }
        try (Mat src = bgrToMat(bgr, width, height); Mat dst = new Mat(); Size size = new Size(newWidth, newHeight)) {
            resize(src, dst, size, 0, 0, INTER_LINEAR);
            return continuousBytes(dst);
        }
    }
}
