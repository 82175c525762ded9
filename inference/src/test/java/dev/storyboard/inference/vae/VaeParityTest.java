package dev.storyboard.inference.vae;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.inference.codec.VaeFrameCodec;
import dev.storyboard.inference.config.VaeConfig;
import dev.storyboard.inference.testing.Fixtures;
import dev.storyboard.inference.testing.TinyModelExtension;
import dev.storyboard.inference.weights.SafeTensors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class VaeParityTest {
    @RegisterExtension
    static final TinyModelExtension TINY = new TinyModelExtension();

    @Test
    void decoderMatchesReference() {
        SafeTensors st = Fixtures.tensors("vae");
        try (NDManager scope = TINY.root().newSubManager()) {
            NDArray z = st.ndarray(scope, "z_dit");
            NDArray raw = z.div(vae().scalingFactor()).addi(vae().shiftFactor());
            double errRaw = Fixtures.maxAbsDiff(codec().decoder().decodeRaw(raw).toFloatArray(), st.floats("decoder_out"));
            double errImage = Fixtures.maxAbsDiff(codec().decoder().decode(z).toFloatArray(), st.floats("image"));
            Fixtures.report("vae decoder_out", errRaw);
            Fixtures.report("vae image", errImage);
            assertThat(errRaw).isLessThanOrEqualTo(Fixtures.ATOL);
            assertThat(errImage).isLessThanOrEqualTo(Fixtures.ATOL);
        }
    }

    @Test
    void encoderMatchesReference() {
        SafeTensors st = Fixtures.tensors("vae");
        try (NDManager scope = TINY.root().newSubManager()) {
            NDArray images = st.ndarray(scope, "image_in");
            double errMoments = Fixtures.maxAbsDiff(codec().encoder().orElseThrow().moments(images).toFloatArray(), st.floats("moments"));
            double errZ = Fixtures.maxAbsDiff(codec().encoder().orElseThrow().encode(images).toFloatArray(), st.floats("z_dit_enc"));
            Fixtures.report("vae moments", errMoments);
            Fixtures.report("vae z_dit_enc", errZ);
            assertThat(errMoments).isLessThanOrEqualTo(Fixtures.ATOL);
            assertThat(errZ).isLessThanOrEqualTo(Fixtures.ATOL);
        }
    }

    @Test
    void framesAreArgbWithOpaqueAlpha() {
        SafeTensors st = Fixtures.tensors("vae");
        try (NDManager scope = TINY.root().newSubManager()) {
            List<VideoFrame> frames = TINY.model().codec().decodeFrames(scope, st.ndarray(scope, "z_dit"));
            assertThat(frames).hasSize(2);
            assertThat(frames.get(0).width()).isEqualTo(32);
            float[] image = st.floats("image");
            int plane = 32 * 32;
            int px = frames.get(1).argb()[5];
            assertThat(px >>> 24).isEqualTo(0xff);
            assertThat((px >> 16) & 0xff).isEqualTo(Math.round(image[3 * plane + 5] * 255f));
            assertThat(px & 0xff).isEqualTo(Math.round(image[3 * plane + 2 * plane + 5] * 255f));
        }
    }

    private static VaeFrameCodec codec() {
        return (VaeFrameCodec) TINY.model().codec();
    }

    private static VaeConfig vae() {
        return TINY.model().config().vae().orElseThrow();
    }
}
