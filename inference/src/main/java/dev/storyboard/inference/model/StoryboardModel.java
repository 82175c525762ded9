package dev.storyboard.inference.model;

import ai.djl.ndarray.NDManager;
import dev.storyboard.inference.dit.StoryDiT;
import dev.storyboard.inference.vae.VaeDecoder;
import dev.storyboard.inference.vae.VaeEncoder;
import dev.storyboard.inference.weights.Weights;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A loaded model folder: config, StoryDiT, VAE decoder and encoder, all fp32 in one NDManager that is
 * capped once loading is done (nothing computed later can attach to it by mistake).
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
    private final VaeDecoder decoder;
    private final VaeEncoder encoder;

    private StoryboardModel(Path directory, ModelConfig config, ModelManifest manifest, String manifestSha256,
                            NDManager weights, StoryDiT dit, VaeDecoder decoder, VaeEncoder encoder) {
        this.directory = directory;
        this.config = config;
        this.manifest = manifest;
        this.manifestSha256 = manifestSha256;
        this.weights = weights;
        this.dit = dit;
        this.decoder = decoder;
        this.encoder = encoder;
    }

    /**
     * Verifies and loads the model folder into a new manager from {@code root} (usually the engine's
     * base manager). The returned model owns that manager.
     */
    public static StoryboardModel load(Path dir, NDManager root) throws IOException {
        ModelVerifier.Verification verification = new ModelVerifier().verifyOrThrow(dir);
        ModelConfig config = ModelConfig.read(dir);
        NDManager weights = root.newSubManager();
        try {
            StoryDiT dit = new StoryDiT(config.dit(), Weights.read(dir.resolve(DIT_FILE), weights), weights);
            VaeDecoder decoder = new VaeDecoder(config.vae(), Weights.read(dir.resolve(VAE_DECODER_FILE), weights));
            VaeEncoder encoder = null;
            if (verification.manifest().files().stream().anyMatch(f -> f.path().equals(VAE_ENCODER_FILE))) {
                encoder = new VaeEncoder(config.vae(), Weights.read(dir.resolve(VAE_ENCODER_FILE), weights));
            }
            weights.cap();
            return new StoryboardModel(dir, config, verification.manifest(),
                    ModelVerifier.sha256(dir.resolve(ModelManifest.FILE_NAME)), weights, dit, decoder, encoder);
        } catch (RuntimeException e) {
            weights.close();
            throw new IOException("cannot load model " + dir + ": " + e.getMessage(), e);
        }
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

    /** SHA-256 of manifest.json, which pins every file's checksum: the model's identity for caches. */
    public String identity() {
        return manifestSha256;
    }

    public StoryDiT dit() {
        return dit;
    }

    public VaeDecoder decoder() {
        return decoder;
    }

    /** The encoder, or null when the folder has none. */
    public VaeEncoder encoder() {
        return encoder;
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
