package dev.storyboard.inference.codec;

import ai.djl.ndarray.NDArray;
import dev.storyboard.inference.config.FrameCodecConfig;
import dev.storyboard.inference.vae.VaeDecoder;
import dev.storyboard.inference.vae.VaeEncoder;
import java.util.Optional;

/** The frame VAE as a codec: {@link VaeDecoder} and, when the model folder has one, {@link VaeEncoder}. */
public final class VaeFrameCodec implements FrameCodec {
    private final FrameCodecConfig.Vae cfg;
    private final VaeDecoder decoder;
    private final Optional<VaeEncoder> encoder;

    public VaeFrameCodec(FrameCodecConfig.Vae cfg, VaeDecoder decoder, Optional<VaeEncoder> encoder) {
        this.cfg = cfg;
        this.decoder = decoder;
        this.encoder = encoder;
    }

    @Override
    public FrameCodecConfig.Vae config() {
        return cfg;
    }

    public VaeDecoder decoder() {
        return decoder;
    }

    public Optional<VaeEncoder> encoder() {
        return encoder;
    }

    @Override
    public NDArray decode(NDArray z) {
        return decoder.decode(z);
    }

    @Override
    public boolean canEncode() {
        return encoder.isPresent();
    }

    @Override
    public NDArray encode(NDArray images) {
        return encoder.orElseThrow(() -> new UnsupportedOperationException("this model folder has no VAE encoder"))
                .encode(images);
    }
}
