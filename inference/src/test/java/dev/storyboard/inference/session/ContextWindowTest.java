package dev.storyboard.inference.session;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.storyboard.inference.dit.AttentionMask;
import dev.storyboard.inference.dit.KvCache;
import dev.storyboard.inference.dit.SceneLayout;
import dev.storyboard.inference.dit.Segment;
import dev.storyboard.inference.dit.StoryDiT;
import dev.storyboard.inference.testing.Fixtures;
import dev.storyboard.inference.testing.TinyModelExtension;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Long-context policy: which tokens stay visible and how their positions are re-encoded. */
class ContextWindowTest {
    @RegisterExtension
    static final TinyModelExtension TINY = new TinyModelExtension();

    @Test
    void keptChunksAreSinkFarAndRecent() {
        LongContextPolicy p = LongContextPolicy.defaults();                 // 1 far, 2 recent
        assertThat(p.keptChunks(4)).containsExactly(0, 1, 2, 3);            // within threshold: everything
        assertThat(p.keptChunks(5)).containsExactly(0, 2, 3, 4);
        assertThat(p.keptChunks(40)).containsExactly(0, 19, 38, 39);
        assertThat(new LongContextPolicy(true, 2, 1, 1, 3).keptChunks(20)).containsExactly(0, 4, 10, 16, 19);
        assertThat(LongContextPolicy.exact().keptChunks(40)).hasSize(40);
        assertThat(p.roleOf(5, 8)).isEqualTo(LongContextPolicy.ShotRole.DROPPED);
        assertThat(p.roleOf(0, 8)).isEqualTo(LongContextPolicy.ShotRole.SINK);
        assertThat(p.roleOf(6, 8)).isEqualTo(LongContextPolicy.ShotRole.DENSE);
    }

    /** A fake cache whose token table is that of a forward of {@code segs} (no arrays needed for plans). */
    private static KvCache tableOnly(SceneLayout layout, List<Segment> segs) {
        return new KvCache(List.of(), List.of(), layout.withSegments(segs).tokenTable());
    }

    @Test
    void shortScenesAreExactAndLongShotsAreWindowedWithCompactPositions() {
        StoryDiT dit = TINY.model().dit();
        int cf = dit.config().chunkFrames();                              // 2
        // shot 0: 4 frames; shot 1 being extended at chunk c
        for (int c : new int[] {2, 3, 4, 20}) {
            SceneLayout real = dit.layoutFor(new int[] {4, (c + 1) * cf}, true);
            KvCache global = tableOnly(real, List.of(Segment.globalCaption()));
            KvCache shot0 = tableOnly(real, List.of(Segment.wholeShot(0, 4)));
            KvCache current = tableOnly(real, List.of(new Segment(1, true, 0, c * cf)));
            ContextWindow.Plan plan = new ContextWindow(LongContextPolicy.defaults(), real)
                    .plan(global, List.of(shot0), current, 1, c);
            int kept = plan.keep().stream().mapToInt(a -> a.length).sum();
            if (c <= 4) {
                assertThat(plan.identity()).as("chunk %d", c).isTrue();
            } else {
                assertThat(plan.identity()).isFalse();
                int tpf = dit.config().tokensPerFrame();
                int l = dit.config().lTxt();
                // global + shot 0 + shot 1's caption and 4 of its chunks
                assertThat(kept).isEqualTo(l + (l + 4 * tpf) + (l + 4 * cf * tpf));
                // the most recent chunk keeps its exact relative distance (shift 0), the sink moves closer
                int[] keepCur = plan.keep().get(2);
                int[][] shiftCur = plan.shift().get(2);
                int last = keepCur.length - 1;
                assertThat(shiftCur[0][last]).isZero();
                assertThat(shiftCur[0][l]).isEqualTo((c - 4) * cf);        // chunk 0's first token: moved by the gap
                assertThat(shiftCur[1][l]).isZero();                         // same shot: h, w unchanged
            }
        }
    }

    @Test
    void farShotsBecomeSinksOrDropOutAndMoveCloser() {
        StoryDiT dit = TINY.model().dit();
        int[] frames = {4, 4, 4, 4, 4, 4, 4, 2};
        SceneLayout real = dit.layoutFor(frames, false);
        List<KvCache> shots = new ArrayList<>();
        for (int j = 0; j < 7; j++) {
            shots.add(tableOnly(real, List.of(Segment.wholeShot(j, 4))));
        }
        ContextWindow.Plan plan = new ContextWindow(LongContextPolicy.defaults(), real).plan(null, shots, null, 7, 0);
        int l = dit.config().lTxt();
        int tpf = dit.config().tokensPerFrame();
        assertThat(plan.keep().get(0)).hasSize(l + 2 * tpf);               // shot 0: caption + first chunk (sink)
        for (int j = 1; j <= 4; j++) {
            assertThat(plan.keep().get(j)).isEmpty();                       // dropped
        }
        assertThat(plan.keep().get(5)).hasSize(l + 4 * tpf);               // dense
        assertThat(plan.keep().get(6)).hasSize(l + 4 * tpf);
        // dense shot 6 keeps its exact distance to the query shot; the sink shot moves by 4 dropped shots
        assertThat(plan.shift().get(6)[0][0]).isZero();
        int shotSpan = l + 4;                                               // l_txt + max(4 frames, grid 2)
        int sinkSpan = l + 2;                                               // 1 chunk of 2 frames
        assertThat(plan.shift().get(0)[1][0]).isEqualTo(4 * shotSpan + (shotSpan - sinkSpan));
    }

    @Test
    void reRotatingCachedKeysEqualsComputingThemAtTheShiftedPosition() {
        StoryDiT dit = TINY.model().dit();
        int cfgL = dit.config().lTxt();
        try (NDManager scope = TINY.root().newSubManager()) {
            NDArray latents = scope.randomNormal(new Shape(1, 4, 4, 4, 4));
            NDArray text = scope.randomNormal(new Shape(1, 1, cfgL, 384));
            // the same shot without and with a global caption before it: offsets 0 and l_txt
            SceneLayout a = dit.layoutFor(new int[] {4}, false);
            SceneLayout b = dit.layoutFor(new int[] {4}, true).withSegments(List.of(Segment.wholeShot(0, 4)));
            KvCache ka = dit.forward(scope, latents, text, new float[][] {{0.3f}}, a, AttentionMask.CHUNK_CAUSAL, null, true).newKv();
            KvCache kb = dit.forward(scope, latents, text, new float[][] {{0.3f}}, b, AttentionMask.CHUNK_CAUSAL, null, true).newKv();
            int n = ka.size();
            int[] d = new int[n];
            Arrays.fill(d, cfgL);
            NDArray rot = scope.create(dit.rope().rotateHalfMatrix(), new Shape(16, 16));
            KvCache shifted = ka.shifted(d, d, d, dit.rope(), rot, scope);
            // layer 0 keys depend only on the token and its position (layer 1 already mixed in attention)
            double err = Fixtures.maxAbsDiff(shifted.keys(0).toFloatArray(), kb.keys(0).toFloatArray());
            Fixtures.report("RoPE re-encoding of cached keys (layer 0)", err);
            assertThat(err).isLessThanOrEqualTo(1e-5);
            assertThat(shifted.tokens().posT()).isEqualTo(kb.tokens().posT());
        }
    }
}
