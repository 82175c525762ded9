package dev.storyboard.judge.editor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.domain.quality.QualityFlag;
import dev.storyboard.judge.Synthetic;
import java.util.List;
import org.junit.jupiter.api.Test;

class EditorChunkCheckTest {
    private final EditorChunkCheck check = new EditorChunkCheck();

    private static List<VideoFrame> frames(Synthetic.Painter p, int n) {
        return Synthetic.clip("shot", 64, 64, n, 8, p).toVideoFrames();
    }

    @Test
    void aJumpAtTheChunkStartIsASeamFlagInTheDomainsWords() {
        List<VideoFrame> f = frames((t, x, y) -> Synthetic.texture(x + 1.0 * t - (t >= 16 ? 8 : 0), y), 24);
        List<QualityFlag> flags = check.inspect(f, 16, 8);
        assertThat(flags).isNotEmpty().allSatisfy(fl -> {
            assertThat(fl.frame()).isEqualTo(16);
            assertThat(fl.message()).isNotBlank();
        });
        assertThat(flags).extracting(QualityFlag::kind).contains("seam");
    }

    @Test
    void aSmoothChunkAndAShotTooShortToJudgeRaiseNothing() {
        List<VideoFrame> f = frames((t, x, y) -> Synthetic.texture(x + 1.0 * t, y), 24);
        assertThat(check.inspect(f, 16, 8)).isEmpty();
        assertThat(check.inspect(f.subList(0, 1), 0, 8)).isEmpty();
        assertThat(check.inspect(f, 24, 8)).as("no new frames").isEmpty();
    }
}
