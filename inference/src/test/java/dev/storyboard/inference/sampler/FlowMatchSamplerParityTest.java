package dev.storyboard.inference.sampler;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import com.fasterxml.jackson.databind.JsonNode;
import dev.storyboard.inference.dit.AttentionMask;
import dev.storyboard.inference.dit.KvCache;
import dev.storyboard.inference.dit.SceneLayout;
import dev.storyboard.inference.testing.Fixtures;
import dev.storyboard.inference.testing.TinyModelExtension;
import dev.storyboard.inference.weights.SafeTensors;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One Euler / Heun step with CFG on a cached context at t_c, against the reference (next-shot flow). */
class FlowMatchSamplerParityTest {
    @RegisterExtension
    static final TinyModelExtension TINY = new TinyModelExtension();

    @Test
    void scheduleMatchesReference() {
        JsonNode info = Fixtures.caseInfo("sampler_euler_cfg");
        double[] ts = FlowMatchSampler.timesteps(4, 2.0);
        for (int i = 0; i < ts.length; i++) {
            assertThat(ts[i]).isCloseTo(info.path("timesteps").get(i).asDouble(), Offset.offset(1e-12));
        }
        assertThat(FlowMatchSampler.shift(0.5, 3.0)).isCloseTo(0.75, Offset.offset(1e-12));
    }

    @ParameterizedTest
    @ValueSource(strings = {"euler", "heun"})
    void guidedStepMatchesReference(String method) {
        String name = "sampler_" + method + "_cfg";
        JsonNode info = Fixtures.caseInfo(name);
        SafeTensors st = Fixtures.tensors(name);
        SceneLayout ctxLayout = Fixtures.layout(info.path("layout_ctx"));
        SceneLayout newLayout = Fixtures.layout(info.path("layout_new"));
        AttentionMask mask = AttentionMask.forMode(info.path("mask_mode").asText());
        float tc = (float) info.path("t_context").asDouble();
        try (NDManager scope = TINY.root().newSubManager()) {
            // context at t_c: x = (1 - t_c) z + t_c eps, global at t = 0, cached once with batch 1
            NDArray z = st.ndarray(scope, "ctx_latents");
            NDArray eps = st.ndarray(scope, "ctx_noise");
            NDArray noised = z.mul(1f - tc).add(eps.mul(tc));
            KvCache cache = TINY.model().dit().forward(scope, noised, st.ndarray(scope, "ctx_text"), Fixtures.matrix(st, "ctx_t"),
                    ctxLayout, mask, null, true).newKv();
            // text for the CFG batch: [cond, zeros]
            NDArray cond = st.ndarray(scope, "text_cond");
            NDArray text2 = cond.concat(scope.zeros(cond.getShape()), 0);
            VelocityField batched = (x2, t) -> TINY.model().dit().forward(x2.getManager(), x2, text2,
                    new float[][] {{(float) t}, {(float) t}}, newLayout, mask, cache, false).velocity();
            NDArray x = st.ndarray(scope, "x");
            double t0 = info.path("t").asDouble();
            double t1 = info.path("t_next").asDouble();
            NDArray both = batched.velocity(x.concat(x, 0), t0);
            double errCond = Fixtures.maxAbsDiff(both.get(new NDIndex("0:1")).toFloatArray(), st.floats("v_cond"));
            double errUncond = Fixtures.maxAbsDiff(both.get(new NDIndex("1:2")).toFloatArray(), st.floats("v_uncond"));
            NDArray next = FlowMatchSampler.step(FlowMatchSampler.Method.parse(method),
                    FlowMatchSampler.guided(batched, info.path("guidance").asDouble()), x, t0, t1);
            double errNext = Fixtures.maxAbsDiff(next.toFloatArray(), st.floats("x_next"));
            Fixtures.report(name + " v_cond", errCond);
            Fixtures.report(name + " v_uncond", errUncond);
            Fixtures.report(name + " x_next", errNext);
            assertThat(errCond).isLessThanOrEqualTo(Fixtures.ATOL);
            assertThat(errUncond).isLessThanOrEqualTo(Fixtures.ATOL);
            assertThat(errNext).isLessThanOrEqualTo(Fixtures.ATOL);
        }
    }
}
