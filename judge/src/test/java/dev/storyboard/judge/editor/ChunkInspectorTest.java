package dev.storyboard.judge.editor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.judge.JudgeException;
import dev.storyboard.judge.Synthetic;
import dev.storyboard.judge.TestData;
import dev.storyboard.judge.storyworld.StoryworldExport;
import dev.storyboard.judge.video.Clip;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkInspectorTest {
    private final ChunkInspector inspector = new ChunkInspector();

    private static List<VideoFrame> frames(Synthetic.Painter p, int n) {
        return Synthetic.clip("shot", 64, 64, n, 8, p).toVideoFrames();
    }

    @Test
    void aSmoothContinuationRaisesNothing() {
        List<VideoFrame> f = frames((t, x, y) -> Synthetic.texture(x + 1.0 * t, y), 24);
        ChunkReport r = inspector.inspect(f, 16, 8);
        assertThat(r.flags()).isEmpty();
        assertThat(r.seam()).isNotNull();
        assertThat(r.seam().suspicious()).isFalse();
        assertThat(r.chunkEnd()).isEqualTo(24);
    }

    @Test
    void aJumpAtTheBoundaryIsASeam() {
        List<VideoFrame> f = frames((t, x, y) -> Synthetic.texture(x + 1.0 * t - (t >= 16 ? 8 : 0), y), 24);
        ChunkReport r = inspector.inspect(f, 16, 8);
        assertThat(r.suspiciousSeam()).isTrue();
        assertThat(r.flags()).allSatisfy(fl -> assertThat(fl.frame()).isEqualTo(16));
    }

    @Test
    void aNewSceneInsideTheChunkIsAnUnintendedCut() {
        List<VideoFrame> f = frames((t, x, y) -> t < 20 ? Synthetic.texture(x + t, y)
                : Synthetic.texture(x + 200 + t, y + 90) ^ 0x405060, 32);
        ChunkReport r = inspector.inspect(f, 16, 8);
        assertThat(r.unintendedCut()).isTrue();
        assertThat(r.flags()).anySatisfy(fl -> {
            assertThat(fl.type()).isEqualTo(ChunkFlag.Type.CUT);
            assertThat(fl.frame()).isEqualTo(20);
        });
        assertThat(r.suspiciousSeam()).isFalse();
    }

    @Test
    void aSingleBrightFrameIsAFlash() {
        List<VideoFrame> f = frames((t, x, y) -> t == 20 ? 0xFFFFFF : Synthetic.texture(x + 0.5 * t, y), 28);
        ChunkReport r = inspector.inspect(f, 16, 8);
        assertThat(r.flash()).isTrue();
        assertThat(r.flags()).anySatisfy(fl -> assertThat(fl.frame()).isEqualTo(20));
    }

    @Test
    void slowDarkeningIsDriftButAPanIsNot() {
        List<VideoFrame> dark = frames((t, x, y) -> {
            int c = Synthetic.texture(x + 0.5 * t, y);
            int d = (int) (1.2 * t);
            return Synthetic.clamp((c >> 16 & 255) - d) << 16 | Synthetic.clamp((c >> 8 & 255) - d) << 8
                    | Synthetic.clamp((c & 255) - d);
        }, 40);
        ChunkReport r = inspector.inspect(dark, 32, 8);
        assertThat(r.drift()).isTrue();
        assertThat(r.lumaShift()).isLessThan(-15);
        // a pan across a brightness gradient changes the mean, but not the compensated pixels
        List<VideoFrame> pan = frames((t, x, y) -> {
            double u = x + 2.0 * t;
            int v = Synthetic.clamp(40 + u * 1.5);
            return v << 16 | Synthetic.clamp(v * 0.8) << 8 | Synthetic.clamp(120 + 40 * Math.sin(y * 0.3 + u * 0.2));
        }, 40);
        ChunkReport p = inspector.inspect(pan, 32, 8);
        assertThat(p.drift()).isFalse();
    }

    @Test
    void storyworldContinuationChunksAreQuietAndAnInjectedFadeIsCaught() {
        Path dir = TestData.continuation();
        int flags = 0;
        int caught = 0;
        int takes = 0;
        for (String id : StoryworldExport.clipIds(dir).subList(0, 12)) {
            StoryworldExport.LabelledScene s = StoryworldExport.readScene(dir.resolve(id), 8);
            List<byte[]> all = new ArrayList<>();
            List<byte[]> faded = new ArrayList<>();
            byte[] first = s.shots().get(0).bgr(0);
            long sum = 0;
            for (byte v : first) {
                sum += v & 0xFF;
            }
            int sign = sum / first.length < 128 ? 1 : -1; // fade towards the middle so nothing clips
            for (Clip c : s.shots()) {
                for (int i = 0; i < c.frameCount(); i++) {
                    byte[] b = c.bgr(i);
                    all.add(b);
                    byte[] fb = b.clone();
                    int t = all.size() - 1;
                    for (int k = 0; k < fb.length; k++) {
                        fb[k] = (byte) Math.max(0, Math.min(255, (fb[k] & 0xFF) + sign * t)); // 1 level per frame
                    }
                    faded.add(fb);
                }
            }
            takes++;
            for (int start : new int[] {16, 32}) {
                ChunkReport r = inspector.inspect(Clip.ofBgr(id, 64, 64, 8, all.subList(0, start + 16)), start);
                flags += r.flags().size();
            }
            if (inspector.inspect(Clip.ofBgr(id, 64, 64, 8, faded), 32).drift()) {
                caught++;
            }
        }
        assertThat(flags).isZero();
        assertThat(caught).isEqualTo(takes);
    }

    @Test
    void badCallsSayWhatIsWrong() {
        assertThatThrownBy(() -> inspector.inspect(List.of(), 0, 8)).isInstanceOf(JudgeException.class)
                .hasMessageContaining("no frames");
        List<VideoFrame> f = frames((t, x, y) -> 0x808080, 4);
        assertThatThrownBy(() -> inspector.inspect(f, 4, 8)).isInstanceOf(JudgeException.class)
                .hasMessageContaining("chunk start 4 is outside");
        List<VideoFrame> mixed = new ArrayList<>(f);
        mixed.add(new VideoFrame(32, 32, new int[32 * 32]));
        assertThatThrownBy(() -> inspector.inspect(mixed, 2, 8)).isInstanceOf(JudgeException.class)
                .hasMessageContaining("frame 4 is 32x32 but frame 0 is 64x64");
        // one frame: nothing to compare yet, but no error and no NaN
        ChunkReport one = inspector.inspect(f.subList(0, 1), 0, 8);
        assertThat(one.flags()).isEmpty();
        assertThat(Double.isFinite(one.lumaShift())).isTrue();
    }
}
