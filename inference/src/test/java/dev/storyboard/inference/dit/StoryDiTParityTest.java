package dev.storyboard.inference.dit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.storyboard.inference.testing.Fixtures;
import dev.storyboard.inference.testing.TinyModelExtension;
import dev.storyboard.inference.weights.SafeTensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** StoryDiT against the Python reference: every mask mode, the KV cache and chunk extension. */
class StoryDiTParityTest {
    @RegisterExtension
    static final TinyModelExtension TINY = new TinyModelExtension();

    @ParameterizedTest
    @ValueSource(strings = {"scene_full", "context_causal", "chunk_causal"})
    void fullForwardMatchesReference(String mode) {
        String name = "dit_full_" + mode;
        JsonNode info = Fixtures.caseInfo(name);
        SafeTensors st = Fixtures.tensors(name);
        try (NDManager scope = TINY.root().newSubManager()) {
            StoryDiT.Output out = TINY.model().dit().forward(scope, st.ndarray(scope, "latents"), st.ndarray(scope, "text"),
                    Fixtures.matrix(st, "t"), Fixtures.layout(info.path("layout")), AttentionMask.forMode(mode), null, false);
            double err = Fixtures.maxAbsDiff(out.velocity().toFloatArray(), st.floats("v"));
            Fixtures.report(name + " v", err);
            assertThat(err).isLessThanOrEqualTo(Fixtures.ATOL);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"context_causal", "chunk_causal"})
    void kvCacheMatchesReference(String mode) {
        String name = "dit_kv_" + mode;
        JsonNode info = Fixtures.caseInfo(name);
        SafeTensors st = Fixtures.tensors(name);
        AttentionMask mask = AttentionMask.forMode(mode);
        try (NDManager scope = TINY.root().newSubManager()) {
            StoryDiT.Output ctx = TINY.model().dit().forward(scope, st.ndarray(scope, "latents_ctx"), st.ndarray(scope, "text_ctx"),
                    Fixtures.matrix(st, "t_ctx"), Fixtures.layout(info.path("layout_ctx")), mask, null, true);
            KvCache cache = ctx.newKv();
            double errK = 0;
            for (int l = 0; l < cache.layers(); l++) {
                errK = Math.max(errK, Fixtures.maxAbsDiff(cache.keys(l).toFloatArray(), st.floats("cache_k." + l)));
                errK = Math.max(errK, Fixtures.maxAbsDiff(cache.values(l).toFloatArray(), st.floats("cache_v." + l)));
            }
            assertThat(cache.ids().shot()).containsExactly(toInts(st.longs("cache_shot")));
            assertThat(cache.ids().chunk()).containsExactly(toInts(st.longs("cache_chunk")));
            Fixtures.report(name + " cache K/V", errK);
            StoryDiT.Output out = TINY.model().dit().forward(scope, st.ndarray(scope, "latents_new"), st.ndarray(scope, "text_new"),
                    Fixtures.matrix(st, "t_new"), Fixtures.layout(info.path("layout_new")), mask, cache, false);
            double err = Fixtures.maxAbsDiff(out.velocity().toFloatArray(), st.floats("v_new"));
            Fixtures.report(name + " v_new", err);
            // the same with the reference's cache tensors as input
            KvCache given = fixtureCache(scope, st, TINY.model().config().dit().nLayers());
            double errGiven = Fixtures.maxAbsDiff(TINY.model().dit().forward(scope, st.ndarray(scope, "latents_new"),
                    st.ndarray(scope, "text_new"), Fixtures.matrix(st, "t_new"), Fixtures.layout(info.path("layout_new")),
                    mask, given, false).velocity().toFloatArray(), st.floats("v_new"));
            Fixtures.report(name + " v_new (reference cache)", errGiven);
            assertThat(errK).isLessThanOrEqualTo(Fixtures.ATOL);
            assertThat(err).isLessThanOrEqualTo(Fixtures.ATOL);
            assertThat(errGiven).isLessThanOrEqualTo(Fixtures.ATOL);
        }
    }

