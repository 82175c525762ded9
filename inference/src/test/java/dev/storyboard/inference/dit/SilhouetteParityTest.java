package dev.storyboard.inference.dit;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The planned silhouette as the actor's box input ({@code actor_layout = "silhouette"}: the same conv encoder input,
 * a soft mask) on the model of training/fixtures/tiny-sil against the Python reference: the DiT cases of the pixel
 * model ({@link PixelDiTParityCases}), every forward given the planner's silhouettes of its frames; and that the
 * silhouette is read as what it is: the 0/1 box of the same frames gives another output.
 */
class SilhouetteParityTest extends PixelDiTParityCases {
    private static final FixtureSet SIL = Fixtures.TINY_SIL;

    @RegisterExtension
    static final TinyModelExtension MODEL = new TinyModelExtension(SIL);

    @Override
    TinyModelExtension model() {
        return MODEL;
    }

    @Override
    String label() {
        return "silhouette";
    }

    @Test
    void theFixtureModelReadsThePlannedSilhouette() {
        StoryDiTConfig c = MODEL.model().config().dit();
        assertThat(c.actorBoxCond()).isTrue();
        assertThat(c.actorLayout()).isEqualTo(StoryDiTConfig.ActorLayout.SILHOUETTE);
        assertThat(MODEL.model().dit().convEncoder().readsActorBox()).isTrue();
        assertThat(MODEL.model().boxPlanner().orElseThrow().config().plansSilhouette()).isTrue();
        float[] box = SIL.tensors("dit_full_chunk_causal").floats("actor_box");
        int soft = 0;
        for (float v : box) {
            assertThat(v).isBetween(0f, 1f);
            soft += v > 0f && v < 1f ? 1 : 0;
        }
        assertThat(soft).as("soft masks, not 0/1 boxes").isGreaterThan(100);
    }

    @Test
    void theSilhouetteIsReadWhereItIsNotOnlyWhetherThereIsOne() {
        String name = "dit_full_chunk_causal";
        JsonNode info = SIL.caseInfo(name);
        SafeTensors st = SIL.tensors(name);
        try (NDManager scope = MODEL.root().newSubManager()) {
            SegmentConditions labels = SegmentConditions.NONE.withShotLabels(labels(st, "shot_labels"));
            NDArray sil = st.ndarray(scope, "actor_box");
            float[] drawn = forward(scope, st, info, labels.withActorBox(sil));
            float[] solid = forward(scope, st, info, labels.withActorBox(sil.gt(0f).toType(sil.getDataType(), false)));
            float[] mirrored = forward(scope, st, info, labels.withActorBox(sil.flip(4)));
            double vsSolid = Fixtures.maxAbsDiff(drawn, solid);
            Fixtures.report("silhouette: output vs its 0/1 support", vsSolid);
            assertThat(vsSolid).isGreaterThan(1e-3);
            assertThat(Fixtures.maxAbsDiff(drawn, mirrored)).isGreaterThan(1e-3);
            assertThat(Fixtures.maxAbsDiff(drawn, st.floats("v"))).isLessThanOrEqualTo(SIL.atol());
        }
    }

    private static float[] forward(NDManager scope, SafeTensors st, JsonNode info, SegmentConditions conditions) {
        return MODEL.model().dit().forward(scope, st.ndarray(scope, "latents"), st.ndarray(scope, "text"),
                Fixtures.matrix(st, "t"), Fixtures.layout(info.path("layout")), AttentionMask.CHUNK_CAUSAL, null, false,
                conditions).velocity().toFloatArray();
    }
}
