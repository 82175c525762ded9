package dev.storyboard.inference.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.storyboard.inference.config.BoxPlannerConfig;
import dev.storyboard.inference.config.StoryDiTConfig;
import dev.storyboard.inference.model.StoryboardModel;
import dev.storyboard.inference.testing.FixtureSet;
import dev.storyboard.inference.testing.Fixtures;
import dev.storyboard.inference.testing.ModelFolder;
import dev.storyboard.inference.testing.TinyModelExtension;
import dev.storyboard.inference.weights.SafeTensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The painting planner and the painting rule against the Python reference (training/fixtures/tiny-paint, case {@code
 * planner}): pooled prompt → the kind and colour heads' logits → the named kind, facing and colour, boxes per (camera,
 * shot size, phase) → the kind's silhouette in each box painted the colour's mean fill on the latent grid ({@link
 * PaintedMasks} of {@link SilhouetteMasks}); the rule on chosen silhouettes and colours; and the kind and colour of
 * scenes made of the case's prompts, by one rule ({@link BoxPlanner#sceneKind}, {@link BoxPlanner#sceneColour}).
 */
class PaintedPlannerParityTest {
    private static final FixtureSet PAINT = Fixtures.TINY_PAINT;
    private static final double MASK_TOL = 1e-5;

    @RegisterExtension
    static final TinyModelExtension MODEL = new TinyModelExtension(PAINT);
    @RegisterExtension
    static final TinyModelExtension SIL = new TinyModelExtension(Fixtures.TINY_SIL);

    private static BoxPlanner planner() {
        return MODEL.model().boxPlanner().orElseThrow();
    }

    /** Row i of the case's pooled prompts (D floats; row 0 the null prompt). */
    private static float[][] pooledRows(SafeTensors st) {
        float[] pooled = st.floats("pooled");
        int dim = planner().config().textDim();
        float[][] rows = new float[pooled.length / dim][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = Arrays.copyOfRange(pooled, i * dim, (i + 1) * dim);
        }
        return rows;
    }

    @Test
    void thePlannersColoursAndPaletteComeFromTheModelFolder() {
        BoxPlannerConfig c = planner().config();
        SafeTensors st = PAINT.tensors("planner");
        assertThat(MODEL.model().config().dit().actorLayout()).isEqualTo(StoryDiTConfig.ActorLayout.PAINTED);
        assertThat(c.layout()).isEqualTo(StoryDiTConfig.ActorLayout.PAINTED);
        assertThat(c.plansSilhouette()).isTrue();
        assertThat(c.plansColour()).isTrue();
        assertThat(c.kinds()).containsExactly("ball", "bird", "fish");
        assertThat(c.colours()).containsExactly("red", "green", "blue", "black");
        assertThat(planner().config().layout().channels()).isEqualTo(4).isEqualTo(PaintedMasks.CHANNELS);
        assertThat(planner().templates()).containsExactly(st.floats("templates"));
        assertThat(planner().palette()).containsExactly(st.floats("palette"));
        assertThat(planner().rgb(3)).containsExactly(Arrays.copyOfRange(st.floats("palette"), 9, 12));
        assertThat(SIL.model().boxPlanner().orElseThrow().palette()).as("a silhouette planner paints nothing").isEmpty();
        assertThat(SIL.model().boxPlanner().orElseThrow().config().layout().channels()).isEqualTo(1);
    }

