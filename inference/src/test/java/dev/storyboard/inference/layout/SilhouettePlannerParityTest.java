package dev.storyboard.inference.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.storyboard.inference.config.BoxPlannerConfig;
import dev.storyboard.inference.config.StoryDiTConfig;
import dev.storyboard.inference.dit.CaptionCondition;
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
 * The silhouette planner and the silhouette rule against the Python reference (training/fixtures/tiny-sil, case
 * {@code planner}): caption rows → pooled prompt → the kind head's logits → the named kind and facing, boxes per
 * (camera, shot size, phase) → the kind's silhouette in each box on the latent grid ({@link SilhouetteMasks}); the
 * rule on chosen boxes, kinds and facings; and the kind of scenes made of the case's prompts ({@link
 * BoxPlanner#sceneKind}).
 */
class SilhouettePlannerParityTest {
    private static final FixtureSet SIL = Fixtures.TINY_SIL;
    private static final double MASK_TOL = 1e-5;

    @RegisterExtension
    static final TinyModelExtension MODEL = new TinyModelExtension(SIL);

    private static BoxPlanner planner() {
        return MODEL.model().boxPlanner().orElseThrow();
    }

    @Test
    void thePlannersKindsAndTemplatesComeFromTheModelFolder() {
        BoxPlannerConfig c = planner().config();
        assertThat(MODEL.model().config().dit().actorLayout()).isEqualTo(StoryDiTConfig.ActorLayout.SILHOUETTE);
        assertThat(c.plansSilhouette()).isTrue();
        assertThat(c.kinds()).containsExactly("ball", "bird", "fish");
        assertThat(c.templateSize()).isEqualTo(5);
        assertThat(c.kindLogits()).isEqualTo(4);
        assertThat(planner().templates()).containsExactly(SIL.tensors("planner").floats("templates"));
    }

