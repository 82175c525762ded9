package dev.storyboard.inference.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storyboard.inference.config.StoryDiTConfig.CameraMotion;

/**
 * Sampling defaults shipped with the model ({@code config.json → sampler}).
 *
 * @param sampler  "euler" or "heun"
 * @param steps    integration steps from t = 1 to 0
 * @param shift    timestep shift s
 * @param guidance classifier-free guidance scale g
 * @param tContext t_c: the noise level at which finished shots / chunks are cached as context
 * @param noiseCorrelation a of the shot noise prior: the share of the initial noise a shot's frames have in common
 *                 ({@code noise_correlation}, default 0 = independent frames; the session's {@code ShotNoisePrior})
 * @param continuationStart t₀ at which a target that continues its shot starts from the frame before it
 *                 ({@code continuation_start}, default 1 = from noise at t = 1; the session's {@code ContinuationStart})
 * @param cameraNoise how the shared part of the shot noise prior moves with the shot's camera, in latent pixels per
 *                 latent frame, a zoom until frame {@code holdFrames} ({@code camera_noise: {pan_per_frame,
 *                 log_zoom_per_frame, zoom_frames}}, default {@link CameraMotion#STILL} = fixed to the screen; the
 *                 session's {@code SharedNoise})
 * @param layoutGuidance whether guidance also acts on the actor's planned layout ({@code layout_guidance}, default
 *                 {@link LayoutGuidance#NONE}; only for a model that reads the layout)
 * @param continuationAnchor which picture a continuing target starts from: the frame before it, still or carried by
 *                 the shot's camera ({@code continuation_anchor}, default {@link ContinuationAnchor#STILL}; camera only
 *                 with {@code camera_noise} rates)
 * @param layoutGuidanceScale the guidance scale of the chunks guided on their layout alone, the later chunks under
 *                 {@link LayoutGuidance#EVERY_CHUNK} or {@link LayoutGuidance#STILL_SHOT_CHUNKS} ({@code
 *                 layout_guidance_scale}, only with one of them); NaN (absent) = the
 *                 shot's own scale. Session 37: 1.5 on v9's weights named the kind right 11 times against 4 on the
 *                 four validation sets, and read level on the held-out benchmark (training/README.md)
 * @param layoutGuidanceTMin the chunks guided on their layout alone are guided only at the steps whose t is at least
 *                 this, and run their conditional row alone below it ({@code layout_guidance_t_min}, in [0, 1), only
 *                 with a layout guidance that guides them; default 0 = every step): the layout is set at high noise,
 *                 so the low-noise steps might skip the second row; session 38: at 0.75 it lost most of
 *                 every_chunk's gain on the validation sets
 */
