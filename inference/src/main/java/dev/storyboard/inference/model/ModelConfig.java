package dev.storyboard.inference.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code config.json} of an exported model folder (format {@value ModelManifest#FORMAT}, written by
 * {@code training/storydit/export.py}).
 */
public record ModelConfig(String name, String preset, StoryDiTConfig dit, VaeConfig vae, SamplerConfig sampler,
                          double latentScalingFactor, double latentShiftFactor, String textEncoder, String storageDtype) {
    public static final String FILE_NAME = "config.json";

    public static ModelConfig read(Path modelDir) throws IOException {
        Path file = modelDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new IOException("no " + FILE_NAME + " in model folder " + modelDir);
        }
        try {
            return parse(new ObjectMapper().readTree(file.toFile()));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    public static ModelConfig parse(JsonNode root) {
        String format = root.path("format").asText("");
        if (!ModelManifest.FORMAT.equals(format)) {
            throw new IllegalArgumentException("unsupported model format '" + format + "', expected '" + ModelManifest.FORMAT + "'");
        }
        double scaling = StoryDiTConfig.req(root, "latent_scaling_factor").asDouble();
        double shift = StoryDiTConfig.req(root, "latent_shift_factor").asDouble();
        StoryDiTConfig dit = StoryDiTConfig.fromJson(StoryDiTConfig.req(root, "dit"));
        VaeConfig vae = VaeConfig.fromJson(StoryDiTConfig.req(root, "vae"), scaling, shift);
        if (vae.latentChannels() != dit.latentChannels() || vae.imageSize() / 8 != dit.latentH()) {
            throw new IllegalArgumentException("VAE and StoryDiT configs disagree on the latent shape");
        }
        if (dit.textDim() != root.path("text_dim").asInt(dit.textDim())) {
            throw new IllegalArgumentException("text_dim differs between config.json and its dit section");
        }
        return new ModelConfig(root.path("name").asText(""), root.path("preset").asText(""), dit, vae,
                SamplerConfig.fromJson(root.path("sampler")), scaling, shift, root.path("text_encoder").asText(""),
                root.path("storage_dtype").asText("f32"));
    }
}
