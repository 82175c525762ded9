package dev.storyboard.inference.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.storyboard.inference.config.BoxPlannerConfig;
import dev.storyboard.inference.dit.CaptionCondition;
import dev.storyboard.inference.testing.FixtureSet;
import dev.storyboard.inference.testing.Fixtures;
import dev.storyboard.inference.testing.TinyModelExtension;
import dev.storyboard.inference.weights.SafeTensors;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The layout planner and the boxes-to-masks rule against the Python reference (training/fixtures/tiny-box, case
 * {@code planner}): caption rows → pooled prompt → boxes per (camera, shot size, phase) → masks on the latent grid.
 */
class BoxPlannerParityTest {
    private static final FixtureSet BOX = Fixtures.TINY_BOX;

    @RegisterExtension
    static final TinyModelExtension MODEL = new TinyModelExtension(BOX);

    @Test
    void thePlannersConfigComesFromTheModelFolder() {
        BoxPlannerConfig c = MODEL.model().boxPlanner().orElseThrow().config();
        assertThat(c.hidden()).isEqualTo(16);
        assertThat(c.labelDim()).isEqualTo(4);
        assertThat(c.phaseFreqs()).isEqualTo(3);
        assertThat(c.inputWidth()).isEqualTo(384 + 2 * 4 + 2 * 3);
        assertThat(c.cameras()).isEqualTo(MODEL.model().config().dit().cameras());
    }

    @Test
    void boxesAndMasksMatchReference() {
        SafeTensors st = BOX.tensors("planner");
        BoxPlanner planner = MODEL.model().boxPlanner().orElseThrow();
        int dim = planner.config().textDim();
        int h = MODEL.model().config().dit().latentH();
        int w = MODEL.model().config().dit().latentW();
        float[] text = st.floats("text");
        long[] camera = st.longs("camera");
        long[] shotSize = st.longs("shot_size");
        long[] frame = st.longs("frame");
        long[] frames = st.longs("frames");
        int rows = camera.length;
        int rowText = text.length / rows;
        float[] pooled = new float[rows * dim];
        float[] phases = new float[rows];
        float[] boxes = new float[rows * BoxPlanner.BOX];
        try (NDManager scope = MODEL.root().newSubManager()) {
            for (int i = 0; i < rows; i++) {
                float[] p = CaptionCondition.pool(Arrays.copyOfRange(text, i * rowText, (i + 1) * rowText), dim);
                System.arraycopy(p, 0, pooled, i * dim, dim);
                phases[i] = BoxPlanner.phase((int) frame[i], (int) frames[i]);
                float[] box = planner.plan(scope, p, (int) camera[i], (int) shotSize[i], new float[] {phases[i]});
                System.arraycopy(box, 0, boxes, i * BoxPlanner.BOX, BoxPlanner.BOX);
            }
            assertThat(scope.getManagedArrays()).as("the planner's arrays die with its own sub-manager").isEmpty();
        }
        assertThat(phases).containsExactly(st.floats("phase"));
        double errPooled = Fixtures.maxAbsDiff(pooled, st.floats("pooled"));
        double errBoxes = Fixtures.maxAbsDiff(boxes, st.floats("boxes"));
        double errMasks = Fixtures.maxAbsDiff(BoxMasks.masks(boxes, h, w), st.floats("masks"));
        Fixtures.report("planner pooled prompt", errPooled);
        Fixtures.report("planner boxes", errBoxes);
        Fixtures.report("planner masks (from the engine's boxes)", errMasks);
        assertThat(errPooled).isLessThanOrEqualTo(BOX.atol());
        assertThat(errBoxes).isLessThanOrEqualTo(1e-5);
        assertThat(errMasks).isZero();
        assertThat(BoxMasks.masks(st.floats("boxes"), h, w)).containsExactly(st.floats("masks"));
        assertThat(BoxMasks.masks(st.floats("rule_boxes"), h, w)).as("integer edges, zero width, NaN, the whole frame")
                .containsExactly(st.floats("rule_masks"));
    }

    @Test
    void onePlanOfManyFramesIsThePlansOfEachFrame() {
        BoxPlanner planner = MODEL.model().boxPlanner().orElseThrow();
        float[] pooled = CaptionCondition.pool(new float[] {0.5f, -1f, 2f}, 3);
        float[] prompt = Arrays.copyOf(pooled, planner.config().textDim());
        float[] phases = {BoxPlanner.phase(0, 4), BoxPlanner.phase(1, 4), BoxPlanner.phase(3, 4)};
        try (NDManager scope = MODEL.root().newSubManager()) {
            float[] all = planner.plan(scope, prompt, 3, 2, phases);
            for (int i = 0; i < phases.length; i++) {
                float[] one = planner.plan(scope, prompt, 3, 2, new float[] {phases[i]});
                assertThat(Fixtures.maxAbsDiff(one, Arrays.copyOfRange(all, 4 * i, 4 * i + 4))).isLessThan(1e-6);
            }
            assertThat(Fixtures.maxAbsDiff(Arrays.copyOfRange(all, 0, 4), Arrays.copyOfRange(all, 8, 12)))
                    .as("the phase moves the box").isGreaterThan(1e-4);
        }
    }

    @Test
    void inputsThatDoNotFitThePlannerAreRefusedByName() {
        BoxPlanner planner = MODEL.model().boxPlanner().orElseThrow();
        float[] prompt = new float[planner.config().textDim()];
        try (NDManager scope = MODEL.root().newSubManager()) {
            assertThatThrownBy(() -> planner.plan(scope, new float[3], 0, 0, new float[] {0f}))
                    .hasMessageContaining("384-wide pooled prompt, got 3");
            assertThatThrownBy(() -> planner.plan(scope, prompt, 6, 0, new float[] {0f}))
                    .hasMessageContaining("camera label 6 is outside the planner's 0..5");
            assertThatThrownBy(() -> planner.plan(scope, prompt, 0, -1, new float[] {0f}))
                    .hasMessageContaining("shot-size label -1");
        }
        assertThatThrownBy(() -> BoxPlanner.phase(4, 4)).hasMessageContaining("frame 4 is not a frame of a shot of 4");
    }
}
