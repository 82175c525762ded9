package dev.storyboard.inference.dit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.storyboard.inference.codec.FrameCodec;
import dev.storyboard.inference.codec.PixelFrameCodec;
import dev.storyboard.inference.config.FrameCodecConfig;
import dev.storyboard.inference.config.StoryDiTConfig;
import dev.storyboard.inference.testing.FixtureSet;
import dev.storyboard.inference.testing.Fixtures;
import dev.storyboard.inference.testing.TinyModelExtension;
import dev.storyboard.inference.weights.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pixel-space model of training/fixtures/tiny-pixel against the Python reference: the pixel codec,
 * x-prediction (the head's x̂ turned into v) and shot labels in the adaLN condition, on full forwards, a cached
 * chunk extension and one CFG sampler step whose unconditional row drops the target's caption and labels (the
 * DiT cases are {@link PixelDiTParityCases}).
 */
class PixelModelParityTest extends PixelDiTParityCases {
    private static final FixtureSet PIXEL = Fixtures.TINY_PIXEL;

    @RegisterExtension
    static final TinyModelExtension MODEL = new TinyModelExtension(PIXEL);

    @Override
    TinyModelExtension model() {
        return MODEL;
    }

    @Override
    String label() {
        return "pixel";
    }

    @Test
    void theFixtureModelIsAPixelXPredictionShotLabelModel() {
        StoryDiTConfig c = MODEL.model().config().dit();
        assertThat(MODEL.model().config().codec()).isEqualTo(new FrameCodecConfig.Pixel(32));
        assertThat(MODEL.model().config().vae()).isEmpty();
        assertThat(MODEL.model().codec()).isInstanceOf(PixelFrameCodec.class);
        assertThat(c.prediction()).isEqualTo(StoryDiTConfig.Prediction.X);
        assertThat(c.shotCond()).isTrue();
        assertThat(c.cameras()).isEqualTo(StoryDiTConfig.DEFAULT_CAMERAS);
        assertThat(c.shotSizes()).isEqualTo(StoryDiTConfig.DEFAULT_SHOT_SIZES);
    }

    @Test
    void codecMatchesReference() {
        SafeTensors st = PIXEL.tensors("codec");
        FrameCodec codec = MODEL.model().codec();
        try (NDManager scope = MODEL.root().newSubManager()) {
            double errDecode = Fixtures.maxAbsDiff(codec.decode(st.ndarray(scope, "z")).toFloatArray(), st.floats("image"));
            double errEncode = Fixtures.maxAbsDiff(codec.encode(st.ndarray(scope, "image_in")).toFloatArray(), st.floats("z_enc"));
            Fixtures.report("pixel codec image", errDecode);
            Fixtures.report("pixel codec z_enc", errEncode);
            assertThat(errDecode).isLessThanOrEqualTo(PIXEL.atol());
            assertThat(errEncode).isLessThanOrEqualTo(PIXEL.atol());
            assertThat(codec.decodeFrames(scope, st.ndarray(scope, "z"))).hasSize(2);
        }
    }

    @Test
    void badShotLabelsAreNamed() {
        SafeTensors st = PIXEL.tensors("dit_full_scene_full");
        JsonNode info = PIXEL.caseInfo("dit_full_scene_full");
        StoryDiT dit = MODEL.model().dit();
        try (NDManager scope = MODEL.root().newSubManager()) {
            ShotLabel[][] outside = labels(st, "shot_labels");
            outside[0][1] = new ShotLabel(MODEL.model().config().dit().cameraLabels(), 0);
            assertThatThrownBy(() -> dit.forward(scope, st.ndarray(scope, "latents"), st.ndarray(scope, "text"),
                    Fixtures.matrix(st, "t"), Fixtures.layout(info.path("layout")), AttentionMask.SCENE_FULL, null, false,
                    SegmentConditions.NONE.withShotLabels(outside)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the model's tables");
            ShotLabel[][] tooFew = {{ShotLabel.NULL}, {ShotLabel.NULL}};
            assertThatThrownBy(() -> dit.forward(scope, st.ndarray(scope, "latents"), st.ndarray(scope, "text"),
                    Fixtures.matrix(st, "t"), Fixtures.layout(info.path("layout")), AttentionMask.SCENE_FULL, null, false,
                    SegmentConditions.NONE.withShotLabels(tooFew)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one per segment");
        }
        assertThatThrownBy(() -> new ShotLabel(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