    @Test
    void kindsFacingsBoxesAndSilhouettesMatchReference() {
        SafeTensors st = SIL.tensors("planner");
        BoxPlanner planner = planner();
        int dim = planner.config().textDim();
        int kinds = planner.config().kinds().size();
        int h = MODEL.model().config().dit().latentH();
        int w = MODEL.model().config().dit().latentW();
        float[] text = st.floats("text");
        long[] camera = st.longs("camera");
        long[] shotSize = st.longs("shot_size");
        long[] frame = st.longs("frame");
        long[] frames = st.longs("frames");
        int rows = camera.length;
        int rowText = text.length / rows;
        float[] logits = new float[rows * (kinds + 1)];
        float[] boxes = new float[rows * BoxPlanner.BOX];
        float[] masks = new float[rows * h * w];
        float[] mirrored = new float[rows * h * w];
        long[] kind = new long[rows];
        float[] facing = new float[rows];
        try (NDManager scope = MODEL.root().newSubManager()) {
            for (int i = 0; i < rows; i++) {
                float[] p = CaptionCondition.pool(Arrays.copyOfRange(text, i * rowText, (i + 1) * rowText), dim);
                System.arraycopy(planner.kindLogits(scope, p), 0, logits, i * (kinds + 1), kinds + 1);
                BoxPlanner.NamedKind named = planner.name(scope, p);
                kind[i] = named.kind();
                facing[i] = named.facing();
                float phase = BoxPlanner.phase((int) frame[i], (int) frames[i]);
                float[] box = planner.plan(scope, p, (int) camera[i], (int) shotSize[i], new float[] {phase});
                System.arraycopy(box, 0, boxes, i * BoxPlanner.BOX, BoxPlanner.BOX);
                System.arraycopy(planner.masks(box, named, h, w), 0, masks, i * h * w, h * w);
                System.arraycopy(planner.masks(box, new BoxPlanner.NamedKind(named.kind(), -named.facing()), h, w), 0,
                        mirrored, i * h * w, h * w);
            }
            assertThat(scope.getManagedArrays()).as("the planner's arrays die with its own sub-manager").isEmpty();
        }
        double errLogits = Fixtures.maxAbsDiff(logits, st.floats("kind_logits"));
        double errBoxes = Fixtures.maxAbsDiff(boxes, st.floats("boxes"));
        double errMasks = Fixtures.maxAbsDiff(masks, st.floats("masks"));
        float[] ruleOnReference = new float[rows * h * w];
        float[] referenceBoxes = st.floats("boxes");
        for (int i = 0; i < rows; i++) {
            float[] one = planner.masks(Arrays.copyOfRange(referenceBoxes, i * BoxPlanner.BOX, (i + 1) * BoxPlanner.BOX),
                    new BoxPlanner.NamedKind((int) kind[i], (int) facing[i]), h, w);
            System.arraycopy(one, 0, ruleOnReference, i * h * w, h * w);
        }
        double errRule = Fixtures.maxAbsDiff(ruleOnReference, st.floats("masks"));
        Fixtures.report("silhouette planner kind logits", errLogits);
        Fixtures.report("silhouette planner boxes", errBoxes);
        Fixtures.report("silhouette masks (from the reference's boxes)", errRule);
        Fixtures.report("silhouette masks (from the engine's boxes)", errMasks);
        assertThat(errLogits).isLessThanOrEqualTo(1e-5);
        assertThat(kind).as("the named kind of every row").containsExactly(st.longs("kind"));
        assertThat(facing).as("the named facing of every row").containsExactly(st.floats("facing"));
        Set<Float> ways = new HashSet<>();
        for (float f : facing) {
            ways.add(f);
        }
        assertThat(ways).as("the rows face both ways").containsExactlyInAnyOrder(1f, -1f);
        assertThat(errBoxes).isLessThanOrEqualTo(1e-5);
        assertThat(errRule).isLessThanOrEqualTo(MASK_TOL);
        // the boxes' float32 rounding (~2e-7 of the frame) moves a pixel centre's place in a box under a pixel wide
        // by ~1e-5 of the box, and the bilinear read with it: the masks from the engine's own boxes are within 1e-4
        assertThat(errMasks).isLessThanOrEqualTo(SIL.atol());
        assertThat(Fixtures.maxAbsDiff(mirrored, st.floats("masks"))).as("the other way is another mask")
                .isGreaterThan(0.05);
        assertThat(Fixtures.maxAbsDiff(BoxMasks.masks(boxes, h, w), st.floats("masks"))).as("not the 0/1 boxes")
                .isGreaterThan(0.05);
    }

    @Test
    void theScenesKindMatchesReference() {
        SafeTensors st = SIL.tensors("planner");
        BoxPlanner planner = planner();
        int dim = planner.config().textDim();
        int kinds = planner.config().kinds().size();
        float[] text = st.floats("text");
        long[] member = st.longs("scene_rows");
        long[] expected = st.longs("scene_kind");
        int rows = st.longs("camera").length;
        int rowText = text.length / rows;
        int scenes = expected.length;
        float[][] pooled = new float[rows][];
        for (int i = 0; i < rows; i++) {
            pooled[i] = CaptionCondition.pool(Arrays.copyOfRange(text, i * rowText, (i + 1) * rowText), dim);
        }
        assertThat(BoxPlanner.isNullPrompt(pooled[0])).as("row 0 is the null prompt").isTrue();
        float[] evidence = new float[scenes * kinds];
        long[] kind = new long[scenes];
        try (NDManager scope = MODEL.root().newSubManager()) {
            for (int sc = 0; sc < scenes; sc++) {
                List<float[]> scene = new ArrayList<>();
                for (int i = 0; i < rows; i++) {
                    if (member[sc * rows + i] == 1) {
                        scene.add(pooled[i]);
                    }
                }
                System.arraycopy(planner.sceneLogProbs(scope, scene), 0, evidence, sc * kinds, kinds);
                kind[sc] = planner.sceneKind(scope, scene);
            }
            // scene 1 is the null prompt and row 4: the null prompt is left out, so row 4 alone names the kind
            assertThat(member[rows]).isEqualTo(1);
            assertThat(kind[1]).isEqualTo(planner.sceneKind(scope, List.of(pooled[4])));
            assertThatThrownBy(() -> planner.sceneKind(scope, List.of(pooled[0], new float[dim])))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names no kind");
            assertThatThrownBy(() -> planner.sceneKind(scope, List.of())).hasMessageContaining("names no kind");
            assertThat(scope.getManagedArrays()).as("the planner's arrays die with its own sub-manager").isEmpty();
        }
        double err = Fixtures.maxAbsDiff(evidence, st.floats("scene_log_probs"));
        Fixtures.report("silhouette planner scene log-probabilities", err);
        assertThat(err).isLessThanOrEqualTo(1e-5);
        assertThat(kind).as("the kind of every scene").containsExactly(expected);
        Set<Long> named = new HashSet<>();
        for (long k : kind) {
            named.add(k);
        }
        assertThat(named).as("the scenes name more than one kind").hasSizeGreaterThan(1);
    }

