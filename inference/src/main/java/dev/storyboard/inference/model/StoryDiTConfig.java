package dev.storyboard.inference.model;

import com.fasterxml.jackson.databind.JsonNode;

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
 */
public record StoryDiTConfig(String preset, int imageSize, int fps, int latentChannels, int latentH, int latentW,
                             int patchT, int patchH, int patchW, int dModel, int nLayers, int nHeads, double mlpRatio,
                             int lTxt, int textDim, int chunkFrames, int tEmbedDim, double tScale, double normEps,
                             double ropeTheta, boolean captionCond) {

    public StoryDiTConfig {
        require(dModel > 0 && nHeads > 0 && dModel % nHeads == 0, "d_model must be divisible by n_heads");
        require(latentH % patchH == 0 && latentW % patchW == 0, "latent size must be divisible by the patch size");
        require(chunkFrames > 0 && chunkFrames % patchT == 0, "chunk_frames must be a positive multiple of patch_t");
        require(tEmbedDim % 2 == 0, "t_embed_dim must be even");
        require(lTxt >= 2, "l_txt must be at least 2 ([CLS] and [SEP])");
        int dh = dModel / nHeads;
        int dHw = 2 * (dh / 6);
        require(dHw > 0 && (dh - 2 * dHw) > 0 && (dh - 2 * dHw) % 2 == 0,
                "head_dim " + dh + " cannot be split into even t/h/w RoPE parts");
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

    static StoryDiTConfig fromJson(JsonNode n) {
        return new StoryDiTConfig(n.path("preset").asText(""), req(n, "image_size").asInt(), n.path("fps").asInt(8),
                req(n, "latent_channels").asInt(), req(n, "latent_h").asInt(), req(n, "latent_w").asInt(),
                req(n, "patch_t").asInt(), req(n, "patch_h").asInt(), req(n, "patch_w").asInt(),
                req(n, "d_model").asInt(), req(n, "n_layers").asInt(), req(n, "n_heads").asInt(),
                n.path("mlp_ratio").asDouble(4.0), req(n, "l_txt").asInt(), n.path("text_dim").asInt(384),
                req(n, "chunk_frames").asInt(), n.path("t_embed_dim").asInt(256), n.path("t_scale").asDouble(1000.0),
                n.path("norm_eps").asDouble(1e-6), n.path("rope_theta").asDouble(10000.0),
                n.path("caption_cond").asBoolean(false));
    }

    static JsonNode req(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("model config is missing field '" + field + "'");
        }
        return v;
    }
}
