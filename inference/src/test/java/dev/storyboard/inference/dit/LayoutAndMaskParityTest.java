package dev.storyboard.inference.dit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storyboard.inference.testing.Fixtures;
import dev.storyboard.inference.weights.SafeTensors;
import org.junit.jupiter.api.Test;

/** Token table, RoPE positions and masks against the reference, plus the spec's hand-made examples. */
class LayoutAndMaskParityTest {

    @Test
    void tokenTableMatchesReference() {
        JsonNode info = Fixtures.caseInfo("layout");
        SafeTensors st = Fixtures.tensors("layout");
        TokenTable table = Fixtures.layout(info.path("layout")).tokenTable();
        long[] pos = st.longs("pos");
        int n = table.size();
        assertThat(n).isEqualTo(56);
        for (int i = 0; i < n; i++) {
            assertThat(new long[] {table.posT()[i], table.posH()[i], table.posW()[i]})
                    .as("pos of token %d", i).containsExactly(pos[3 * i], pos[3 * i + 1], pos[3 * i + 2]);
        }
        assertThat(table.segment()).containsExactly(StoryDiTParityTest.toInts(st.longs("segment")));
        assertThat(table.shot()).containsExactly(StoryDiTParityTest.toInts(st.longs("shot")));
        assertThat(table.chunk()).containsExactly(StoryDiTParityTest.toInts(st.longs("chunk")));
        long[] video = st.longs("is_video");
        for (int i = 0; i < n; i++) {
            assertThat(table.isVideo()[i]).isEqualTo(video[i] == 1);
        }
        Fixtures.report("layout token table", 0);
    }

    @Test
    void masksMatchReference() {
        JsonNode info = Fixtures.caseInfo("layout");
        SafeTensors st = Fixtures.tensors("layout");
        TokenIds ids = Fixtures.layout(info.path("layout")).tokenTable().ids();
        for (String mode : new String[] {"scene_full", "context_causal", "chunk_causal"}) {
            boolean[] allow = AttentionMask.forMode(mode).allowMatrix(ids, ids);
            long[] expected = st.longs("mask_" + mode);
            for (int i = 0; i < allow.length; i++) {
                assertThat(allow[i]).as("%s allow[%d]", mode, i).isEqualTo(expected[i] == 1);
            }
        }
        Fixtures.report("layout masks (3 modes)", 0);
    }

    @Test
    void specWorkedExamplePositions() {
        // docs/STORYDIT.md §4: global caption, shots of 2 and 3 frames, l_txt = 2, grid 2×1
        SceneLayout layout = SceneLayout.full(new int[] {2, 3}, true, 2, 1, 2, 2, 1);
        assertThat(layout.shotOffsets()).containsExactly(2, 6);
        TokenTable t = layout.tokenTable();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < t.size(); i++) {
            sb.append('(').append(t.posT()[i]).append(',').append(t.posH()[i]).append(',').append(t.posW()[i]).append(')');
        }
        assertThat(sb.toString()).isEqualTo("(0,0,0)(1,1,1)(2,2,2)(3,3,3)(4,4,4)(4,5,4)(5,4,4)(5,5,4)"
                + "(6,6,6)(7,7,7)(8,8,8)(8,9,8)(9,8,8)(9,9,8)(10,8,8)(10,9,8)");
    }

    @Test
    void specHandEnumeratedMasks() {
        // tokens: global, shot0 text, shot0 video chunk 1, shot1 text, shot1 video chunk 1
        TokenIds ids = new TokenIds(new int[] {-1, 0, 0, 1, 1}, new int[] {0, 0, 1, 0, 1});
        assertThat(rows(AttentionMask.CONTEXT_CAUSAL.allowMatrix(ids, ids))).isEqualTo("10000 11100 11100 11111 11111");
        assertThat(rows(AttentionMask.CHUNK_CAUSAL.allowMatrix(ids, ids))).isEqualTo("10000 11000 11100 11110 11111");
        assertThat(rows(AttentionMask.SCENE_FULL.allowMatrix(ids, ids))).isEqualTo("11111 11111 11111 11111 11111");
    }

    @Test
    void ropeSplitsHeadDimensionLikeTheSpec() {
        assertThat(new InterleavedRope3d(16, 1e4).split()).containsExactly(8, 4, 4);
        assertThat(new InterleavedRope3d(32, 1e4).split()).containsExactly(12, 10, 10);
        assertThat(new InterleavedRope3d(64, 1e4).split()).containsExactly(24, 20, 20);
    }

    private static String rows(boolean[] m) {
        StringBuilder sb = new StringBuilder();
        for (int q = 0; q < 5; q++) {
            if (q > 0) {
                sb.append(' ');
            }
            for (int k = 0; k < 5; k++) {
                sb.append(m[q * 5 + k] ? '1' : '0');
            }
        }
        return sb.toString();
    }
}
