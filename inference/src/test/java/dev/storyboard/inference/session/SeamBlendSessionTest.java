package dev.storyboard.inference.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.inference.testing.TinyModelExtension;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seam blending ({@code Options.blendOverlap}, {@link SeamBlend}) on the tiny model (chunk_frames 2, so O = 1):
 * deterministic, the first chunk untouched, every frame delivered once and never changed after, O = 0 the plain
 * path, bad values rejected by name.
 */
class SeamBlendSessionTest {
    @RegisterExtension
    static final TinyModelExtension TINY = new TinyModelExtension();

    private static SceneSession session(SceneSession.Options options) {
        SceneSession s = new SceneSession(TINY.model(), TINY.root(), options.withDecode(false));
        s.setGlobalCaption(SceneSessionTest.caption(99, 6));
        return s;
    }

    private static SceneSession.Options blended(int overlap) {
        return blended(overlap, SeamBlending.Split.RANDOM);
    }

    private static SceneSession.Options blended(int overlap, SeamBlending.Split split) {
        return SceneSession.Options.defaults().withSeamBlending(new SeamBlending(overlap, split));
    }

    /** Shot 0 (4 frames) then shot 1 (6 frames, 3 chunks) and an extension of shot 1 by 2 frames. */
    private static List<float[]> scenario(SceneSession.Options options, List<int[]> delivered) {
        ChunkListener record = new ChunkListener() {
            @Override
            public void chunk(int shot, int firstFrame, float[] latents, List<VideoFrame> frames) {
                delivered.add(new int[] {shot, firstFrame, latents.length});
            }
        };
        try (SceneSession s = session(options)) {
            CancellationToken none = CancellationToken.none();
            List<float[]> out = new ArrayList<>();
            out.add(s.generateShot(0, SceneSessionTest.shot(0, 4, 11), record, none).latents());
            out.add(s.generateShot(1, SceneSessionTest.shot(1, 6, 12), record, none).latents());
            out.add(s.extendShot(1, SceneSessionTest.extension(2, 13, 3.0, 3), record, none).latents());
            return out;
        }
    }

    @ParameterizedTest
    @EnumSource(SeamBlending.Split.class)
    void theSameRequestGivesTheSameFramesAndTheFirstChunkIsUntouched(SeamBlending.Split split) {
        List<float[]> a = scenario(blended(1, split), new ArrayList<>());
        List<float[]> b = scenario(blended(1, split), new ArrayList<>());
        List<float[]> plain = scenario(SceneSession.Options.defaults(), new ArrayList<>());
        int fs = TINY.model().config().dit().latentFrameSize();
        int cf = TINY.model().config().dit().chunkFrames();
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i)).as("result %d is deterministic", i).containsExactly(b.get(i));
            assertThat(a.get(i)).as("result %d: later chunks are sampled behind the overlap", i)
                    .isNotEqualTo(plain.get(i));
        }
        // the scene's first chunk has no seam before it (later shots' first chunks see blended shots as context)
        assertThat(Arrays.copyOf(a.get(0), cf * fs)).containsExactly(Arrays.copyOf(plain.get(0), cf * fs));
    }

    @Test
    void everyFrameIsDeliveredOnceInOrderAndFramesAlreadyDeliveredStay() {
        List<int[]> delivered = new ArrayList<>();
        List<float[]> results = scenario(blended(1), delivered);
        int fs = TINY.model().config().dit().latentFrameSize();
        int cf = TINY.model().config().dit().chunkFrames();
        List<String> seen = delivered.stream().map(d -> d[0] + "@" + d[1] + "x" + d[2] / fs).toList();
        assertThat(seen).containsExactly("0@0x2", "0@2x2", "1@0x2", "1@2x2", "1@4x2", "1@6x2");
        // the extension keeps shot 1's first 6 frames bit for bit: the overlap is re-sampled, never re-delivered
        assertThat(Arrays.copyOf(results.get(2), 6 * fs)).containsExactly(results.get(1));
        assertThat(results.get(2)).hasSize(8 * fs);
        assertThat(cf).isEqualTo(2);
    }

    @Test
    void anOverlapOfZeroIsThePlainChunkLoop() {
        assertThat(SceneSession.Options.defaults().seamBlending()).isEqualTo(SeamBlending.NONE);
        assertThat(SeamBlending.NONE.enabled()).isFalse();
        assertThat(SeamBlending.NONE.cacheKey()).as("plain takes keep their cache keys").isEmpty();
        assertThat(blended(0)).isEqualTo(SceneSession.Options.defaults());
        List<float[]> zero = scenario(blended(0, SeamBlending.Split.FULL), new ArrayList<>());
        List<float[]> plain = scenario(SceneSession.Options.defaults(), new ArrayList<>());
        for (int i = 0; i < zero.size(); i++) {
            assertThat(zero.get(i)).containsExactly(plain.get(i));
        }
    }

    @Test
    void randomAndFullSplitsDifferAndHaveTheirOwnCacheKeys() {
        List<float[]> random = scenario(blended(1, SeamBlending.Split.RANDOM), new ArrayList<>());
        List<float[]> full = scenario(blended(1, SeamBlending.Split.FULL), new ArrayList<>());
        assertThat(random.get(1)).isNotEqualTo(full.get(1));
        assertThat(new SeamBlending(2, SeamBlending.Split.RANDOM).cacheKey()).isEqualTo("/blend2");
        assertThat(new SeamBlending(2, SeamBlending.Split.FULL).cacheKey()).isEqualTo("/blend2full");
    }

    @Test
    void badOverlapsAreRejectedNamingTheOption() {
        assertThatThrownBy(() -> blended(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blendOverlap must be >= 0");
        int cf = TINY.model().config().dit().chunkFrames();
        assertThatThrownBy(() -> session(blended(cf))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blendOverlap must be below the model's chunk_frames (" + cf + "), was " + cf);
        assertThatThrownBy(() -> blended(1).withRecompute(true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blendOverlap needs the cached context");
    }
}
