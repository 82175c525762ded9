package dev.storyboard.inference.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the DiT's "latent" frames are ({@code config.json → codec}, docs/STORYDIT.md §9; {@code codec.py}):
 * a frame VAE's latents, or the RGB frames themselves scaled to [−1, 1]. Selects the engine's
 * {@link dev.storyboard.inference.codec.FrameCodec} and which files a model folder holds.
 */
public sealed interface FrameCodecConfig {
    String VAE = "vae";
    String PIXEL = "pixel";

    /** Latent channels C the codec produces. */
    int latentChannels();

    /** Latent height = width of a square frame. */
    int latentSize();

    /** {@code codec = "vae"} (and every model before the key existed): the VAE config with its latent factors. */
    record Vae(VaeConfig vae) implements FrameCodecConfig {
        /** ×8 spatial downsampling (docs/STORYDIT.md §9). */
        public static final int DOWNSAMPLE = 8;

        @Override
        public int latentChannels() {
            return vae.latentChannels();
        }

        @Override
        public int latentSize() {
            return vae.imageSize() / DOWNSAMPLE;
        }
    }

    /** {@code codec = "pixel"}: z = 2·image − 1, 3 channels at the image size; no weights, no latent factors. */
    record Pixel(int imageSize) implements FrameCodecConfig {
        public static final int CHANNELS = 3;

        public Pixel {
            if (imageSize <= 0) {
                throw new IllegalArgumentException("invalid pixel codec: image_size must be positive, got " + imageSize);
            }
        }

        @Override
        public int latentChannels() {
            return CHANNELS;
        }

        @Override
        public int latentSize() {
            return imageSize;
        }
    }

    /** The codec section of a {@code config.json} root; {@code codec} absent = "vae". */
    public static FrameCodecConfig fromJson(JsonNode root) {
        String codec = root.path("codec").asText(VAE);
        return switch (codec) {
            case VAE -> new Vae(VaeConfig.fromJson(ConfigJson.required(root, "vae"),
                    ConfigJson.required(root, "latent_scaling_factor").asDouble(),
                    ConfigJson.required(root, "latent_shift_factor").asDouble()));
            case PIXEL -> new Pixel(ConfigJson.required(root, "image_size").asInt());
            default -> throw new IllegalArgumentException("unknown codec '" + codec + "', expected '" + VAE + "' or '"
                    + PIXEL + "'");
        };
    }
}
