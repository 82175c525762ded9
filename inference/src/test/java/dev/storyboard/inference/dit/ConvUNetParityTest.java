package dev.storyboard.inference.dit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.inference.config.StoryDiTConfig;
import dev.storyboard.inference.testing.FixtureSet;
import dev.storyboard.inference.testing.Fixtures;
import dev.storyboard.inference.testing.TinyModelExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The U-Net around the DiT ({@link ConvEncoder} before the blocks, {@link ConvDecoder} beside the head) on the
 * model of training/fixtures/tiny-unet against the Python reference: the DiT cases of the pixel model
 * ({@link PixelDiTParityCases}: full forwards, a cached chunk extension, one CFG step) with both conv parts.
 */
class ConvUNetParityTest extends PixelDiTParityCases {
    private static final FixtureSet UNET = Fixtures.TINY_UNET;

    @RegisterExtension
    static final TinyModelExtension MODEL = new TinyModelExtension(UNET);

    @Override
    FixtureSet fixtures() {
        return UNET;
    }

    @Override
    TinyModelExtension model() {
        return MODEL;
    }

    @Override
    String label() {
        return "unet";
    }

    @Test
    void theFixtureModelRunsTheConvEncoderAndDecoder() {
        StoryDiTConfig c = MODEL.model().config().dit();
        assertThat(c.prediction()).isEqualTo(StoryDiTConfig.Prediction.X);
        assertThat(c.convDecoderWidth()).isEqualTo(4);
        assertThat(c.convEncoder()).isTrue();
        assertThat(c.convLevels()).isEqualTo(3);                 // patch 8
        assertThat(MODEL.model().dit().convEncoder()).isNotNull();
        assertThat(MODEL.model().dit().convDecoder()).isNotNull();
    }
}