    @Test
    void aTieNamesTheFirstKindAsTorchsArgmax(@TempDir Path dir) throws Exception {
        // the kind head reads nothing: logits (0, 5, 5, 1) for every prompt, kinds 1 and 2 exactly tied
        ModelFolder.copy(SIL, dir);
        ModelFolder.rewriteTensors(dir, BoxPlanner.FILE, tensors -> {
            Arrays.fill(tensors.get("kind.2.weight").data(), 0f);
            float[] bias = tensors.get("kind.2.bias").data();
            System.arraycopy(new float[] {0f, 5f, 5f, 1f}, 0, bias, 0, 4);
        });
        SafeTensors st = SIL.tensors("planner");
        float[] text = st.floats("text");
        int rows = st.longs("camera").length;
        int rowText = text.length / rows;
        int dim = planner().config().textDim();
        List<float[]> scene = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            scene.add(CaptionCondition.pool(Arrays.copyOfRange(text, i * rowText, (i + 1) * rowText), dim));
        }
        try (StoryboardModel m = StoryboardModel.load(dir, MODEL.root());
             NDManager scope = MODEL.root().newSubManager()) {
            BoxPlanner tied = m.boxPlanner().orElseThrow();
            float[] evidence = tied.sceneLogProbs(scope, scene);
            assertThat(evidence[1]).isEqualTo(evidence[2]).isGreaterThan(evidence[0]);
            assertThat(tied.sceneKind(scope, scene)).isEqualTo(1);
            assertThat(tied.name(scope, scene.get(3)).kind()).isEqualTo(1);
        }
    }

    @Test
    void theRuleMatchesReferenceOnChosenBoxes() {
        SafeTensors st = SIL.tensors("planner");
        int h = MODEL.model().config().dit().latentH();
        int w = MODEL.model().config().dit().latentW();
        int s = planner().config().templateSize();
        float[] templates = st.floats("templates");
        float[] ruleBoxes = st.floats("rule_boxes");
        long[] ruleKind = st.longs("rule_kind");
        float[] ruleFacing = st.floats("rule_facing");
        float[] expected = st.floats("rule_masks");
        int n = ruleKind.length;
        float[] got = new float[n * h * w];
        for (int i = 0; i < n; i++) {
            float[] box = Arrays.copyOfRange(ruleBoxes, i * BoxPlanner.BOX, (i + 1) * BoxPlanner.BOX);
            float[] one = SilhouetteMasks.masks(box, templates, s, (int) ruleKind[i], (int) ruleFacing[i], h, w);
            System.arraycopy(one, 0, got, i * h * w, h * w);
        }
        double err = Fixtures.maxAbsDiff(got, expected);
        Fixtures.report("silhouette rule (chosen boxes)", err);
        assertThat(err).as("integer and fractional edges, zero width, NaN, the whole frame, larger and smaller than "
                + "the template, under a pixel").isLessThanOrEqualTo(MASK_TOL);
        // the chosen boxes cover what they were chosen for: rows 3, 4 and 9 draw nothing, row 8 one pixel
        for (int i : List.of(3, 4, 9)) {
            assertThat(nonZero(got, i, h * w)).as("box " + i + " draws nothing").isZero();
        }
        assertThat(nonZero(got, 8, h * w)).as("a box under a pixel over one pixel centre").isEqualTo(1);
        assertThat(nonZero(got, 5, h * w)).as("the whole frame").isEqualTo(h * w);
        // rows 0 and 1 are one box facing right and left: the mirror of each other, and not the same
        float[] right = Arrays.copyOfRange(got, 0, h * w);
        float[] left = Arrays.copyOfRange(got, h * w, 2 * h * w);
        assertThat(Fixtures.maxAbsDiff(right, left)).isGreaterThan(0.05);
        float[] boxOnly = BoxMasks.masks(Arrays.copyOf(ruleBoxes, 4), h, w);
        float[] flipped = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 8; x < 24; x++) {
                flipped[y * w + x] = right[y * w + 8 + 23 - x];        // box columns 8 .. 23 mirrored
            }
            for (int x = 0; x < w; x++) {
                if (boxOnly[y * w + x] == 0f) {
                    assertThat(right[y * w + x]).as("nothing outside the integer box").isZero();
                }
            }
        }
        assertThat(Fixtures.maxAbsDiff(left, flipped)).as("facing left mirrors the drawing in its box")
                .isLessThanOrEqualTo(1e-6);
    }

    @Test
    void aBoxOfTemplateSizeReadsTheTemplateTexelForTexel() {
        int s = 4;
        float[] templates = new float[2 * s * s];
        for (int i = 0; i < templates.length; i++) {
            templates[i] = i / 32f;
        }
        float[] box = {3f / 9f, 1f / 8f, 7f / 9f, 5f / 8f};            // pixels 3 .. 7 x 1 .. 5 of a 9 x 8 grid
        float[] mask = SilhouetteMasks.masks(box, templates, s, 1, 1, 8, 9);
        float[] left = SilhouetteMasks.masks(box, templates, s, 1, -1, 8, 9);
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < s; j++) {
                assertThat(mask[(1 + i) * 9 + 3 + j]).isEqualTo(templates[s * s + i * s + j]);
                assertThat(left[(1 + i) * 9 + 3 + j]).isEqualTo(templates[s * s + i * s + s - 1 - j]);
            }
        }
        assertThat(mask[0]).isZero();
        assertThat(mask[8 * 9 - 1]).isZero();
    }

    @Test
    void inputsThatDoNotFitTheRuleOrThePlannerAreRefusedByName() {
        float[] templates = new float[2 * 25];
        float[] box = {0f, 0f, 1f, 1f};
        assertThatThrownBy(() -> SilhouetteMasks.masks(box, templates, 5, 2, 1, 4, 4))
                .hasMessageContaining("kind 2 is not one of the 2 templates");
        assertThatThrownBy(() -> SilhouetteMasks.masks(box, templates, 5, 0, 0, 4, 4))
                .hasMessageContaining("facing must be +1 (right) or -1 (left), got 0");
        assertThatThrownBy(() -> SilhouetteMasks.masks(box, new float[24], 5, 0, 1, 4, 4))
                .hasMessageContaining("not whole 5 x 5 templates");
        assertThatThrownBy(() -> SilhouetteMasks.masks(new float[3], templates, 5, 0, 1, 4, 4))
                .hasMessageContaining("not whole boxes");
        assertThatThrownBy(() -> planner().masks(box, null, 4, 4)).hasMessageContaining("no kind given");
        try (NDManager scope = MODEL.root().newSubManager()) {
            assertThatThrownBy(() -> planner().name(scope, new float[3])).hasMessageContaining("384-wide pooled prompt");
        }
    }

    private static int nonZero(float[] masks, int row, int size) {
        int n = 0;
        for (int k = row * size; k < (row + 1) * size; k++) {
            if (masks[k] != 0f) {
                n++;
            }
        }
        return n;
    }
}
