package dev.storyboard.inference.dit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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
 * The painted silhouette as the actor's box input ({@code actor_layout = "painted"}: 4 channels into the conv encoder's
 * box conv) on the model of training/fixtures/tiny-paint against the Python reference: the DiT cases of the pixel model
 * the set holds ({@link PixelDiTParityCases}: the chunk extension, whose full forward stands for the full-forward
 * cases, and the CFG step), every forward given the planner's painted silhouettes of its frames; and that every plane
 * is read as what it is: the silhouette alone, or its colour planes in another order, give another output, and a
 * one-channel box is refused.
 */
class PaintedParityTest extends PixelDiTParityCases {
    private static final FixtureSet PAINT = Fixtures.TINY_PAINT;

    @RegisterExtension
    static final TinyModelExtension MODEL = new TinyModelExtension(PAINT);

    @Override
    TinyModelExtension model() {
        return MODEL;
    }

    @Override
    String label() {
        return "painted";
    }

    @Override
    boolean holdsFullForwards() {
        return false;
    }

    @Test
    void theFixtureModelReadsThePaintedSilhouette() {
        StoryDiTConfig c = MODEL.model().config().dit();
        assertThat(c.actorBoxCond()).isTrue();
        assertThat(c.actorLayout()).isEqualTo(StoryDiTConfig.ActorLayout.PAINTED);
        assertThat(c.actorLayout().channels()).isEqualTo(4);
        assertThat(MODEL.model().dit().convEncoder().readsActorBox()).isTrue();
        assertThat(MODEL.model().boxPlanner().orElseThrow().config().plansColour()).isTrue();
        SafeTensors st = PAINT.tensors("dit_chunk_extension");
        assertThat(st.info("actor_box").shape()).containsExactly(2, 8, 4, c.latentH(), c.latentW());
        float[] box = st.floats("actor_box");
        int plane = c.latentH() * c.latentW();
        int soft = 0;
        for (int f = 0; f < box.length / (4 * plane); f++) {
            for (int p = 0; p < plane; p++) {
                float s = box[f * 4 * plane + p];
                assertThat(s).isBetween(0f, 1f);
                soft += s > 0f && s < 1f ? 1 : 0;
                for (int k = 1; k < 4; k++) {
                    assertThat(box[(f * 4 + k) * plane + p]).as("a colour plane is the silhouette times a share")
                            .isBetween(0f, s);
                }
            }
        }
        assertThat(soft).as("soft silhouettes, not 0/1 boxes").isGreaterThan(100);
    }

    @Test
    void everyPlaneIsReadWhereItIs() {
        String name = "dit_chunk_extension";
        JsonNode info = PAINT.caseInfo(name);
        SafeTensors st = PAINT.tensors(name);
        try (NDManager scope = MODEL.root().newSubManager()) {
            SegmentConditions labels = SegmentConditions.NONE.withShotLabels(labels(st, "shot_labels"));
            NDArray painted = st.ndarray(scope, "actor_box");                                  // (B, F, 4, H, W)
            NDArray silhouette = painted.get(new NDIndex(":, :, 0:1"));
            Shape p = painted.getShape();
            NDArray unpainted = silhouette.concat(scope.zeros(new Shape(p.get(0), p.get(1), 3, p.get(3), p.get(4))), 2);
            NDArray bgr = painted.get(new NDIndex(":, :, 0:1")).concat(painted.get(new NDIndex(":, :, 3:4")), 2)
                    .concat(painted.get(new NDIndex(":, :, 2:3")), 2).concat(painted.get(new NDIndex(":, :, 1:2")), 2);
            float[] drawn = forward(scope, st, info, labels.withActorBox(painted));
            double vsUnpainted = Fixtures.maxAbsDiff(drawn, forward(scope, st, info, labels.withActorBox(unpainted)));
            double vsBgr = Fixtures.maxAbsDiff(drawn, forward(scope, st, info, labels.withActorBox(bgr)));
            Fixtures.report("painted: output vs its silhouette alone", vsUnpainted);
            Fixtures.report("painted: output vs its colour planes reversed", vsBgr);
            assertThat(vsUnpainted).isGreaterThan(1e-3);
            assertThat(vsBgr).isGreaterThan(1e-3);
            assertThat(Fixtures.maxAbsDiff(drawn, st.floats("v_full"))).isLessThanOrEqualTo(PAINT.atol());
            assertThatThrownBy(() -> forward(scope, st, info, labels.withActorBox(silhouette)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("actor box (2, 8, 1, 32, 32) expected (2, 8, 4, 32, 32)");
        }
    }

    private static float[] forward(NDManager scope, SafeTensors st, JsonNode info, SegmentConditions conditions) {
        return MODEL.model().dit().forward(scope, st.ndarray(scope, "latents"), st.ndarray(scope, "text"),
                Fixtures.matrix(st, "t"), Fixtures.layout(info.path("layout_full")), AttentionMask.CHUNK_CAUSAL, null,
                false, conditions).velocity().toFloatArray();
    }
}
