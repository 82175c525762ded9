package dev.storyboard.inference.dit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.storyboard.inference.config.StoryDiTConfig;
import dev.storyboard.inference.testing.FixtureSet;
import dev.storyboard.inference.testing.Fixtures;
import dev.storyboard.inference.testing.TinyModelExtension;
import dev.storyboard.inference.weights.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The previous frame as an input ({@code prev_frame_cond}: the conv encoder's prev_frame conv at level 0) on the model
 * of training/fixtures/tiny-prev against the Python reference: the DiT cases of the pixel model ({@link
 * PixelDiTParityCases}) with the layout planner's boxes, the forwards that continue a shot (the extension's full and
 * cached forwards, a CFG step on a continuation chunk) given the shot's frame before their chunk; and what the frame
 * does: it changes the output, and zeros are exactly none.
 */
class PrevFrameParityTest extends PixelDiTParityCases {
    private static final FixtureSet PREV = Fixtures.TINY_PREV;

    @RegisterExtension
    static final TinyModelExtension MODEL = new TinyModelExtension(PREV);

    @Override
    TinyModelExtension model() {
        return MODEL;
    }

    @Override
    String label() {
        return "prev";
    }

    @Test
    void theFixtureModelReadsThePreviousFrameAndTheBox() {
        StoryDiTConfig c = MODEL.model().config().dit();
        assertThat(c.prevFrameCond()).isTrue();
        assertThat(c.actorBoxCond()).isTrue();
        assertThat(MODEL.model().dit().convEncoder().readsPrevFrame()).isTrue();
        assertThat(MODEL.model().dit().convEncoder().readsActorBox()).isTrue();
        assertThat(PREV.tensors("dit_chunk_extension").contains("prev_frame")).isTrue();
        assertThat(PREV.tensors("sampler_euler_cfg").contains("prev_frame")).isTrue();
    }

    @Test
    void thePreviousFrameChangesTheOutputAndZerosAreNone() {
        String name = "dit_chunk_extension";
        JsonNode info = PREV.caseInfo(name);
        SafeTensors st = PREV.tensors(name);
        try (NDManager scope = MODEL.root().newSubManager()) {
            SegmentConditions boxed = SegmentConditions.NONE.withShotLabels(labels(st, "shot_labels"))
                    .withActorBox(st.ndarray(scope, "actor_box"));
            NDArray prev = st.ndarray(scope, "prev_frame");
            float[] reading = forward(scope, st, info, boxed.withPrevFrame(prev));
            float[] none = forward(scope, st, info, boxed);
            float[] zeros = forward(scope, st, info, boxed.withPrevFrame(scope.zeros(prev.getShape())));
            double changed = Fixtures.maxAbsDiff(reading, none);
            Fixtures.report("prev: output with the previous frame vs without", changed);
            assertThat(changed).isGreaterThan(1e-2);
            assertThat(zeros).as("a zero previous frame is none, bit for bit").containsExactly(none);
        }
    }

    @Test
    void aPreviousFrameOfTheWrongShapeIsRefusedNamingTheExpectedShape() {
        String name = "dit_chunk_extension";
        JsonNode info = PREV.caseInfo(name);
        SafeTensors st = PREV.tensors(name);
        try (NDManager scope = MODEL.root().newSubManager()) {
            NDArray oneFrameShort = st.ndarray(scope, "prev_frame").get(":, 1:");
            assertThatThrownBy(() -> forward(scope, st, info, SegmentConditions.NONE.withPrevFrame(oneFrameShort)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("previous frame (2, 7, 3, 32, 32) expected (2, 8, 3, 32, 32)");
        }
    }

    private static float[] forward(NDManager scope, SafeTensors st, JsonNode info, SegmentConditions conditions) {
        return MODEL.model().dit().forward(scope, st.ndarray(scope, "latents"), st.ndarray(scope, "text"),
                Fixtures.matrix(st, "t"), Fixtures.layout(info.path("layout_full")), AttentionMask.CHUNK_CAUSAL, null,
                false, conditions).velocity().toFloatArray();
    }
}
