package dev.storyboard.inference.dit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import com.fasterxml.jackson.databind.JsonNode;
import dev.storyboard.inference.sampler.FlowMatchSampler;
import dev.storyboard.inference.sampler.VelocityField;
import dev.storyboard.inference.testing.FixtureSet;
import dev.storyboard.inference.testing.Fixtures;
import dev.storyboard.inference.testing.TinyModelExtension;
import dev.storyboard.inference.weights.SafeTensors;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The DiT cases of a pixel-space shot-label fixture set ({@code fixtures.py write_pixel_dit_cases}) against the
 * Python reference: full forwards with shot labels and x-prediction, a cached chunk extension, and one CFG sampler
 * step whose unconditional row drops the target's caption and labels. A set whose model reads the actor's box holds
 * each forward's box masks ({@code actor_box}, {@code ctx_actor_box}), and every forward here is given them. A set
 * whose model reads the previous frame holds it ({@code prev_frame}) for the forwards that continue a shot: the
 * extension's full and new forwards, and the CFG step, which then samples a continuation chunk (no text segment: its
 * pooled caption is {@code caption_cond}; both rows read the same frame). A subclass names its model (and through it
 * the fixture set), and says when its set holds no full-forward cases.
 */
abstract class PixelDiTParityCases {
    /** The model, loaded once per test class. */
    abstract TinyModelExtension model();

    /** The fixture set the cases read: the model's. */
    final FixtureSet fixtures() {
        return model().fixtures();
    }

    /** The name parity lines are reported under. */
    abstract String label();

    /**
     * Whether the set holds the full-forward cases ({@code dit_full_*}): every set but tiny-paint, whose 4-channel
     * masks made them large (its chunk extension's {@code v_full} is a full forward).
     */
    boolean holdsFullForwards() {
        return true;
    }

    @ParameterizedTest
    @ValueSource(strings = {"scene_full", "chunk_causal"})
    void fullForwardMatchesReference(String mode) {
        assumeTrue(holdsFullForwards(), "the set holds no full-forward cases");
        String name = "dit_full_" + mode;
        JsonNode info = fixtures().caseInfo(name);
        SafeTensors st = fixtures().tensors(name);
        try (NDManager scope = model().root().newSubManager()) {
            NDArray box = optional(scope, st, "actor_box");
            StoryDiT.Output out = model().model().dit().forward(scope, st.ndarray(scope, "latents"), st.ndarray(scope, "text"),
                    Fixtures.matrix(st, "t"), Fixtures.layout(info.path("layout")), AttentionMask.forMode(mode), null, false,
                    SegmentConditions.NONE.withShotLabels(labels(st, "shot_labels")).withActorBox(box));
            double err = Fixtures.maxAbsDiff(out.velocity().toFloatArray(), st.floats("v"));
            Fixtures.report(label() + " " + name + " v", err);
            assertThat(err).isLessThanOrEqualTo(fixtures().atol());

            // the labels matter: all-null labels give another velocity
            double nullErr = Fixtures.maxAbsDiff(model().model().dit().forward(scope, st.ndarray(scope, "latents"),
                    st.ndarray(scope, "text"), Fixtures.matrix(st, "t"), Fixtures.layout(info.path("layout")),
                    AttentionMask.forMode(mode), null, false, SegmentConditions.NONE.withActorBox(box)).velocity()
                    .toFloatArray(), st.floats("v"));
            assertThat(nullErr).isGreaterThan(1e-3);
        }
    }

