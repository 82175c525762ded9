package dev.storyboard.judge.metrics;

import dev.storyboard.judge.JudgeException;
import dev.storyboard.judge.video.Clip;
import java.util.List;

/**
 * Every generic metric of one shot (any video, storyworld or not), finite by construction.
 *
 * @param frames            frame count
 * @param width             analysed width, px
 * @param height            analysed height, px
 * @param fps               frames per second
 * @param scuts             SCuts: cuts found by the PySceneDetect AdaptiveDetector port (default parameters)
 * @param cutFrames         first frames of the new scenes (PySceneDetect semantics: none in the first 13 frames)
 * @param cutFramesAnywhere the same detector with no cut suppressed at the start
 * @param warpError         W: mean squared warp error over non-occluded pixels (0..255 units)
 * @param meanFlow          OF: mean Farneback flow magnitude, px per frame
 * @param meanFlowPerHeight OF / frame height
 * @param mawe              W / (c &middot; max(OF, 0.05))
 * @param occludedFraction  mean share of pixels failing the forward-backward check
 * @param stagnant          OF below 0.05 px/frame
 * @param flicker           mean absolute consecutive-frame difference (0..255)
 * @param maxFrameDifference largest consecutive-frame difference
 * @param lumaSlope         luma drift, Y units per second (least squares)
 * @param lumaChange        luma end &minus; start (means of the first/last k frames)
 * @param saturationSlope   saturation drift per second (0..1 units)
 * @param saturationChange  saturation end &minus; start
 * @param meanLuma          mean luma Y over the shot (0..255)
 * @param meanSaturation    mean HSV saturation over the shot (0..1)
 * @param cameraZoom        global zoom over the shot (&gt; 1 zooms in)
 * @param cameraShiftX      global x shift over the shot, fraction of the width (&gt; 0: content moves right)
 * @param cameraShiftY      global y shift, fraction of the height
 * @param seams             seam scores at the given chunk boundaries (empty when none were given)
 * @param seamChange        mean consecutive-frame difference across the chunk boundaries (0 when none were given)
 * @param innerChange       mean consecutive-frame difference inside the chunks (0 when no boundaries were given);
 *                          seamChange / innerChange is the seam ratio (1 = a seam changes the frame as much as
 *                          any other frame step)
 */
public record ShotMetrics(
        int frames,
        int width,
        int height,
        double fps,
        int scuts,
        List<Integer> cutFrames,
        List<Integer> cutFramesAnywhere,
        double warpError,
        double meanFlow,
        double meanFlowPerHeight,
        double mawe,
        double occludedFraction,
        boolean stagnant,
        double flicker,
        double maxFrameDifference,
        double lumaSlope,
        double lumaChange,
        double saturationSlope,
        double saturationChange,
        double meanLuma,
        double meanSaturation,
        double cameraZoom,
        double cameraShiftX,
        double cameraShiftY,
        List<TemporalMetrics.Seam> seams,
        double seamChange,
        double innerChange) {

    public ShotMetrics {
        cutFrames = List.copyOf(cutFrames);
        cutFramesAnywhere = List.copyOf(cutFramesAnywhere);
        seams = List.copyOf(seams);
    }

    /**
     * Computes all metrics of a clip.
     *
     * @param boundaries chunk boundaries (first frame of each new chunk) for seam scores; may be empty
     * @throws JudgeException for clips of fewer than 2 frames (no frame pair to compare)
     */
    public static ShotMetrics compute(Clip clip, int[] boundaries) {
        clip.requireFrames(2, "video metrics (flicker, warp error, cuts)");
        SceneCutDetector.Result cuts = SceneCutDetector.detect(clip, SceneCutDetector.Params.DEFAULT);
        SceneCutDetector.Result anywhere = SceneCutDetector.detect(clip, SceneCutDetector.Params.ANYWHERE);
        MotionMetrics.Result motion = MotionMetrics.compute(clip);
        TemporalMetrics.Result temporal = TemporalMetrics.compute(clip);
        GlobalMotion.Result global = GlobalMotion.estimate(clip, null);
        boolean chunked = boundaries != null && boundaries.length > 0;
        List<TemporalMetrics.Seam> seams = chunked
                ? TemporalMetrics.seams(temporal.pairDifference(), boundaries, clip.name()) : List.of();
        double[] change = chunked ? TemporalMetrics.seamAndInnerChange(temporal.pairDifference(), boundaries)
                : new double[2];
        return new ShotMetrics(clip.frameCount(), clip.width(), clip.height(), clip.fps(), cuts.cuts().size(),
                cuts.cuts(), anywhere.cuts(), motion.warpError(), motion.meanFlow(), motion.meanFlowPerHeight(),
                motion.mawe(), motion.occludedFraction(), motion.stagnant(), temporal.flicker(),
                temporal.maxPairDifference(), temporal.lumaDrift().slopePerSecond(),
                temporal.lumaDrift().startToEnd(), temporal.saturationDrift().slopePerSecond(),
                temporal.saturationDrift().startToEnd(), mean(temporal.luma()), mean(temporal.saturation()),
                global.totalScale(), global.shiftXPerWidth(),
                global.shiftYPerHeight(), seams, change[0], change[1]);
    }

    private static double mean(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        return v.length == 0 ? 0 : sum / v.length;
    }
}
