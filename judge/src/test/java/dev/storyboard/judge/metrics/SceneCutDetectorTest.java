package dev.storyboard.judge.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storyboard.judge.JudgeException;
import dev.storyboard.judge.Synthetic;
import dev.storyboard.judge.video.Clip;
import dev.storyboard.judge.video.Frames;
import org.junit.jupiter.api.Test;

class SceneCutDetectorTest {

    /** Moving texture whose content changes to another texture at the given frames. */
    private static Clip scenes(int frames, int... cutsAt) {
        return Synthetic.clip("scenes", 64, 48, frames, 24, (f, x, y) -> {
            int scene = 0;
            for (int c : cutsAt) {
                if (f >= c) {
                    scene++;
                }
            }
            int off = scene * 37;
            return Synthetic.texture(x + f * 0.7 + off, y + off * 2) ^ (scene * 0x402010);
        });
    }

    @Test
    void findsHardCutsAtTheFirstFrameOfTheNewScene() {
        SceneCutDetector.Result r = SceneCutDetector.detect(scenes(80, 30, 55));
        assertThat(r.cuts()).containsExactly(30, 55);
        assertThat(r.contentValues()[0]).isZero();
        assertThat(r.contentValues()[30]).isGreaterThan(15);
        assertThat(r.adaptiveRatios()[30]).isGreaterThanOrEqualTo(3.0);
    }

    @Test
    void minSceneLengthSuppressesCutsCloseToThePreviousOneAndToTheStart() {
        // PySceneDetect: the first frame counts as a cut; t + window - lastCut >= 15 is required
        assertThat(SceneCutDetector.detect(scenes(60, 10, 40)).cuts()).containsExactly(40);
        assertThat(SceneCutDetector.detect(scenes(60, 20, 28, 50)).cuts()).containsExactly(20, 50);
        // the editor's variant lets the first cut fall anywhere, also in the first and last frames
        assertThat(SceneCutDetector.detect(scenes(60, 10, 40), SceneCutDetector.Params.ANYWHERE).cuts())
                .containsExactly(10, 40);
        assertThat(SceneCutDetector.detect(scenes(40, 1), SceneCutDetector.Params.ANYWHERE).cuts()).containsExactly(1);
        assertThat(SceneCutDetector.detect(scenes(40, 39), SceneCutDetector.Params.ANYWHERE).cuts()).containsExactly(39);
        assertThat(SceneCutDetector.detect(scenes(40, 39)).cuts()).isEmpty();
    }

    @Test
    void steadyMotionAndStillFramesAreNoCut() {
        Clip pan = Synthetic.clip("pan", 64, 48, 60, 24, (f, x, y) -> Synthetic.texture(x + 3.0 * f, y));
        assertThat(SceneCutDetector.detect(pan).cuts()).isEmpty();
        Clip still = Synthetic.clip("still", 32, 32, 20, 24, (f, x, y) -> 0x808080);
        SceneCutDetector.Result r = SceneCutDetector.detect(still);
        assertThat(r.cuts()).isEmpty();
        assertThat(r.adaptiveRatios()).containsOnly(0.0);
    }

    @Test
    void matchesAHandComputedContentValue() {
        // frame 0 black, frame 1 pure blue (BGR 255,0,0): OpenCV HSV of blue is (120, 255, 255)
        Clip c = Synthetic.clip("two", 8, 8, 2, 24, (f, x, y) -> f == 0 ? 0x000000 : 0x0000FF);
        SceneCutDetector.Result r = SceneCutDetector.detect(c);
        assertThat(r.contentValues()[1]).isEqualTo((120 + 255 + 255) / 3.0);
    }

    @Test
    void downscalesLikeSceneManager() {
        assertThat(Frames.sceneDetectSize(720, 528)).containsExactly(256, 188);
        assertThat(Frames.sceneDetectSize(768, 576)).containsExactly(256, 192);
        assertThat(Frames.sceneDetectSize(1920, 1080)).containsExactly(256, 144);
        assertThat(Frames.sceneDetectSize(64, 64)).containsExactly(64, 64);
        assertThat(Frames.sceneDetectSize(256, 100)).containsExactly(256, 100);
    }

    @Test
    void rejectsFramesOfAnotherSize() {
        SceneCutDetector d = new SceneCutDetector();
        d.accept(new byte[8 * 8 * 3], 8, 8);
        assertThatThrownBy(() -> d.accept(new byte[4 * 4 * 3], 4, 4)).isInstanceOf(JudgeException.class)
                .hasMessageContaining("frame 1 is 4x4 but frame 0 is 8x8");
        assertThatThrownBy(() -> new SceneCutDetector().finish()).isInstanceOf(JudgeException.class)
                .hasMessageContaining("no frames");
    }
}