    @Test
    void kindsColoursBoxesAndPaintedMasksMatchReference() {
        SafeTensors st = PAINT.tensors("planner");
        BoxPlanner planner = planner();
        int kinds = planner.config().kinds().size();
        int colours = planner.config().colours().size();
        int h = MODEL.model().config().dit().latentH();
        int w = MODEL.model().config().dit().latentW();
        int plane = PaintedMasks.CHANNELS * h * w;
        float[][] pooled = pooledRows(st);
        long[] camera = st.longs("camera");
        long[] shotSize = st.longs("shot_size");
        long[] frame = st.longs("frame");
        long[] frames = st.longs("frames");
        int rows = camera.length;
        float[] kindLogits = new float[rows * (kinds + 1)];
        float[] colourLogits = new float[rows * colours];
        float[] boxes = new float[rows * BoxPlanner.BOX];
        float[] masks = new float[rows * plane];
        float[] rgb = new float[rows * PaintedMasks.RGB];
        long[] kind = new long[rows];
        float[] facing = new float[rows];
        long[] colour = new long[rows];
        try (NDManager scope = MODEL.root().newSubManager()) {
            for (int i = 0; i < rows; i++) {
                float[] p = pooled[i];
                System.arraycopy(planner.kindLogits(scope, p), 0, kindLogits, i * (kinds + 1), kinds + 1);
                System.arraycopy(planner.colourLogits(scope, p), 0, colourLogits, i * colours, colours);
                BoxPlanner.NamedKind named = planner.name(scope, p);
                kind[i] = named.kind();
                facing[i] = named.facing();
                colour[i] = planner.nameColour(scope, p);
                System.arraycopy(planner.rgb((int) colour[i]), 0, rgb, i * PaintedMasks.RGB, PaintedMasks.RGB);
                float phase = BoxPlanner.phase((int) frame[i], (int) frames[i]);
                float[] box = planner.plan(scope, p, (int) camera[i], (int) shotSize[i], new float[] {phase});
                System.arraycopy(box, 0, boxes, i * BoxPlanner.BOX, BoxPlanner.BOX);
                System.arraycopy(planner.masks(box, named, (int) colour[i], h, w), 0, masks, i * plane, plane);
            }
            assertThat(scope.getManagedArrays()).as("the planner's arrays die with its own sub-manager").isEmpty();
        }
        double errKind = Fixtures.maxAbsDiff(kindLogits, st.floats("kind_logits"));
        double errColour = Fixtures.maxAbsDiff(colourLogits, st.floats("colour_logits"));
        double errBoxes = Fixtures.maxAbsDiff(boxes, st.floats("boxes"));
        double errMasks = Fixtures.maxAbsDiff(masks, st.floats("masks"));
        float[] referenceBoxes = st.floats("boxes");
        float[] ruleOnReference = new float[rows * plane];
        for (int i = 0; i < rows; i++) {
            float[] one = planner.masks(Arrays.copyOfRange(referenceBoxes, i * BoxPlanner.BOX, (i + 1) * BoxPlanner.BOX),
                    new BoxPlanner.NamedKind((int) kind[i], (int) facing[i]), (int) colour[i], h, w);
            System.arraycopy(one, 0, ruleOnReference, i * plane, plane);
        }
        double errRule = Fixtures.maxAbsDiff(ruleOnReference, st.floats("masks"));
        Fixtures.report("painted planner kind logits", errKind);
        Fixtures.report("painted planner colour logits", errColour);
        Fixtures.report("painted planner boxes", errBoxes);
        Fixtures.report("painted masks (from the reference's boxes)", errRule);
        Fixtures.report("painted masks (from the engine's boxes)", errMasks);
        assertThat(errKind).isLessThanOrEqualTo(1e-5);
        assertThat(errColour).isLessThanOrEqualTo(1e-5);
        assertThat(kind).as("the named kind of every row").containsExactly(st.longs("kind"));
        assertThat(facing).as("the named facing of every row").containsExactly(st.floats("facing"));
        assertThat(colour).as("the named colour of every row").containsExactly(st.longs("colour"));
        assertThat(rgb).as("each named colour's mean fill").containsExactly(st.floats("rgb"));
        Set<Long> named = new HashSet<>();
        for (long c : colour) {
            named.add(c);
        }
        assertThat(named).as("the rows name every colour, the one near black too").hasSize(colours);
        assertThat(errBoxes).isLessThanOrEqualTo(1e-5);
        assertThat(errRule).isLessThanOrEqualTo(MASK_TOL);
        // as for the silhouette: the masks from the engine's own boxes are within the DiT cases' 1e-4
        assertThat(errMasks).isLessThanOrEqualTo(PAINT.atol());
        // the planes are what they are: the silhouette first (the silhouette planner's rule), then it times the colour
        int s = planner.config().templateSize();
        float[] unpainted = new float[rows * plane];
        for (int i = 0; i < rows; i++) {
            float[] box = Arrays.copyOfRange(boxes, i * BoxPlanner.BOX, (i + 1) * BoxPlanner.BOX);
            float[] silhouette = SilhouetteMasks.masks(box, planner.templates(), s, (int) kind[i], (int) facing[i], h, w);
            assertThat(Arrays.copyOfRange(masks, i * plane, i * plane + h * w)).containsExactly(silhouette);
            System.arraycopy(silhouette, 0, unpainted, i * plane, h * w);
        }
        assertThat(Fixtures.maxAbsDiff(unpainted, st.floats("masks"))).as("not the silhouette alone").isGreaterThan(0.05);
    }

