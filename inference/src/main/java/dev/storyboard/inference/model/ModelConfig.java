package dev.storyboard.inference.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storyboard.inference.config.BoxPlannerConfig;
import dev.storyboard.inference.config.ConfigJson;
import dev.storyboard.inference.config.FrameCodecConfig;
import dev.storyboard.inference.config.LayoutGuidance;
import dev.storyboard.inference.config.SamplerConfig;
import dev.storyboard.inference.config.StoryDiTConfig;
import dev.storyboard.inference.config.VaeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code config.json} of an exported model folder (format {@value ModelManifest#FORMAT}, written by
 * {@code training/storydit/export.py}).
 *
 * @param codec      what the DiT's latent frames are: a frame VAE (with its latent factors) or pixels
 * @param boxPlanner the layout planner of a model that reads the actor's box ({@code box_planner}, present exactly
 *                   when {@code dit.actor_box_cond}; with kinds exactly when {@code dit.actor_layout} is silhouette
 *                   or painted, with colours exactly when it is painted); empty otherwise
 */
public record ModelConfig(String name, String preset, StoryDiTConfig dit, FrameCodecConfig codec, SamplerConfig sampler,
                          String textEncoder, String storageDtype, Optional<BoxPlannerConfig> boxPlanner) {
    public static final String FILE_NAME = "config.json";

    public ModelConfig {
        if (dit.actorBoxCond() != boxPlanner.isPresent()) {
            throw new IllegalArgumentException(dit.actorBoxCond()
                    ? "dit.actor_box_cond: the model reads the actor's box, which the engine plans with the model's "
                            + "layout planner, but config.json has no box_planner section (export the model with "
                            + "--planner)"
                    : "config.json has a box_planner section, but the model does not read the actor's box "
                            + "(dit.actor_box_cond is false)");
        }
        boxPlanner.ifPresent(p -> p.requireFits(dit));
        if (sampler.layoutGuidance() != LayoutGuidance.NONE && !dit.actorBoxCond()) {
            throw new IllegalArgumentException("sampler.layout_guidance is " + sampler.layoutGuidance().key()
                    + ", but the model reads no actor layout to guide (dit.actor_box_cond is false)");
        }
    }

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
        StoryDiTConfig dit = StoryDiTConfig.fromJson(ConfigJson.required(root, "dit"));
        FrameCodecConfig codec = FrameCodecConfig.fromJson(root);
        if (codec.latentChannels() != dit.latentChannels() || codec.latentSize() != dit.latentH()
                || codec.latentSize() != dit.latentW()) {
            throw new IllegalArgumentException("codec and StoryDiT configs disagree on the latent shape: codec "
                    + codec.latentChannels() + " × " + codec.latentSize() + " × " + codec.latentSize() + ", dit "
                    + dit.latentChannels() + " × " + dit.latentH() + " × " + dit.latentW());
        }
        if (dit.textDim() != root.path("text_dim").asInt(dit.textDim())) {
            throw new IllegalArgumentException("text_dim differs between config.json and its dit section");
        }
        JsonNode planner = root.get("box_planner");
        return new ModelConfig(root.path("name").asText(""), root.path("preset").asText(""), dit, codec,
                SamplerConfig.fromJson(root.path("sampler")), root.path("text_encoder").asText(""),
                root.path("storage_dtype").asText("f32"),
                planner == null || planner.isNull() ? Optional.empty() : Optional.of(BoxPlannerConfig.fromJson(planner)));
    }

    /** The VAE config of a {@code codec = "vae"} model; empty for a pixel model. */
    public Optional<VaeConfig> vae() {
        return codec instanceof FrameCodecConfig.Vae v ? Optional.of(v.vae()) : Optional.empty();
    }
}