    @Test
    void chunkExtensionMatchesReference() {
        String name = "dit_chunk_extension";
        JsonNode info = Fixtures.caseInfo(name);
        SafeTensors st = Fixtures.tensors(name);
        AttentionMask mask = AttentionMask.CHUNK_CAUSAL;
        try (NDManager scope = TINY.root().newSubManager()) {
            NDArray latents = st.ndarray(scope, "latents");
            NDArray text = st.ndarray(scope, "text");
            float[][] t = Fixtures.matrix(st, "t");
            SceneLayout full = Fixtures.layout(info.path("layout_full"));
            double errFull = Fixtures.maxAbsDiff(TINY.model().dit().forward(scope, latents, text, t, full, mask, null, false)
                    .velocity().toFloatArray(), st.floats("v_full"));
            Fixtures.report(name + " v_full", errFull);

            float[][] tCtx = {Arrays.copyOf(t[0], 3), Arrays.copyOf(t[1], 3)};
            float[][] tNew = {{t[0][3]}, {t[1][3]}};
            KvCache cache = TINY.model().dit().forward(scope, latents.get(":, 0:6"), text, tCtx,
                    Fixtures.layout(info.path("layout_ctx")), mask, null, true).newKv();
            double errK = 0;
            for (int l = 0; l < cache.layers(); l++) {
                errK = Math.max(errK, Fixtures.maxAbsDiff(cache.keys(l).toFloatArray(), st.floats("cache_k." + l)));
                errK = Math.max(errK, Fixtures.maxAbsDiff(cache.values(l).toFloatArray(), st.floats("cache_v." + l)));
            }
            Fixtures.report(name + " cache K/V", errK);
            // shot 1's caption is only in the cache: its pooled caption comes with the forward
            double errNew = Fixtures.maxAbsDiff(TINY.model().dit().forward(scope, latents.get(":, 6:"), null, tNew,
                    Fixtures.layout(info.path("layout_new")), mask, cache, false, st.ndarray(scope, "caption_new"))
                    .velocity().toFloatArray(), st.floats("v_new"));
            Fixtures.report(name + " v_new", errNew);
            assertThatThrownBy(() -> TINY.model().dit().forward(scope, latents.get(":, 6:"), null, tNew,
                    Fixtures.layout(info.path("layout_new")), mask, cache, false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no caption in this forward");
            assertThat(errFull).isLessThanOrEqualTo(Fixtures.ATOL);
            assertThat(errK).isLessThanOrEqualTo(Fixtures.ATOL);
            assertThat(errNew).isLessThanOrEqualTo(Fixtures.ATOL);
        }
    }

    @Test
    void pooledCaptionsMatchReference() {
        SafeTensors st = Fixtures.tensors("dit_full_scene_full");
        JsonNode info = Fixtures.caseInfo("dit_full_scene_full");
        try (NDManager scope = TINY.root().newSubManager()) {
            NDArray pooled = CaptionCondition.segmentCaptions(scope, Fixtures.layout(info.path("layout")),
                    st.ndarray(scope, "text"));
            double err = Fixtures.maxAbsDiff(pooled.toFloatArray(), st.floats("caption"));
            Fixtures.report("pooled captions", err);
            assertThat(err).isLessThanOrEqualTo(1e-6);
        }
        float[] nul = CaptionCondition.pool(new float[3 * 4], 4);
        assertThat(nul).containsOnly(0f);
    }

    static KvCache fixtureCache(NDManager scope, SafeTensors st, int layers) {
        List<NDArray> k = new ArrayList<>();
        List<NDArray> v = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            k.add(st.ndarray(scope, "cache_k." + l));
            v.add(st.ndarray(scope, "cache_v." + l));
        }
        int[] shot = toInts(st.longs("cache_shot"));
        int n = shot.length;
        return new KvCache(k, v, new TokenTable(new int[n], shot, toInts(st.longs("cache_chunk")), new boolean[n], new int[n], new int[n], new int[n],
                new int[n]));
    }

    static int[] toInts(long[] a) {
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Math.toIntExact(a[i]);
        }
        return out;
    }
}
