package dev.storyboard.inference.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The frame VAE ({@code config.json → vae}, docs/STORYDIT.md §9).
 *
 * @param imageSize      pixels of a square frame
 * @param inChannels     3 (RGB)
 * @param latentChannels C
 * @param baseChannels   ch0
 * @param channelMults   ch_i = baseChannels · channelMults[i], four levels
 * @param nRes           ResBlocks per level
 * @param normGroups     GroupNorm groups
 * @param scalingFactor  DiT latent = (mean − shift) · scaling
 * @param shiftFactor    see scalingFactor
 */
public record VaeConfig(int imageSize, int inChannels, int latentChannels, int baseChannels, int[] channelMults,
                        int nRes, int normGroups, double scalingFactor, double shiftFactor) {
    public static final int LEVELS = 4;
    public static final double GROUP_NORM_EPS = 1e-6;

    public VaeConfig {
        if (channelMults.length != LEVELS) {
            throw new IllegalArgumentException("invalid VAE config: channel_mults needs " + LEVELS + " entries");
        }
        for (int m : channelMults) {
            if ((baseChannels * m) % normGroups != 0) {
                throw new IllegalArgumentException("invalid VAE config: norm_groups " + normGroups
                        + " must divide every channel count");
            }
        }
        channelMults = channelMults.clone();
    }

    /** ch_i. */
    public int channels(int level) {
        return baseChannels * channelMults[level];
    }

    public static VaeConfig fromJson(JsonNode n, double scaling, double shift) {
        JsonNode mults = ConfigJson.required(n, "channel_mults");
        int[] m = new int[mults.size()];
        for (int i = 0; i < m.length; i++) {
            m[i] = mults.get(i).asInt();
        }
        return new VaeConfig(ConfigJson.required(n, "image_size").asInt(), n.path("in_channels").asInt(3),
                ConfigJson.required(n, "latent_channels").asInt(), ConfigJson.required(n, "base_channels").asInt(), m,
                n.path("n_res").asInt(1), ConfigJson.required(n, "norm_groups").asInt(), scaling, shift);
    }
}