    @Test
    void theScenesKindAndColourMatchReference() {
        SafeTensors st = PAINT.tensors("planner");
        BoxPlanner planner = planner();
        int kinds = planner.config().kinds().size();
        int colours = planner.config().colours().size();
        float[][] pooled = pooledRows(st);
        long[] member = st.longs("scene_rows");
        int rows = pooled.length;
        int scenes = st.longs("scene_kind").length;
        assertThat(BoxPlanner.isNullPrompt(pooled[0])).as("row 0 is the null prompt").isTrue();
        float[] kindEvidence = new float[scenes * kinds];
        float[] colourEvidence = new float[scenes * colours];
        long[] kind = new long[scenes];
        long[] colour = new long[scenes];
        try (NDManager scope = MODEL.root().newSubManager()) {
            for (int sc = 0; sc < scenes; sc++) {
                List<float[]> scene = new ArrayList<>();
                for (int i = 0; i < rows; i++) {
                    if (member[sc * rows + i] == 1) {
                        scene.add(pooled[i]);
                    }
                }
                System.arraycopy(planner.sceneLogProbs(scope, scene), 0, kindEvidence, sc * kinds, kinds);
                System.arraycopy(planner.sceneColourLogProbs(scope, scene), 0, colourEvidence, sc * colours, colours);
                kind[sc] = planner.sceneKind(scope, scene);
                colour[sc] = planner.sceneColour(scope, scene);
            }
            // scene 1 is the null prompt and rows 3 and 8: the null prompt is left out, as the kind's rule leaves it
            // out
            assertThat(member[rows]).isEqualTo(1);
            assertThat(colour[1]).isEqualTo(planner.sceneColour(scope, List.of(pooled[3], pooled[8])));
            assertThatThrownBy(() -> planner.sceneColour(scope, List.of(pooled[0], new float[pooled[0].length])))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names no colour");
            assertThatThrownBy(() -> planner.sceneColour(scope, List.of())).hasMessageContaining("names no colour");
            assertThat(scope.getManagedArrays()).as("the planner's arrays die with its own sub-manager").isEmpty();
        }
        double errKind = Fixtures.maxAbsDiff(kindEvidence, st.floats("scene_log_probs"));
        double errColour = Fixtures.maxAbsDiff(colourEvidence, st.floats("scene_colour_log_probs"));
        Fixtures.report("painted planner scene kind log-probabilities", errKind);
        Fixtures.report("painted planner scene colour log-probabilities", errColour);
        assertThat(errKind).isLessThanOrEqualTo(1e-5);
        assertThat(errColour).isLessThanOrEqualTo(1e-5);
        assertThat(kind).as("the kind of every scene").containsExactly(st.longs("scene_kind"));
        assertThat(colour).as("the colour of every scene").containsExactly(st.longs("scene_colour"));
        Set<Long> named = new HashSet<>();
        for (long c : colour) {
            named.add(c);
        }
        assertThat(named).as("the scenes name more than two colours").hasSizeGreaterThan(2);
    }

