package dev.storyboard.inference.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The StoryDiT hyper-parameters ({@code config.json → dit}, docs/STORYDIT.md §1). Every size the engine
 * uses comes from here, never from a preset table: the tiny fixture model has {@code l_txt = 8}.
 *
 * @param preset        preset name (informational)
 * @param imageSize     pixels of a square frame
 * @param fps           frames per second (latent frames = video frames: the VAE is per frame)
 * @param latentChannels C
 * @param latentH       latent height H
 * @param latentW       latent width W
 * @param patchT        pt, latent frames per tubelet
 * @param patchH        ph
 * @param patchW        pw
 * @param dModel        d, transformer width
 * @param nLayers       number of blocks
 * @param nHeads        nh
 * @param mlpRatio      MLP hidden = mlpRatio · d
 * @param lTxt          text tokens per caption
 * @param textDim       MiniLM hidden size (384)
 * @param chunkFrames   latent frames per chunk (chunk_causal mask, extension and streaming unit)
 * @param tEmbedDim     sinusoidal timestep feature size
 * @param tScale        t ∈ [0, 1] is embedded as t · tScale
 * @param normEps       eps of every LayerNorm / RMSNorm
 * @param ropeTheta     RoPE base
 * @param captionCond   each segment's pooled caption (MiniLM sentence embedding) is added to its adaLN
 *                      condition ({@code caption_cond}; absent = false, the models before it)
 * @param prediction    what the head predicts ({@code prediction}: "v" velocity, absent = v; "x" the clean frame);
 *                      the forward always returns v
 * @param xPredTMin     x-prediction: v = (x_t − x̂) / max(t, xPredTMin) ({@code x_pred_t_min}, default 0.05)
 * @param shotCond      camera move and shot size as class labels in the adaLN condition ({@code shot_cond};
 *                      absent = false)
 * @param cameras       camera-move names; label i + 1 = cameras[i], 0 = null ({@code cameras})
 * @param shotSizes     shot-size names; label i + 1 = shotSizes[i], 0 = null ({@code shot_sizes})
 * @param convDecoderWidth W, channels at full resolution of the U-Net-style decoder beside the patch head
 *                      ({@code conv_decoder_width}, x-prediction only; 0 = none, absent = 0): level l has W·(l + 1)
 * @param convEncoder   the conv encoder whose levels are the decoder's skips and join the patch tokens
 *                      ({@code conv_encoder}; needs the decoder; absent = false)
 * @param cameraMotion  camera RoPE ({@code camera_rope}, needs shot_cond): the view's travel per latent frame under
 *                      each camera label, by which video tokens are rotated ({@code dit.CameraRope}); null = off
 * @param actorBoxCond  the actor's box per frame, a 0/1 mask, is an input of the conv encoder ({@code actor_box_cond};
 *                      needs conv_encoder; absent = false): the engine plans it with the model's layout planner
 *                      ({@code layout.BoxPlanner}, config.json → {@code box_planner})
 * @param prevFrameCond the previous frame is an input of the conv encoder ({@code prev_frame_cond}; needs
 *                      conv_encoder; absent = false): a target that continues its shot reads, for each of its frames,
 *                      the shot's final frame before it ({@code session.PreviousFrame})
 * @param actorLayout   what the actor's box input draws ({@code actor_layout}; absent = box): the 0/1 box, the
 *                      silhouette of the kind the layout planner names, stretched over the box, or that silhouette
 *                      painted the colour the planner names ({@link ActorLayout}, its channels)
 */
