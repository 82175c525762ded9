package dev.storyboard.inference.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storyboard.inference.config.BoxPlannerConfig;
import dev.storyboard.inference.engine.TorchRuntime;
import dev.storyboard.inference.testing.FixtureSet;
import dev.storyboard.inference.testing.Fixtures;
import dev.storyboard.inference.testing.TinyModelExtension;
import dev.storyboard.inference.weights.SafeTensors;
import dev.storyboard.inference.weights.Weights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The acting planner against the Python reference (training/fixtures/tiny-action, case {@code planner}): pooled prompt
 * → the action head's logits → the named action; labels, phase and the named action → boxes; the same rows told
 * another action → other boxes ({@link BoxPlanner#plan(NDManager, float[], int, int, int, float[])}).
 */
class ActionPlannerParityTest {
    private static final FixtureSet ACTION = Fixtures.TINY_ACTION;
    private static final double TOL = 1e-5;

    @RegisterExtension
    static final TinyModelExtension PAINT = new TinyModelExtension(Fixtures.TINY_PAINT);

    /** The fixture's planner, its config read from the file's metadata as box_planner.load_planner reads it. */
    private static BoxPlanner planner(NDManager manager) throws IOException {
        Path file = ACTION.dir().resolve("planner").resolve(BoxPlanner.FILE);
        String config = SafeTensors.read(file).metadata().get("box_planner_config");
        return new BoxPlanner(BoxPlannerConfig.fromJson(new ObjectMapper().readTree(config)), Weights.read(file, manager));
    }

    @Test
    void actionLogitsNamedActionsAndBoxesMatchReference() throws IOException {
        SafeTensors st = ACTION.tensors("planner");
        try (NDManager root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager()) {
            BoxPlanner planner = planner(root);
            BoxPlannerConfig c = planner.config();
            assertThat(c.actions()).containsExactly("moves_left", "spins", "falls", "grows");
            assertThat(c.plansAction()).isTrue();
            assertThat(c.inputWidth()).isEqualTo(c.textDim() + 3 * c.labelDim() + 2 * c.phaseFreqs());
            int d = c.textDim();
            int actions = c.actions().size();
            float[] pooled = st.floats("pooled");
            long[] camera = st.longs("camera");
            long[] shotSize = st.longs("shot_size");
            long[] frame = st.longs("frame");
            long[] frames = st.longs("frames");
            long[] toldAction = st.longs("told_action");
            int rows = camera.length;
            float[] logits = new float[rows * actions];
            long[] named = new long[rows];
            float[] boxes = new float[rows * BoxPlanner.BOX];
            float[] toldBoxes = new float[rows * BoxPlanner.BOX];
            try (NDManager scope = root.newSubManager()) {
                for (int i = 0; i < rows; i++) {
                    float[] p = Arrays.copyOfRange(pooled, i * d, (i + 1) * d);
                    float[] phase = {BoxPlanner.phase((int) frame[i], (int) frames[i])};
                    System.arraycopy(planner.actionLogits(scope, p), 0, logits, i * actions, actions);
                    named[i] = planner.nameAction(scope, p);
                    System.arraycopy(planner.plan(scope, p, (int) camera[i], (int) shotSize[i], phase), 0, boxes,
                            i * BoxPlanner.BOX, BoxPlanner.BOX);
                    System.arraycopy(planner.plan(scope, p, (int) camera[i], (int) shotSize[i], (int) toldAction[i],
                            phase), 0, toldBoxes, i * BoxPlanner.BOX, BoxPlanner.BOX);
                }
                assertThat(scope.getManagedArrays()).as("the planner's arrays die with its own sub-manager").isEmpty();
            }
            double errLogits = Fixtures.maxAbsDiff(logits, st.floats("action_logits"));
            double errBoxes = Fixtures.maxAbsDiff(boxes, st.floats("boxes"));
            double errTold = Fixtures.maxAbsDiff(toldBoxes, st.floats("told_boxes"));
            Fixtures.report("acting planner action logits", errLogits);
            Fixtures.report("acting planner boxes (the named action)", errBoxes);
            Fixtures.report("acting planner boxes (told another action)", errTold);
            assertThat(errLogits).isLessThanOrEqualTo(TOL);
            assertThat(named).as("the named action of every row").containsExactly(st.longs("action"));
            Set<Long> distinct = new HashSet<>();
            for (long a : named) {
                distinct.add(a);
            }
            assertThat(distinct).as("the rows name every action").hasSize(actions);
            assertThat(errBoxes).isLessThanOrEqualTo(TOL);
            assertThat(errTold).isLessThanOrEqualTo(TOL);
            assertThat(Fixtures.maxAbsDiff(boxes, toldBoxes)).as("the told action moves the boxes").isGreaterThan(1e-3);
        }
    }

    @Test
    void anActionOutsideThePlannerOrOneGivenToAPlannerWithoutActionsIsRefused() throws IOException {
        try (NDManager root = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager()) {
            BoxPlanner acting = planner(root);
            float[] prompt = new float[acting.config().textDim()];
            float[] phase = {0.5f};
            assertThatThrownBy(() -> acting.plan(root, prompt, 1, 1, 4, phase))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("action label 4 is outside");
            BoxPlanner painting = PAINT.model().boxPlanner().orElseThrow();
            assertThat(painting.config().plansAction()).as("a planner from before the named action").isFalse();
            assertThat(painting.config().inputWidth()).isEqualTo(painting.config().textDim()
                    + 2 * painting.config().labelDim() + 2 * painting.config().phaseFreqs());
            assertThatThrownBy(() -> painting.plan(root, prompt, 1, 1, 0, phase))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("action 0 given");
            assertThatThrownBy(() -> painting.actionLogits(root, prompt))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("names no action");
            assertThat(painting.plan(root, prompt, 1, 1, -1, phase)).containsExactly(painting.plan(root, prompt, 1, 1,
                    phase));
        }
    }
}