    @Test
    void aTieNamesTheFirstColourAsTorchsArgmax(@TempDir Path dir) throws Exception {
        // the colour head reads nothing: logits (0, 5, 5, 1) for every prompt, colours 1 and 2 exactly tied
        ModelFolder.copy(PAINT, dir);
        ModelFolder.rewriteTensors(dir, BoxPlanner.FILE, tensors -> {
            Arrays.fill(tensors.get("colour.2.weight").data(), 0f);
            System.arraycopy(new float[] {0f, 5f, 5f, 1f}, 0, tensors.get("colour.2.bias").data(), 0, 4);
        });
        float[][] pooled = pooledRows(PAINT.tensors("planner"));
        List<float[]> scene = Arrays.asList(pooled);
        try (StoryboardModel m = StoryboardModel.load(dir, MODEL.root());
             NDManager scope = MODEL.root().newSubManager()) {
            BoxPlanner tied = m.boxPlanner().orElseThrow();
            float[] evidence = tied.sceneColourLogProbs(scope, scene);
            assertThat(evidence[1]).isEqualTo(evidence[2]).isGreaterThan(evidence[0]);
            assertThat(tied.sceneColour(scope, scene)).isEqualTo(1);
            assertThat(tied.nameColour(scope, pooled[3])).isEqualTo(1);
        }
    }

    @Test
    void thePaintingRuleMatchesReferenceOnChosenColours() {
        SafeTensors st = PAINT.tensors("planner");
        long[] shape = st.info("rule_silhouettes").shape();
        int n = (int) shape[0];
        int h = (int) shape[1];
        int w = (int) shape[2];
        float[] silhouettes = st.floats("rule_silhouettes");
        float[] rgb = st.floats("rule_rgb");
        float[] got = new float[n * PaintedMasks.CHANNELS * h * w];
        for (int i = 0; i < n; i++) {
            float[] one = PaintedMasks.masks(Arrays.copyOfRange(silhouettes, i * h * w, (i + 1) * h * w),
                    Arrays.copyOfRange(rgb, i * 3, i * 3 + 3), h, w);
            System.arraycopy(one, 0, got, i * one.length, one.length);
        }
        double err = Fixtures.maxAbsDiff(got, st.floats("rule_masks"));
        Fixtures.report("painting rule (chosen colours)", err);
        assertThat(err).as("black, white, one channel each in order, a blend; float32 products").isZero();
        // black: the silhouette in the first plane alone
        assertThat(Arrays.copyOf(got, h * w)).containsExactly(Arrays.copyOf(silhouettes, h * w));
        for (int k = h * w; k < PaintedMasks.CHANNELS * h * w; k++) {
            assertThat(got[k]).isZero();
        }
        // N silhouettes painted at once are each painted as one
        float[] two = PaintedMasks.masks(Arrays.copyOf(silhouettes, 2 * h * w), new float[] {0.2f, 0.55f, 0.9f}, h, w);
        float[] second = PaintedMasks.masks(Arrays.copyOfRange(silhouettes, h * w, 2 * h * w),
                new float[] {0.2f, 0.55f, 0.9f}, h, w);
        assertThat(Arrays.copyOfRange(two, second.length, two.length)).containsExactly(second);
    }

    @Test
    void inputsThatDoNotFitTheRuleOrThePlannerAreRefusedByName() {
        assertThatThrownBy(() -> PaintedMasks.masks(new float[8], new float[] {1f, 1f}, 2, 2))
                .hasMessageContaining("a colour is 3 values (red, green, blue), got 2");
        assertThatThrownBy(() -> PaintedMasks.masks(new float[7], new float[3], 2, 2))
                .hasMessageContaining("not whole 2 x 2 masks");
        float[] box = {0f, 0f, 1f, 1f};
        BoxPlanner.NamedKind ball = new BoxPlanner.NamedKind(0, 1);
        assertThatThrownBy(() -> planner().masks(box, ball, 4, 4)).hasMessageContaining("no colour given");
        assertThatThrownBy(() -> planner().masks(box, ball, 4, 4, 4)).hasMessageContaining("colour 4 is not one of");
        BoxPlanner silhouette = SIL.model().boxPlanner().orElseThrow();
        assertThat(silhouette.masks(box, ball, 2, 4, 4)).as("a silhouette planner paints nothing").hasSize(16);
        try (NDManager scope = MODEL.root().newSubManager()) {
            assertThatThrownBy(() -> planner().nameColour(scope, new float[3])).hasMessageContaining("384-wide pooled prompt");
            assertThatThrownBy(() -> silhouette.nameColour(scope, new float[384]))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("names no colour");
            assertThatThrownBy(() -> silhouette.sceneColour(scope, List.of(new float[384])))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("names no colour");
        }
    }
}