public record StoryDiTConfig(String preset, int imageSize, int fps, int latentChannels, int latentH, int latentW,
                             int patchT, int patchH, int patchW, int dModel, int nLayers, int nHeads, double mlpRatio,
                             int lTxt, int textDim, int chunkFrames, int tEmbedDim, double tScale, double normEps,
                             double ropeTheta, boolean captionCond, Prediction prediction, double xPredTMin,
                             boolean shotCond, List<String> cameras, List<String> shotSizes, int convDecoderWidth,
                             boolean convEncoder, CameraMotion cameraMotion, boolean actorBoxCond,
                             boolean prevFrameCond, ActorLayout actorLayout) {
    /** {@code model.py SHOT_CAMERAS}: the default camera vocabulary. */
    public static final List<String> DEFAULT_CAMERAS = List.of("static", "pan_left", "pan_right", "zoom_in", "zoom_out");
    /** {@code model.py SHOT_SIZES}: the default shot-size vocabulary. */
    public static final List<String> DEFAULT_SHOT_SIZES = List.of("wide", "medium", "close_up");
    public static final double DEFAULT_X_PRED_T_MIN = 0.05;

    /** What StoryDiT's output head predicts ({@code dit.prediction}). */
    public enum Prediction {
        /** the velocity v = ε − x0 (every model before pixel space) */
        V,
        /** the clean frame x̂ (JiT); the forward turns it into v */
        X;

        static Prediction parse(String s) {
            return switch (s) {
                case "v" -> V;
                case "x" -> X;
                default -> throw new IllegalArgumentException("invalid StoryDiT config: prediction must be 'v' or 'x', not '"
                        + s + "'");
            };
        }
    }

    /** The old models: v-prediction, no shot labels. */
    public StoryDiTConfig(String preset, int imageSize, int fps, int latentChannels, int latentH, int latentW,
                          int patchT, int patchH, int patchW, int dModel, int nLayers, int nHeads, double mlpRatio,
                          int lTxt, int textDim, int chunkFrames, int tEmbedDim, double tScale, double normEps,
                          double ropeTheta, boolean captionCond) {
        this(preset, imageSize, fps, latentChannels, latentH, latentW, patchT, patchH, patchW, dModel, nLayers, nHeads,
                mlpRatio, lTxt, textDim, chunkFrames, tEmbedDim, tScale, normEps, ropeTheta, captionCond, Prediction.V,
                DEFAULT_X_PRED_T_MIN, false, DEFAULT_CAMERAS, DEFAULT_SHOT_SIZES, 0, false, null, false, false,
                ActorLayout.BOX);
    }

    /** The models before the planned silhouette: an actor box input, if any, draws the 0/1 box. */
    public StoryDiTConfig(String preset, int imageSize, int fps, int latentChannels, int latentH, int latentW,
                          int patchT, int patchH, int patchW, int dModel, int nLayers, int nHeads, double mlpRatio,
                          int lTxt, int textDim, int chunkFrames, int tEmbedDim, double tScale, double normEps,
                          double ropeTheta, boolean captionCond, Prediction prediction, double xPredTMin,
                          boolean shotCond, List<String> cameras, List<String> shotSizes, int convDecoderWidth,
                          boolean convEncoder, CameraMotion cameraMotion, boolean actorBoxCond, boolean prevFrameCond) {
        this(preset, imageSize, fps, latentChannels, latentH, latentW, patchT, patchH, patchW, dModel, nLayers, nHeads,
                mlpRatio, lTxt, textDim, chunkFrames, tEmbedDim, tScale, normEps, ropeTheta, captionCond, prediction,
                xPredTMin, shotCond, cameras, shotSizes, convDecoderWidth, convEncoder, cameraMotion, actorBoxCond,
                prevFrameCond, ActorLayout.BOX);
    }

    /**
     * What the actor's box input of an {@code actor_box_cond} model draws ({@code dit.actor_layout}, {@code
     * model.py StoryDiTConfig.actor_layout}), and how many channels it has: the input, (B, F, {@link #channels}, H, W),
     * goes into the conv encoder's box conv ({@code model.py StoryDiTConfig.actor_layout_channels}).
     */
    public enum ActorLayout {
        /** the 0/1 box ({@code layout.BoxMasks}; every model before session 30), 1 channel */
        BOX("box", 1),
        /**
         * the mean silhouette of the kind the layout planner names, facing the way it names, stretched over the planned
         * box: a soft mask in [0, 1] ({@code layout.SilhouetteMasks}), 1 channel; the planner has kinds and templates
         */
        SILHOUETTE("silhouette", 1),
        /**
         * that silhouette painted the colour the layout planner names (session 31): 4 channels, the silhouette and then
         * the silhouette times the colour's red, green and blue ({@code layout.PaintedMasks}); the planner also has
         * colours and their palette
         */
        PAINTED("painted", 4);

        private final String configName;
        private final int channels;

        ActorLayout(String configName, int channels) {
            this.configName = configName;
            this.channels = channels;
        }

        /** The name config.json gives it ({@code actor_layout}). */
        public String configName() {
            return configName;
        }

        /** Channels of the box input per frame: 4 painted, else 1. */
        public int channels() {
            return channels;
        }

        static ActorLayout parse(String s) {
            for (ActorLayout layout : values()) {
                if (layout.configName.equals(s)) {
                    return layout;
                }
            }
            throw new IllegalArgumentException("invalid StoryDiT config: actor_layout must be 'box', 'silhouette' or "
                    + "'painted', not '" + s + "'");
        }
    }

    /**
     * How far the view travels per latent frame of a shot ({@code camera_pan_per_frame}, {@code
     * camera_log_zoom_per_frame}): a pan slides it by {@code panPerFrame} (pan_right to +w, pan_left to −w), zoom_in
     * multiplies its height by exp(logZoomPerFrame) (&lt; 1), zoom_out by the inverse. The pan is in patches for camera
     * RoPE, in latent pixels for the sampler's camera noise ({@code SamplerConfig#cameraNoise}). The travel stops growing
     * after frame {@code holdFrames} of a shot (the trained shot's last frame; {@code camera_hold_frames}; 0 = never):
     * camera RoPE holds pans and zooms there, the camera noise its zooms.
     */
    public record CameraMotion(double panPerFrame, double logZoomPerFrame, int holdFrames) {
        /** No travel under any camera move. */
        public static final CameraMotion STILL = new CameraMotion(0, 0);

        public CameraMotion {
            if (holdFrames < 0) {
                throw new IllegalArgumentException("camera hold frames must be ≥ 0 (0 = never hold), was " + holdFrames);
            }
        }

        /** A camera that travels for the whole shot. */
        public CameraMotion(double panPerFrame, double logZoomPerFrame) {
            this(panPerFrame, logZoomPerFrame, 0);
        }

        /** The frames of travel behind frame {@code f} of a shot: f, or holdFrames once past it. */
        public int travelFrames(int f) {
            return holdFrames > 0 ? Math.min(f, holdFrames) : f;
        }

        /** {pan, log zoom} per frame under the camera move {@code name}; static and unknown moves: none. */
        public double[] rates(String name) {
            return switch (name) {
                case "pan_left" -> new double[] {-panPerFrame, 0.0};
                case "pan_right" -> new double[] {panPerFrame, 0.0};
                case "zoom_in" -> new double[] {0.0, logZoomPerFrame};
                case "zoom_out" -> new double[] {0.0, -logZoomPerFrame};
                default -> new double[] {0.0, 0.0};
            };
        }
    }

    public StoryDiTConfig {
        require(prediction != null, "prediction is missing");
        require(actorLayout != null, "actor_layout is missing");
        require(xPredTMin > 0, "x_pred_t_min must be positive, got " + xPredTMin);
        require(cameras != null && !cameras.isEmpty(), "cameras must list at least one camera move");
        require(shotSizes != null && !shotSizes.isEmpty(), "shot_sizes must list at least one shot size");
        cameras = List.copyOf(cameras);
        shotSizes = List.copyOf(shotSizes);
        require(dModel > 0 && nHeads > 0 && dModel % nHeads == 0, "d_model must be divisible by n_heads");
        require(latentH % patchH == 0 && latentW % patchW == 0, "latent size must be divisible by the patch size");
        require(chunkFrames > 0 && chunkFrames % patchT == 0, "chunk_frames must be a positive multiple of patch_t");
        require(tEmbedDim % 2 == 0, "t_embed_dim must be even");
        require(lTxt >= 2, "l_txt must be at least 2 ([CLS] and [SEP])");
        int dh = dModel / nHeads;
        int dHw = 2 * (dh / 6);
        require(dHw > 0 && (dh - 2 * dHw) > 0 && (dh - 2 * dHw) % 2 == 0,
                "head_dim " + dh + " cannot be split into even t/h/w RoPE parts");
        require(convDecoderWidth >= 0, "conv_decoder_width must not be negative, got " + convDecoderWidth);
        require(!convEncoder || convDecoderWidth > 0, "conv_encoder needs the conv decoder (conv_decoder_width > 0)");
        require(convDecoderWidth == 0 || prediction == Prediction.X, "conv_decoder_width needs x-prediction");
        require(cameraMotion == null || shotCond, "camera_rope reads the camera label (shot_cond)");
        require(!actorBoxCond || convEncoder, "actor_box_cond: the actor's box is read by the conv encoder (conv_encoder)");
        require(!prevFrameCond || convEncoder, "prev_frame_cond: the previous frame is read by the conv encoder (conv_encoder)");
        require(convDecoderWidth == 0 || (patchT == 1 && patchH == patchW && patchH > 1 && (patchH & (patchH - 1)) == 0),
                "conv_decoder_width needs square power-of-two patches of one frame, got (" + patchT + ", " + patchH
                        + ", " + patchW + ")");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("invalid StoryDiT config: " + message);
        }
    }

    /** Dh = d / nh. */
    public int headDim() {
        return dModel / nHeads;
    }

    /** P = pt · ph · pw · C, the length of one flattened tubelet. */
    public int patchDim() {
        return patchT * patchH * patchW * latentChannels;
    }

    /** Hp = H / ph. */
    public int gridH() {
        return latentH / patchH;
    }

    /** Wp = W / pw. */
    public int gridW() {
        return latentW / patchW;
    }

    /** Video tokens per tubelet frame, Hp · Wp. */
    public int tokensPerFrame() {
        return gridH() * gridW();
    }

    public int mlpHidden() {
        return (int) (mlpRatio * dModel);
    }

    /** Floats in one latent frame, C · H · W. */
    public int latentFrameSize() {
        return latentChannels * latentH * latentW;
    }

    /** Levels of the conv decoder / encoder, log2(patch_h) (level l at resolution H / 2^l); 0 without a decoder. */
    public int convLevels() {
        return convDecoderWidth == 0 ? 0 : Integer.numberOfTrailingZeros(patchH);
    }

    /** Channels of conv level l, W · (l + 1). */
    public int convWidth(int level) {
        return convDecoderWidth * (level + 1);
    }

    /** Rows of the camera label table, len(cameras) + 1 (row 0 = null). */
    public int cameraLabels() {
        return cameras.size() + 1;
    }

    /** Rows of the shot-size label table, len(shot_sizes) + 1 (row 0 = null). */
    public int shotSizeLabels() {
        return shotSizes.size() + 1;
    }

    /**
     * {@code model.py shot_label}: a camera-move name → its class label (index + 1); null → 0 (the null label).
     *
     * @throws IllegalArgumentException naming the camera move when this model does not know it
     */
    public int cameraLabel(String camera) {
        return label(cameras, camera, "camera move");
    }

    /** Whether a shot with the camera label {@code cameraLabel} holds its camera still: the null label or "static". */
    public boolean holdsStill(int cameraLabel) {
        return cameraLabel == 0 || "static".equals(cameras.get(cameraLabel - 1));
    }

    /** A shot-size name → its class label (index + 1); null → 0. Unknown names are an error naming them. */
    public int shotSizeLabel(String shotSize) {
        return label(shotSizes, shotSize, "shot size");
    }

    private static int label(List<String> names, String name, String what) {
        if (name == null) {
            return 0;
        }
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("unknown " + what + " '" + name + "'; this model knows " + names);
        }
        return i + 1;
    }

    public static StoryDiTConfig fromJson(JsonNode n) {
        refuseTrainingOnlyParts(n);
        return new StoryDiTConfig(n.path("preset").asText(""), ConfigJson.required(n, "image_size").asInt(), n.path("fps").asInt(8),
                ConfigJson.required(n, "latent_channels").asInt(), ConfigJson.required(n, "latent_h").asInt(), ConfigJson.required(n, "latent_w").asInt(),
                ConfigJson.required(n, "patch_t").asInt(), ConfigJson.required(n, "patch_h").asInt(), ConfigJson.required(n, "patch_w").asInt(),
                ConfigJson.required(n, "d_model").asInt(), ConfigJson.required(n, "n_layers").asInt(), ConfigJson.required(n, "n_heads").asInt(),
                n.path("mlp_ratio").asDouble(4.0), ConfigJson.required(n, "l_txt").asInt(), n.path("text_dim").asInt(384),
                ConfigJson.required(n, "chunk_frames").asInt(), n.path("t_embed_dim").asInt(256), n.path("t_scale").asDouble(1000.0),
                n.path("norm_eps").asDouble(1e-6), n.path("rope_theta").asDouble(10000.0),
                n.path("caption_cond").asBoolean(false),
                Prediction.parse(n.path("prediction").asText("v")), n.path("x_pred_t_min").asDouble(DEFAULT_X_PRED_T_MIN),
                n.path("shot_cond").asBoolean(false), ConfigJson.names(n, "cameras", DEFAULT_CAMERAS),
                ConfigJson.names(n, "shot_sizes", DEFAULT_SHOT_SIZES), n.path("conv_decoder_width").asInt(0),
                n.path("conv_encoder").asBoolean(false),
                n.path("camera_rope").asBoolean(false) ? new CameraMotion(
                        ConfigJson.required(n, "camera_pan_per_frame").asDouble(),
                        ConfigJson.required(n, "camera_log_zoom_per_frame").asDouble(),
                        n.path("camera_hold_frames").asInt(0)) : null,
                n.path("actor_box_cond").asBoolean(false), n.path("prev_frame_cond").asBoolean(false),
                ActorLayout.parse(n.path("actor_layout").asText("box")));
    }

    /**
     * Parts a training run can have that this engine does not run (training/storydit/export.py ENGINE_LACKS), by
     * config field: running such a model without them would be silently wrong, so it is refused by name. A field
     * counts as present when it is true or a non-zero number.
     */
    private static final Map<String, String> TRAINING_ONLY_PARTS = Map.of(
            "refiner_width", "this engine does not run the pixel refiner after the patch head (model.py PixelRefiner)",
            "self_cond", "this engine does not feed the sampler's previous clean-frame estimate to the conv encoder",
            "conv_res_blocks", "this engine does not run residual blocks inside the conv U-Net (model.py ConvResBlock)",
            "kind_label_oracle", "a training diagnostic (the model is told the actor's kind), not a model to run");

    private static void refuseTrainingOnlyParts(JsonNode n) {
        TRAINING_ONLY_PARTS.forEach((field, why) -> {
            JsonNode v = n.path(field);
            if (v.asBoolean(false)) {
                throw new IllegalArgumentException("invalid StoryDiT config: " + field + " " + v.asText() + ": " + why
                        + "; export a model without this part");
            }
        });
    }
}
