package dev.storyboard.judge.video;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;

import dev.storyboard.judge.JudgeException;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;

/** Float arrays in and out of continuous CV_32F mats, and small pixel helpers. */
public final class FloatImages {
    private FloatImages() {
    }

    /** Copies a continuous CV_32F Mat (any channel count) into a new array. */
    public static float[] get(Mat m) {
        if (!m.isContinuous()) {
            throw new JudgeException("internal: expected a continuous float Mat");
        }
        float[] out = new float[m.rows() * m.cols() * m.channels()];
        FloatPointer p = new FloatPointer(m.data());
        p.get(out);
        return out;
    }

    /** A new continuous CV_32FC{channels} Mat with a copy of {@code data}; the caller closes it. */
    public static Mat put(float[] data, int width, int height, int channels) {
        Mat m = new Mat(height, width, channels == 1 ? CV_32FC1 : CV_32FC(channels));
        FloatPointer p = new FloatPointer(m.data());
        p.put(data, 0, width * height * channels);
        return m;
    }

    /** 8-bit grey (Rec. 601 luma, rounded) of a BGR frame. */
    public static byte[] grey(byte[] bgr) {
        byte[] g = new byte[bgr.length / 3];
        for (int i = 0, j = 0; i < g.length; i++, j += 3) {
            float v = 0.114f * (bgr[j] & 0xFF) + 0.587f * (bgr[j + 1] & 0xFF) + 0.299f * (bgr[j + 2] & 0xFF);
            g[i] = (byte) Math.min(255, Math.round(v));
        }
        return g;
    }
}
