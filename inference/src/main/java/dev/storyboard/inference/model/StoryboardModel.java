package dev.storyboard.inference.model;

import ai.djl.ndarray.NDManager;
import dev.storyboard.domain.vocabulary.ModelVocabulary;
import dev.storyboard.inference.codec.FrameCodec;
import dev.storyboard.inference.codec.PixelFrameCodec;
import dev.storyboard.inference.codec.VaeFrameCodec;
import dev.storyboard.inference.config.FrameCodecConfig;
import dev.storyboard.inference.dit.StoryDiT;
import dev.storyboard.inference.layout.BoxPlanner;
import dev.storyboard.inference.vae.VaeDecoder;
import dev.storyboard.inference.vae.VaeEncoder;
import dev.storyboard.inference.weights.Weights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A loaded model folder: config, StoryDiT and its frame codec (the VAE decoder and encoder, or the weightless
 * pixel codec of a {@code codec = "pixel"} model, which has no VAE files), and the layout planner of a model that reads
 * the actor's box ({@value BoxPlanner#FILE}), all fp32 in one NDManager that is capped once loading is done (nothing
 * computed later can attach to it by mistake).
 *
 * <p>{@link #load} first verifies every file against the manifest's SHA-256 and refuses to load a
 * damaged model ({@link ModelIntegrityException} names the file and the expected and actual checksum).
 */
public final class StoryboardModel implements AutoCloseable {
    public static final String DIT_FILE = "storydit.safetensors";
    public static final String VAE_DECODER_FILE = "vae_decoder.safetensors";
    public static final String VAE_ENCODER_FILE = "vae_encoder.safetensors";

    private final Path directory;
    private final ModelConfig config;
    private final ModelManifest manifest;
    private final String manifestSha256;
    private final NDManager weights;
    private final StoryDiT dit;
    private final FrameCodec codec;
    private final ModelVocabulary vocabulary;
    private final BoxPlanner boxPlanner;          // null unless the model reads the actor's box

    private StoryboardModel(Path directory, ModelConfig config, ModelManifest manifest, String manifestSha256,
                            NDManager weights, StoryDiT dit, FrameCodec codec, ModelVocabulary vocabulary,
                            BoxPlanner boxPlanner) {
        this.directory = directory;
        this.config = config;
        this.manifest = manifest;
        this.manifestSha256 = manifestSha256;
        this.weights = weights;
        this.dit = dit;
        this.codec = codec;
        this.vocabulary = vocabulary;
        this.boxPlanner = boxPlanner;
    }

    /**
     * Verifies and loads the model folder into a new manager from {@code root} (usually the engine's
     * base manager). The returned model owns that manager.
     */
    public static StoryboardModel load(Path dir, NDManager root) throws IOException {
        // every file the config needs is listed and verified (ModelVerifier.requiredFiles), or this throws
        ModelVerifier.Verification verification = new ModelVerifier().verifyOrThrow(dir);
        ModelConfig config = ModelConfig.read(dir);
        ModelVocabulary vocabulary = listed(verification.manifest(), ModelVocabulary.FILE_NAME)
                ? ModelVocabulary.read(dir.resolve(ModelVocabulary.FILE_NAME)) : null;
        NDManager weights = root.newSubManager();
        try {
            StoryDiT dit = new StoryDiT(config.dit(), Weights.read(dir.resolve(DIT_FILE), weights), weights);
            FrameCodec codec = loadCodec(dir, config.codec(), verification.manifest(), weights);
            BoxPlanner planner = config.boxPlanner().isEmpty() ? null
                    : new BoxPlanner(config.boxPlanner().get(), Weights.read(dir.resolve(BoxPlanner.FILE), weights));
            weights.cap();
            return new StoryboardModel(dir, config, verification.manifest(),
                    ModelVerifier.sha256(dir.resolve(ModelManifest.FILE_NAME)), weights, dit, codec, vocabulary, planner);
        } catch (RuntimeException e) {
            weights.close();
            throw new IOException("cannot load model " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The codec of {@code config.json → codec}; a pixel model reads no VAE files. */
    private static FrameCodec loadCodec(Path dir, FrameCodecConfig cfg, ModelManifest manifest, NDManager weights)
            throws IOException {
        if (cfg instanceof FrameCodecConfig.Pixel pixel) {
            return new PixelFrameCodec(pixel);
        }
        FrameCodecConfig.Vae vae = (FrameCodecConfig.Vae) cfg;
        VaeDecoder decoder = new VaeDecoder(vae.vae(), Weights.read(dir.resolve(VAE_DECODER_FILE), weights));
        Optional<VaeEncoder> encoder = Optional.empty();
        if (listed(manifest, VAE_ENCODER_FILE)) {
            encoder = Optional.of(new VaeEncoder(vae.vae(), Weights.read(dir.resolve(VAE_ENCODER_FILE), weights)));
        }
        return new VaeFrameCodec(vae, decoder, encoder);
    }

    private static boolean listed(ModelManifest manifest, String file) {
        return manifest.files().stream().anyMatch(f -> f.path().equals(file));
    }

    public Path directory() {
        return directory;
    }

    public ModelConfig config() {
        return config;
    }

    public ModelManifest manifest() {
        return manifest;
    }

    /** The storyworld vocabulary the model was trained on; empty for a model folder that ships none. */
    public Optional<ModelVocabulary> vocabulary() {
        return Optional.ofNullable(vocabulary);
    }

    /** SHA-256 of manifest.json, which pins every file's checksum: the model's identity for caches. */
    public String identity() {
        return manifestSha256;
    }

    public StoryDiT dit() {
        return dit;
    }

    /** Frames ↔ latents: the VAE, or the pixel codec. */
    public FrameCodec codec() {
        return codec;
    }

    /** The layout planner of a model that reads the actor's box ({@code dit.actor_box_cond}); empty otherwise. */
    public Optional<BoxPlanner> boxPlanner() {
        return Optional.ofNullable(boxPlanner);
    }

    /** The (capped) manager holding every weight. */
    public NDManager weightsManager() {
        return weights;
    }

    @Override
    public void close() {
        weights.close();
    }
}
