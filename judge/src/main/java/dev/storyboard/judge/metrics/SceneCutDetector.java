package dev.storyboard.judge.metrics;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2HSV;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import dev.storyboard.judge.JudgeException;
import dev.storyboard.judge.video.Clip;
import dev.storyboard.judge.video.Frames;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * SCuts: a Java port of PySceneDetect's {@code AdaptiveDetector} (scenedetect/detectors/adaptive_detector.py
 * on top of content_detector.py), default parameters.
 *
 * <ol>
 *   <li>Each frame is downscaled as {@code SceneManager} does by default (long side &ge; 256: factor
 *   {@code L/256}, bilinear, see {@link Frames#sceneDetectSize}) and converted BGR&rarr;HSV with OpenCV
 *   (8-bit: H in 0..179, S and V in 0..255).</li>
 *   <li>Content value of frame i = weighted mean over channels of the mean absolute difference of H, S and V
 *   against frame i-1 (weights 1, 1, 1; edges weight 0, so no Canny). Frame 0 scores 0.</li>
 *   <li>Adaptive ratio of frame t = content(t) / mean of content over the {@code window} frames before and
 *   after t (capped at 255; 255 when that mean is ~0 and content(t) &ge; min content, else 0).</li>
 *   <li>A cut is placed at t (t is the first frame of the new scene) when ratio &ge; threshold,
 *   content(t) &ge; min content, and the newest frame seen (t + window) is at least min scene length frames
 *   after the previous cut (the first frame counts as the first cut).</li>
 * </ol>
 * {@link Params#ANYWHERE} differs in one respect only, for the editor: the start does not count as a cut, and
 * the first and last {@code window} frames are scored too (with the window clipped to the clip), so a cut in
 * the first frames or at the very end of a chunk is reported.
 *
 * Streaming: feed frames with {@link #accept}, then {@link #finish}. Not thread-safe.
 */
public final class SceneCutDetector {

    /**
     * Detector settings.
     *
     * @param adaptiveThreshold ratio a frame's content value must reach against its window (3.0)
     * @param minSceneLength    frames between cuts (15)
     * @param windowWidth       frames on each side of the target averaged for the ratio (2)
     * @param minContentValue   content value a cut needs (15)
     * @param downscale         downscale like PySceneDetect's SceneManager (true)
     * @param startCountsAsCut  true (PySceneDetect): the first frame counts as a cut, so no cut is reported in
     *                          the first {@code minSceneLength - windowWidth} frames; false: the min scene length
     *                          only separates cuts from each other (the editor wants cuts at any frame)
     */
    public record Params(double adaptiveThreshold, int minSceneLength, int windowWidth, double minContentValue,
                         boolean downscale, boolean startCountsAsCut) {
        /** PySceneDetect's defaults: threshold 3.0, min scene length 15 frames, window 2, min content 15. */
        public static final Params DEFAULT = new Params(3.0, 15, 2, 15.0, true, true);
        /** As {@link #DEFAULT}, but a cut may also fall within the first 15 frames of the video. */
        public static final Params ANYWHERE = new Params(3.0, 15, 2, 15.0, true, false);

        public Params {
            if (windowWidth < 1) {
                throw new IllegalArgumentException("window width must be at least 1, was " + windowWidth);
            }
            if (minSceneLength < 0) {
                throw new IllegalArgumentException("min scene length must be >= 0, was " + minSceneLength);
            }
        }
    }

    /**
     * @param cuts           first frame of every new scene, ascending
     * @param contentValues  content value of every frame (frame 0: 0)
     * @param adaptiveRatios adaptive ratio of every frame (0 where the window is incomplete)
     * @param analysisWidth  width the frames were scored at
     * @param analysisHeight height the frames were scored at
     */
    public record Result(List<Integer> cuts, double[] contentValues, double[] adaptiveRatios, int analysisWidth,
                         int analysisHeight) {
        public Result {
            cuts = List.copyOf(cuts);
        }

        public int frames() {
            return contentValues.length;
        }
    }

    private final Params params;
    private final List<Double> content = new ArrayList<>();
    private final List<Double> ratios = new ArrayList<>();
    private final List<Integer> cuts = new ArrayList<>();
    private byte[][] lastHsv;
    private int width = -1;
    private int height = -1;
    private int analysisWidth;
    private int analysisHeight;
    private int lastCut = -1;
    private boolean finished;

    public SceneCutDetector(Params params) {
        this.params = params;
    }

    public SceneCutDetector() {
        this(Params.DEFAULT);
    }

    /** Runs the detector over a whole clip. */
    public static Result detect(Clip clip, Params params) {
        SceneCutDetector d = new SceneCutDetector(params);
        for (int i = 0; i < clip.frameCount(); i++) {
            d.accept(clip.bgr(i), clip.width(), clip.height());
        }
        return d.finish();
    }

    public static Result detect(Clip clip) {
        return detect(clip, Params.DEFAULT);
    }

    /** Scores the next frame (BGR bytes at the frame's own size; downscaling happens here). */
    public void accept(byte[] bgr, int frameWidth, int frameHeight) {
        if (width < 0) {
            width = frameWidth;
            height = frameHeight;
            int[] s = params.downscale() ? Frames.sceneDetectSize(frameWidth, frameHeight)
                    : new int[] {frameWidth, frameHeight};
            analysisWidth = s[0];
            analysisHeight = s[1];
        } else if (frameWidth != width || frameHeight != height) {
            throw new JudgeException("scene cut detection: frame " + content.size() + " is " + frameWidth + "x"
                    + frameHeight + " but frame 0 is " + width + "x" + height);
        }
        byte[] small = Frames.resizeBgr(bgr, frameWidth, frameHeight, analysisWidth, analysisHeight);
        byte[][] hsv = toHsvPlanes(small, analysisWidth, analysisHeight);
        double score;
        if (lastHsv == null) {
            score = 0.0;
        } else {
            double dh = meanPixelDistance(hsv[0], lastHsv[0]);
            double ds = meanPixelDistance(hsv[1], lastHsv[1]);
            double dv = meanPixelDistance(hsv[2], lastHsv[2]);
            score = (dh + ds + dv) / 3.0;
        }
        lastHsv = hsv;
        int frame = content.size();
        content.add(score);
        ratios.add(0.0);
        if (lastCut < 0) {
            lastCut = frame;
        }
        int w = params.windowWidth();
        int target = frame - w;
        if (frame >= 2 * w) {
            evaluate(target, target - w, target + w, frame);
        } else if (!params.startCountsAsCut() && target >= 1) {
            // before the window is full: neighbours from frame 1 on (frame 0 has no real score)
            evaluate(target, 1, target + w, frame);
        }
    }

    /** Ratio and cut decision for {@code target} with neighbours in [lo, hi]; {@code frame} = newest frame seen. */
    private void evaluate(int target, int lo, int hi, int frame) {
        double sum = 0;
        int count = 0;
        for (int i = lo; i <= hi; i++) {
            if (i != target) {
                sum += content.get(i);
                count++;
            }
        }
        if (count == 0) {
            return;
        }
        double average = sum / count;
        double targetScore = content.get(target);
        double ratio = 0.0;
        boolean averageIsZero = Math.abs(average) < 0.00001;
        if (!averageIsZero) {
            ratio = Math.min(targetScore / average, 255.0);
        } else if (targetScore >= params.minContentValue()) {
            ratio = 255.0;
        }
        ratios.set(target, ratio);
        boolean thresholdMet = ratio >= params.adaptiveThreshold() && targetScore >= params.minContentValue();
        boolean minLengthMet = (!params.startCountsAsCut() && cuts.isEmpty())
                || frame - lastCut >= params.minSceneLength();
        if (thresholdMet && minLengthMet) {
            lastCut = target;
            cuts.add(target);
        }
    }

    /**
     * Ends the stream. With {@code startCountsAsCut = false} the last {@code window} frames are also scored
     * (neighbours clipped at the end), so a cut there is not lost; PySceneDetect leaves them unscored.
     */
    public Result finish() {
        if (content.isEmpty()) {
            throw new JudgeException("scene cut detection: no frames were given");
        }
        int n = content.size();
        int w = params.windowWidth();
        if (!params.startCountsAsCut() && !finished) {
            for (int target = Math.max(1, n - w); target < n; target++) {
                evaluate(target, Math.max(1, target - w), n - 1, target + w);
            }
        }
        finished = true;
        double[] c = content.stream().mapToDouble(Double::doubleValue).toArray();
        double[] r = ratios.stream().mapToDouble(Double::doubleValue).toArray();
        return new Result(cuts, c, r, analysisWidth, analysisHeight);
    }

    private static byte[][] toHsvPlanes(byte[] bgr, int w, int h) {
        byte[] hsv;
        try (Mat src = Frames.bgrToMat(bgr, w, h); Mat dst = new Mat()) {
            cvtColor(src, dst, COLOR_BGR2HSV);
            hsv = Frames.continuousBytes(dst);
        }
        int n = w * h;
        byte[][] planes = new byte[3][n];
        for (int i = 0, j = 0; i < n; i++, j += 3) {
            planes[0][i] = hsv[j];
            planes[1][i] = hsv[j + 1];
            planes[2][i] = hsv[j + 2];
        }
        return planes;
    }

    private static double meanPixelDistance(byte[] a, byte[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
        }
        return sum / (double) a.length;
    }
}
