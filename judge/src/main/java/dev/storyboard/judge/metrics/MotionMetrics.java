package dev.storyboard.judge.metrics;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.remap;
import static org.bytedeco.opencv.global.opencv_video.calcOpticalFlowFarneback;

import dev.storyboard.judge.video.Clip;
import dev.storyboard.judge.video.FloatImages;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Motion-aware warp error (MAWE-style, after StreamingT2V's MAWE = W / (c &middot; OF)) with OpenCV's Farneback
 * optical flow. For every pair of consecutive frames (t, t+1):
 *
 * <ol>
 *   <li>forward flow F (t&rarr;t+1) and backward flow B (t+1&rarr;t) with {@code calcOpticalFlowFarneback} on
 *   Rec. 601 grey frames (pyramid scale 0.5, 3 levels, window {@link Params#window}, 3 iterations, polyN 5,
 *   polySigma 1.1);</li>
 *   <li>backward warp: W(x) = I<sub>t+1</sub>(x + F(x)) with {@code remap} (bilinear, RGB);</li>
 *   <li>occlusion check (forward&ndash;backward consistency, Sundaram et al. 2010): x is valid when x + F(x) is
 *   inside the frame and |F(x) + B(x+F(x))|&sup2; &lt; 0.01 (|F(x)|&sup2; + |B(x+F(x))|&sup2;) + 0.5;</li>
 *   <li>warp error of the pair = mean over valid pixels of the squared RGB difference per channel
 *   |I<sub>t</sub>(x) &minus; W(x)|&sup2; / 3 (intensities 0..255, i.e. an MSE);</li>
 *   <li>flow magnitude of the pair = mean |F(x)| over all pixels, pixels per frame.</li>
 * </ol>
 * Over the clip: W = mean pair warp error, OF = mean pair flow, MAWE = W / (c &middot; max(OF, floor)). A flow
 * below {@link Params#stagnationFlow} means the picture hardly moves (stagnation): MAWE is then reported but
 * meaningless, and the report says so. Never NaN: a pair with no valid pixel contributes warp error 0 and is
 * counted in {@code fullyOccludedPairs}.
 */
public final class MotionMetrics {

    /**
     * @param window          Farneback averaging window (pixels, odd)
     * @param c               scale constant of MAWE (1: W and OF in the units above)
     * @param flowFloor       OF below this is replaced by it in the MAWE denominator (px/frame)
     * @param stagnationFlow  OF below this flags stagnation (px/frame)
     */
    public record Params(int window, double c, double flowFloor, double stagnationFlow) {
        /** Window 9 px for frames up to 128 px high, 15 px above. */
        public static Params forHeight(int height) {
            return new Params(height <= 128 ? 9 : 15, 1.0, 0.05, 0.05);
        }
    }

    /**
     * @param warpError          W: mean squared RGB warp error over non-occluded pixels (0..255 units)
     * @param meanFlow           OF: mean forward flow magnitude, px/frame at the analysed resolution
     * @param meanFlowPerHeight  OF divided by the frame height (resolution-free)
     * @param mawe               W / (c &middot; max(OF, floor))
     * @param occludedFraction   share of pixels failing the consistency check, averaged over pairs
     * @param stagnant           OF below the stagnation threshold
     * @param pairWarpError      W per pair
     * @param pairFlow           OF per pair
     * @param fullyOccludedPairs pairs with no valid pixel
     */
    public record Result(double warpError, double meanFlow, double meanFlowPerHeight, double mawe,
                         double occludedFraction, boolean stagnant, double[] pairWarpError, double[] pairFlow,
                         int fullyOccludedPairs) {
    }

    /** Per-pair dense flow, for callers that need more than the averages (camera motion). */
    public record Flow(int width, int height, float[] forward, float[] backward) {
    }

    private MotionMetrics() {
    }

    public static Result compute(Clip clip) {
        return compute(clip, Params.forHeight(clip.height()));
    }

    public static Result compute(Clip clip, Params params) {
        clip.requireFrames(2, "warp error (frame pairs)");
        int n = clip.frameCount() - 1;
        double[] warp = new double[n];
        double[] flow = new double[n];
        double occluded = 0;
        int fullyOccluded = 0;
        for (int t = 0; t < n; t++) {
            PairResult r = pair(clip, t, params);
            warp[t] = r.warp;
            flow[t] = r.flow;
            occluded += r.occludedFraction;
            if (r.valid == 0) {
                fullyOccluded++;
            }
        }
        double w = mean(warp);
        double of = mean(flow);
        double mawe = w / (params.c() * Math.max(of, params.flowFloor()));
        return new Result(w, of, of / clip.height(), mawe, occluded / n, of < params.stagnationFlow(), warp, flow,
                fullyOccluded);
    }

    /** Forward and backward Farneback flow between frames t and t+1 (interleaved dx, dy per pixel). */
    public static Flow flow(Clip clip, int t, Params params) {
        int w = clip.width();
        int h = clip.height();
        try (Mat a = greyMat(clip.bgr(t), w, h); Mat b = greyMat(clip.bgr(t + 1), w, h);
             Mat f = new Mat(); Mat bw = new Mat()) {
            farneback(a, b, f, params);
            farneback(b, a, bw, params);
            return new Flow(w, h, FloatImages.get(f), FloatImages.get(bw));
        }
    }

    private record PairResult(double warp, double flow, double occludedFraction, int valid) {
    }

    private static PairResult pair(Clip clip, int t, Params params) {
        int w = clip.width();
        int h = clip.height();
        Flow fl = flow(clip, t, params);
        float[] f = fl.forward();
        float[] b = fl.backward();
        int n = w * h;
        float[] mapX = new float[n];
        float[] mapY = new float[n];
        double flowSum = 0;
        for (int y = 0, i = 0; y < h; y++) {
            for (int x = 0; x < w; x++, i++) {
                float fx = f[2 * i];
                float fy = f[2 * i + 1];
                mapX[i] = x + fx;
                mapY[i] = y + fy;
                flowSum += Math.sqrt(fx * fx + fy * fy);
            }
        }
        float[] warped;
        float[] bAtTarget;
        try (Mat mx = FloatImages.put(mapX, w, h, 1); Mat my = FloatImages.put(mapY, w, h, 1);
             Mat next = toFloatBgr(clip.bgr(t + 1), w, h); Mat out = new Mat();
             Mat back = FloatImages.put(b, w, h, 2); Mat backOut = new Mat(); Scalar zero = new Scalar(0.0)) {
            remap(next, out, mx, my, INTER_LINEAR, BORDER_CONSTANT, zero);
            remap(back, backOut, mx, my, INTER_LINEAR, BORDER_CONSTANT, zero);
            warped = FloatImages.get(out);
            bAtTarget = FloatImages.get(backOut);
        }
        byte[] cur = clip.bgr(t);
        double err = 0;
        int valid = 0;
        for (int i = 0; i < n; i++) {
            float tx = mapX[i];
            float ty = mapY[i];
            if (tx < 0 || ty < 0 || tx > w - 1 || ty > h - 1) {
                continue;
            }
            float fx = f[2 * i];
            float fy = f[2 * i + 1];
            float bx = bAtTarget[2 * i];
            float by = bAtTarget[2 * i + 1];
            float sx = fx + bx;
            float sy = fy + by;
            double lhs = sx * sx + sy * sy;
            double rhs = 0.01 * (fx * fx + fy * fy + bx * bx + by * by) + 0.5;
            if (lhs >= rhs) {
                continue;
            }
            double d = 0;
            for (int c = 0; c < 3; c++) {
                double diff = (cur[3 * i + c] & 0xFF) - warped[3 * i + c];
                d += diff * diff;
            }
            err += d / 3.0;
            valid++;
        }
        return new PairResult(valid == 0 ? 0.0 : err / valid, flowSum / n, 1.0 - valid / (double) n, valid);
    }

    static void farneback(Mat prev, Mat next, Mat flow, Params params) {
        calcOpticalFlowFarneback(prev, next, flow, 0.5, 3, params.window(), 3, 5, 1.1, 0);
    }

    static Mat greyMat(byte[] bgr, int w, int h) {
        Mat m = new Mat(h, w, CV_8UC1);
        m.data().put(FloatImages.grey(bgr), 0, w * h);
        return m;
    }

    private static Mat toFloatBgr(byte[] bgr, int w, int h) {
        float[] f = new float[bgr.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = bgr[i] & 0xFF;
        }
        return FloatImages.put(f, w, h, 3);
    }

    static double mean(double[] v) {
        if (v.length == 0) {
            return 0.0;
        }
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
