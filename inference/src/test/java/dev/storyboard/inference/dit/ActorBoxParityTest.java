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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The actor's box as an input ({@code actor_box_cond}: the conv encoder's box conv at level 0) on the model of
 * training/fixtures/tiny-box against the Python reference: the DiT cases of the pixel model ({@link
 * PixelDiTParityCases}), every forward given the layout planner's masks of its frames; and what the box does: it changes
 * the output, and zeros are exactly no box.
 */
class ActorBoxParityTest extends PixelDiTParityCases {
    private static final FixtureSet BOX = Fixtures.TINY_BOX;

    @RegisterExtension
    static final TinyModelExtension MODEL = new TinyModelExtension(BOX);

    @Override
    TinyModelExtension model() {
        return MODEL;
    }

    @Override
    String label() {
        return "box";
    }

    @Test
    void theFixtureModelReadsTheActorBox() {
        StoryDiTConfig c = MODEL.model().config().dit();
        assertThat(c.actorBoxCond()).isTrue();
        assertThat(c.convEncoder()).isTrue();
        assertThat(MODEL.model().dit().convEncoder().readsActorBox()).isTrue();
        assertThat(MODEL.model().boxPlanner()).isPresent();
    }

    @Test
    void theBoxChangesTheOutputAndAZeroBoxIsNoBox() {
        String name = "dit_full_chunk_causal";
        JsonNode info = BOX.caseInfo(name);
        SafeTensors st = BOX.tensors(name);
        StoryDiT dit = MODEL.model().dit();
        try (NDManager scope = MODEL.root().newSubManager()) {
            SegmentConditions labels = SegmentConditions.NONE.withShotLabels(labels(st, "shot_labels"));
            NDArray box = st.ndarray(scope, "actor_box");
            float[] boxed = forward(scope, st, info, labels.withActorBox(box));
            float[] none = forward(scope, st, info, labels);
            float[] zeros = forward(scope, st, info, labels.withActorBox(scope.zeros(box.getShape())));
            double changed = Fixtures.maxAbsDiff(boxed, none);
            Fixtures.report("box: output with the box vs without", changed);
            assertThat(changed).isGreaterThan(1e-2);
            assertThat(zeros).as("a zero mask is no box, bit for bit").containsExactly(none);
            // another box moves the output too: the mask is read where it is, not only whether it is there
            float[] shifted = forward(scope, st, info, labels.withActorBox(box.get(":, :, :, 1:, :")
                    .concat(scope.zeros(new Shape(2, 8, 1, 1, 32)), 3)));
            assertThat(Fixtures.maxAbsDiff(boxed, shifted)).isGreaterThan(1e-3);
        }
    }

    @Test
    void aBoxOfTheWrongShapeIsRefusedNamingTheExpectedShape() {
        String name = "dit_full_chunk_causal";
        JsonNode info = BOX.caseInfo(name);
        SafeTensors st = BOX.tensors(name);
        try (NDManager scope = MODEL.root().newSubManager()) {
            NDArray oneFrameShort = st.ndarray(scope, "actor_box").get(":, 1:");
            assertThatThrownBy(() -> forward(scope, st, info, SegmentConditions.NONE.withActorBox(oneFrameShort)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("actor box (2, 7, 1, 32, 32) expected (2, 8, 1, 32, 32)");
        }
    }

    private static float[] forward(NDManager scope, SafeTensors st, JsonNode info, SegmentConditions conditions) {
        return MODEL.model().dit().forward(scope, st.ndarray(scope, "latents"), st.ndarray(scope, "text"),
                Fixtures.matrix(st, "t"), Fixtures.layout(info.path("layout")), AttentionMask.CHUNK_CAUSAL, null, false,
                conditions).velocity().toFloatArray();
    }
}