    @Test
    void chunkExtensionMatchesReference() {
        String name = "dit_chunk_extension";
        JsonNode info = fixtures().caseInfo(name);
        SafeTensors st = fixtures().tensors(name);
        AttentionMask mask = AttentionMask.CHUNK_CAUSAL;
        StoryDiT dit = model().model().dit();
        try (NDManager scope = model().root().newSubManager()) {
            NDArray latents = st.ndarray(scope, "latents");
            NDArray text = st.ndarray(scope, "text");
            float[][] t = Fixtures.matrix(st, "t");
            ShotLabel[][] labels = labels(st, "shot_labels");
            NDArray box = optional(scope, st, "actor_box");                             // (B, F, 1, H, W) or null
            NDArray prev = optional(scope, st, "prev_frame");                           // (B, F, C, H, W) or null
            double errFull = Fixtures.maxAbsDiff(dit.forward(scope, latents, text, t, Fixtures.layout(info.path("layout_full")),
                    mask, null, false, SegmentConditions.NONE.withShotLabels(labels).withActorBox(box).withPrevFrame(prev))
                    .velocity().toFloatArray(), st.floats("v_full"));
            Fixtures.report(label() + " " + name + " v_full", errFull);

            float[][] tCtx = {Arrays.copyOf(t[0], 3), Arrays.copyOf(t[1], 3)};
            float[][] tNew = {{t[0][3]}, {t[1][3]}};
            ShotLabel[][] ctxLabels = {Arrays.copyOf(labels[0], 3), Arrays.copyOf(labels[1], 3)};
            KvCache cache = dit.forward(scope, latents.get(":, 0:6"), text, tCtx, Fixtures.layout(info.path("layout_ctx")),
                    mask, null, true, SegmentConditions.NONE.withShotLabels(ctxLabels)
                            .withActorBox(box == null ? null : box.get(":, 0:6"))).newKv();
            double errK = 0;
            for (int l = 0; l < cache.layers(); l++) {
                errK = Math.max(errK, Fixtures.maxAbsDiff(cache.keys(l).toFloatArray(), st.floats("cache_k." + l)));
                errK = Math.max(errK, Fixtures.maxAbsDiff(cache.values(l).toFloatArray(), st.floats("cache_v." + l)));
            }
            Fixtures.report(label() + " " + name + " cache K/V", errK);
            double errNew = Fixtures.maxAbsDiff(dit.forward(scope, latents.get(":, 6:"), null, tNew,
                    Fixtures.layout(info.path("layout_new")), mask, cache, false,
                    new SegmentConditions(st.ndarray(scope, "caption_new"), labels(st, "shot_labels_new"),
                            box == null ? null : box.get(":, 6:"), prev == null ? null : prev.get(":, 6:")))
                    .velocity().toFloatArray(), st.floats("v_new"));
            Fixtures.report(label() + " " + name + " v_new", errNew);
            assertThat(errFull).isLessThanOrEqualTo(fixtures().atol());
            assertThat(errK).isLessThanOrEqualTo(fixtures().atol());
            assertThat(errNew).isLessThanOrEqualTo(fixtures().atol());
        }
    }

