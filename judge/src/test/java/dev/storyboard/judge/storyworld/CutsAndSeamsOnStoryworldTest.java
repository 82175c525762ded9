package dev.storyboard.judge.storyworld;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.judge.TestData;
import dev.storyboard.judge.metrics.SceneCutDetector;
import dev.storyboard.judge.metrics.TemporalMetrics;
import dev.storyboard.judge.video.Clip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The shots of a scene played back to back: a multishot scene has hard cuts at frames 16 and 32, a
 * continuation take (one take split into segments) has none and no visible seams.
 */
class CutsAndSeamsOnStoryworldTest {

    static Clip concatenated(Path export, String id) {
        StoryworldExport.LabelledScene scene = StoryworldExport.readScene(export.resolve(id), StoryworldExport.DEFAULT_FPS);
        List<byte[]> frames = new ArrayList<>();
        for (Clip c : scene.shots()) {
            for (int i = 0; i < c.frameCount(); i++) {
                frames.add(c.bgr(i));
            }
        }
        Clip first = scene.shots().get(0);
        return Clip.ofBgr(id, first.width(), first.height(), first.fps(), frames);
    }

    @Test
    void continuationTakesHaveNoCutsAndNoSuspiciousSeams() throws Exception {
        Path dir = TestData.continuation();
        int boundaries = 0;
        double maxScore = 0;
        for (String id : StoryworldExport.clipIds(dir)) {
            Clip take = concatenated(dir, id);
            assertThat(SceneCutDetector.detect(take, SceneCutDetector.Params.ANYWHERE).cuts()).as(id).isEmpty();
            for (TemporalMetrics.Seam s : TemporalMetrics.seams(take, new int[] {16, 32})) {
                assertThat(s.suspicious()).as(id + " seam at " + s.frame() + " score " + s.score()).isFalse();
                boundaries++;
                maxScore = Math.max(maxScore, s.score());
            }
        }
        Files.writeString(TestData.work().resolve("storyworld-continuation.md"), String.format(Locale.ROOT,
                "Continuation takes: 0 cuts, 0 suspicious seams at %d segment boundaries (largest seam score %.2f).%n",
                boundaries, maxScore));
    }

    @Test
    void multishotScenesShowTheirHardCuts() throws Exception {
        Path dir = TestData.clips();
        int expected = 0;
        int found = 0;
        int extra = 0;
        int flagged = 0;
        for (String id : StoryworldExport.clipIds(dir)) {
            Clip scene = concatenated(dir, id);
            for (int c : SceneCutDetector.detect(scene).cuts()) {
                if (c == 16 || c == 32) {
                    found++;
                } else {
                    extra++;
                }
            }
            expected += 2;
            for (TemporalMetrics.Seam s : TemporalMetrics.seams(scene, new int[] {16, 32})) {
                if (s.suspicious()) {
                    flagged++;
                }
            }
        }
        String md = String.format(Locale.ROOT, "Multishot scenes played back to back: SCuts finds %d of %d hard cuts "
                + "(%.1f %%) with %d false cuts; the seam score flags %d of %d (%.1f %%). Missed cuts join two views "
                + "of the same set whose HSV content change stays under PySceneDetect's minimum of 15.%n", found,
                expected, 100.0 * found / expected, extra, flagged, expected, 100.0 * flagged / expected);
        Files.writeString(TestData.work().resolve("storyworld-cuts.md"), md);
        assertThat(extra).as(md).isZero();
        assertThat(found / (double) expected).as(md).isGreaterThan(0.75);
        assertThat(flagged / (double) expected).as(md).isGreaterThan(0.85);
    }
}