public record SamplerConfig(String sampler, int steps, double shift, double guidance, double tContext,
                            double noiseCorrelation, double continuationStart, CameraMotion cameraNoise,
                            LayoutGuidance layoutGuidance, ContinuationAnchor continuationAnchor,
                            double layoutGuidanceScale, double layoutGuidanceTMin) {
    public SamplerConfig {
        if (!"euler".equals(sampler) && !"heun".equals(sampler)) {
            throw new IllegalArgumentException("unknown sampler '" + sampler + "' (expected euler or heun)");
        }
        if (steps < 1) {
            throw new IllegalArgumentException("sampler steps must be >= 1, was " + steps);
        }
        if (!(tContext >= 0 && tContext < 1)) {
            throw new IllegalArgumentException("t_context must be in [0, 1), was " + tContext);
        }
        if (!(noiseCorrelation >= 0 && noiseCorrelation < 1)) {
            throw new IllegalArgumentException("noise_correlation must be in [0, 1), was " + noiseCorrelation);
        }
        if (!(continuationStart > 0 && continuationStart <= 1)) {
            throw new IllegalArgumentException("continuation_start must be in (0, 1], was " + continuationStart);
        }
        if (cameraNoise == null) {
            throw new IllegalArgumentException("camera_noise is missing (use CameraMotion.STILL for none)");
        }
        if (!Double.isFinite(cameraNoise.panPerFrame()) || !Double.isFinite(cameraNoise.logZoomPerFrame())) {
            throw new IllegalArgumentException("camera_noise rates must be finite numbers, was " + cameraNoise);
        }
        if (layoutGuidance == null) {
            throw new IllegalArgumentException("layout_guidance is missing (use LayoutGuidance.NONE for none)");
        }
        if (continuationAnchor == null) {
            throw new IllegalArgumentException("continuation_anchor is missing (use ContinuationAnchor.STILL for none)");
        }
        if (!Double.isNaN(layoutGuidanceScale)) {
            if (!(layoutGuidanceScale > 0 && Double.isFinite(layoutGuidanceScale))) {
                throw new IllegalArgumentException("sampler.layout_guidance_scale must be a positive number, was "
                        + layoutGuidanceScale);
            }
            if (!layoutGuidance.guidesLayoutAlone()) {
                throw new IllegalArgumentException("sampler.layout_guidance_scale is the scale of the chunks guided on "
                        + "their layout alone: it needs layout_guidance every_chunk or still_shot_chunks, not '"
                        + layoutGuidance.key() + "'");
            }
        }
        if (!(layoutGuidanceTMin >= 0 && layoutGuidanceTMin < 1)) {
            throw new IllegalArgumentException("sampler.layout_guidance_t_min must be in [0, 1), was " + layoutGuidanceTMin);
        }
        if (layoutGuidanceTMin > 0 && !layoutGuidance.guidesLayoutAlone()) {
            throw new IllegalArgumentException("sampler.layout_guidance_t_min bounds the steps of the chunks guided on "
                    + "their layout alone: it needs layout_guidance every_chunk or still_shot_chunks, not '"
                    + layoutGuidance.key() + "'");
        }
        if (continuationAnchor == ContinuationAnchor.CAMERA && cameraNoise.panPerFrame() == 0
                && cameraNoise.logZoomPerFrame() == 0) {
            throw new IllegalArgumentException("sampler.continuation_anchor is camera, but sampler.camera_noise gives no "
                    + "camera rates to carry the anchor by");
        }
    }

    public static SamplerConfig fromJson(JsonNode n) {
        return new SamplerConfig(n.path("sampler").asText("euler"), n.path("steps").asInt(24), n.path("shift").asDouble(2.0),
                n.path("guidance").asDouble(3.0), n.path("t_context").asDouble(0.2),
                n.path("noise_correlation").asDouble(0.0), n.path("continuation_start").asDouble(1.0),
                cameraNoise(n.path("camera_noise")), LayoutGuidance.parse(n.path("layout_guidance").asText("none")),
                ContinuationAnchor.parse(n.path("continuation_anchor").asText("still")),
                layoutGuidanceScale(n.path("layout_guidance_scale")), layoutGuidanceTMin(n.path("layout_guidance_t_min")));
    }

    /** The scale of a layout-only guided chunk: the shot's own guidance where the model names none. */
    public double layoutOnlyScale(double shotGuidance) {
        return Double.isNaN(layoutGuidanceScale) ? shotGuidance : layoutGuidanceScale;
    }

    private static double layoutGuidanceScale(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return Double.NaN;
        }
        if (!n.isNumber()) {
            throw new IllegalArgumentException("sampler.layout_guidance_scale must be a number, was " + n);
        }
        return n.asDouble();
    }

    private static double layoutGuidanceTMin(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return 0;
        }
        if (!n.isNumber()) {
            throw new IllegalArgumentException("sampler.layout_guidance_t_min must be a number, was " + n);
        }
        return n.asDouble();
    }

    private static CameraMotion cameraNoise(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return CameraMotion.STILL;
        }
        if (!n.path("pan_per_frame").isNumber() || !n.path("log_zoom_per_frame").isNumber()
                || !n.path("zoom_frames").canConvertToInt()) {
            throw new IllegalArgumentException("sampler.camera_noise needs numbers pan_per_frame, log_zoom_per_frame and "
                    + "zoom_frames, was " + n);
        }
        return new CameraMotion(n.path("pan_per_frame").asDouble(), n.path("log_zoom_per_frame").asDouble(),
                n.path("zoom_frames").asInt());
    }
}
