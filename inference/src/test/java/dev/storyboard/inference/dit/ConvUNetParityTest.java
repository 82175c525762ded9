package dev.storyboard.inference.dit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.storyboard.inference.config.StoryDiTConfig;
import dev.storyboard.inference.testing.FixtureSet;
import dev.storyboard.inference.testing.Fixtures;
import dev.storyboard.inference.testing.TinyModelExtension;
import dev.storyboard.inference.weights.SafeTensors;
import java.util.List;
import java.util.Map;
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
        assertThat(MODEL.model().dit().convEncoder().readsActorBox()).isFalse();
        assertThat(MODEL.model().dit().convEncoder().readsPrevFrame()).isFalse();
    }

    @Test
    void aBoxOrAPreviousFrameGivenToAModelWithoutThatInputIsRefused() {
        String name = "dit_full_chunk_causal";
        JsonNode info = UNET.caseInfo(name);
        SafeTensors st = UNET.tensors(name);
        try (NDManager scope = MODEL.root().newSubManager()) {
            NDArray latents = st.ndarray(scope, "latents");
            Shape s = latents.getShape();
            NDArray box = scope.ones(new Shape(s.get(0), s.get(1), 1, s.get(3), s.get(4)));
            NDArray prev = scope.zeros(s);
            for (Map.Entry<SegmentConditions, String> refused : List.of(
                    Map.entry(SegmentConditions.NONE.withActorBox(box), "without actor_box_cond"),
                    Map.entry(SegmentConditions.NONE.withPrevFrame(prev), "without prev_frame_cond"))) {
                assertThatThrownBy(() -> MODEL.model().dit().forward(scope, latents, st.ndarray(scope, "text"),
                        Fixtures.matrix(st, "t"), Fixtures.layout(info.path("layout")), AttentionMask.CHUNK_CAUSAL, null,
                        false, refused.getKey()))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(refused.getValue());
            }
        }
    }
}