    @Test
    void guidedEulerStepMatchesReference() {
        String name = "sampler_euler_cfg";
        JsonNode info = fixtures().caseInfo(name);
        SafeTensors st = fixtures().tensors(name);
        SceneLayout ctxLayout = Fixtures.layout(info.path("layout_ctx"));
        SceneLayout newLayout = Fixtures.layout(info.path("layout_new"));
        AttentionMask mask = AttentionMask.forMode(info.path("mask_mode").asText());
        float tc = (float) info.path("t_context").asDouble();
        StoryDiT dit = model().model().dit();
        try (NDManager scope = model().root().newSubManager()) {
            NDArray z = st.ndarray(scope, "ctx_latents");
            NDArray eps = st.ndarray(scope, "ctx_noise");
            NDArray noised = z.mul(1f - tc).add(eps.mul(tc));
            KvCache cache = dit.forward(scope, noised, st.ndarray(scope, "ctx_text"), Fixtures.matrix(st, "ctx_t"),
                    ctxLayout, mask, null, true, SegmentConditions.NONE.withShotLabels(labels(st, "ctx_shot_labels"))
                            .withActorBox(optional(scope, st, "ctx_actor_box"))).newKv();
            // CFG batch: row 0 with the target's caption (its text segment, or for a continuation chunk its pooled
            // caption) and labels, row 1 with both dropped; both rows keep the box and the previous frame
            NDArray text2 = condAndZeros(scope, optional(scope, st, "text_cond"));
            NDArray captions2 = condAndZeros(scope, optional(scope, st, "caption_cond"));
            ShotLabel[][] labels2 = {labels(st, "shot_labels_cond")[0], {ShotLabel.NULL}};
            NDArray box2 = bothRows(optional(scope, st, "actor_box"));
            NDArray prev2 = bothRows(optional(scope, st, "prev_frame"));
            VelocityField batched = (x2, t) -> dit.forward(x2.getManager(), x2, text2,
                    new float[][] {{(float) t}, {(float) t}}, newLayout, mask, cache, false,
                    new SegmentConditions(captions2, labels2, box2, prev2)).velocity();
            NDArray x = st.ndarray(scope, "x");
            double t0 = info.path("t").asDouble();
            double t1 = info.path("t_next").asDouble();
            NDArray both = batched.velocity(x.concat(x, 0), t0);
            double errCond = Fixtures.maxAbsDiff(both.get(new NDIndex("0:1")).toFloatArray(), st.floats("v_cond"));
            double errUncond = Fixtures.maxAbsDiff(both.get(new NDIndex("1:2")).toFloatArray(), st.floats("v_uncond"));
            NDArray next = FlowMatchSampler.step(FlowMatchSampler.Method.EULER,
                    FlowMatchSampler.guided(batched, info.path("guidance").asDouble()), x, t0, t1);
            double errNext = Fixtures.maxAbsDiff(next.toFloatArray(), st.floats("x_next"));
            Fixtures.report(label() + " " + name + " v_cond", errCond);
            Fixtures.report(label() + " " + name + " v_uncond", errUncond);
            Fixtures.report(label() + " " + name + " x_next", errNext);
            assertThat(errCond).isLessThanOrEqualTo(fixtures().atol());
            assertThat(errUncond).isLessThanOrEqualTo(fixtures().atol());
            assertThat(errNext).isLessThanOrEqualTo(fixtures().atol());
            if (st.contains("v_uncond_without_layout")) {
                // layout guidance (session 35): the uncond row reads no box for the target
                NDArray boxGuided = condAndZeros(scope, st.ndarray(scope, "actor_box"));
                VelocityField guided = (x2, t) -> dit.forward(x2.getManager(), x2, text2,
                        new float[][] {{(float) t}, {(float) t}}, newLayout, mask, cache, false,
                        new SegmentConditions(captions2, labels2, boxGuided, prev2)).velocity();
                double errFree = Fixtures.maxAbsDiff(guided.velocity(x.concat(x, 0), t0).get(new NDIndex("1:2"))
                        .toFloatArray(), st.floats("v_uncond_without_layout"));
                double errGuided = Fixtures.maxAbsDiff(FlowMatchSampler.step(FlowMatchSampler.Method.EULER,
                        FlowMatchSampler.guided(guided, info.path("guidance").asDouble()), x, t0, t1).toFloatArray(),
                        st.floats("x_next_layout_guided"));
                Fixtures.report(label() + " " + name + " v_uncond_without_layout", errFree);
                Fixtures.report(label() + " " + name + " x_next_layout_guided", errGuided);
                assertThat(errFree).isLessThanOrEqualTo(fixtures().atol());
                assertThat(errGuided).isLessThanOrEqualTo(fixtures().atol());
                assertThat(Fixtures.maxAbsDiff(st.floats("v_uncond_without_layout"), st.floats("v_uncond")))
                        .as("the layout moves the uncond row").isGreaterThan(1e-3);
            }
        }
    }

    /**
     * The case's tensor {@code name} in scope; null when the case holds none (a box or a previous frame the set's model
     * does not read, the text of a target without a text segment).
     */
    static NDArray optional(NDManager scope, SafeTensors st, String name) {
        return st.contains(name) ? st.ndarray(scope, name) : null;
    }

    /** A CFG batch of the cond row {@code cond} (1, ...) and a row of zeros; null for null. */
    private static NDArray condAndZeros(NDManager scope, NDArray cond) {
        return cond == null ? null : cond.concat(scope.zeros(cond.getShape()), 0);
    }

    /** A CFG batch of {@code row} (1, ...) twice; null for null. */
    private static NDArray bothRows(NDArray row) {
        return row == null ? null : row.concat(row, 0);
    }

    /** (B, G, 2) int64 [camera, shot size] → B × G labels. */
    static ShotLabel[][] labels(SafeTensors st, String name) {
        long[] flat = st.longs(name);
        long[] shape = st.info(name).shape();
        ShotLabel[][] out = new ShotLabel[(int) shape[0]][(int) shape[1]];
        for (int b = 0; b < out.length; b++) {
            for (int g = 0; g < out[b].length; g++) {
                int o = (b * out[b].length + g) * 2;
                out[b][g] = new ShotLabel(Math.toIntExact(flat[o]), Math.toIntExact(flat[o + 1]));
            }
        }
        return out;
    }
}
