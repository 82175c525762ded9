package dev.storyboard.judge.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.storyboard.judge.Synthetic;
import dev.storyboard.judge.video.Clip;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MotionAndTemporalMetricsTest {

    @Test
    void smoothTranslationHasFlowOfItsSpeedAndLittleWarpError() {
        Clip pan = Synthetic.clip("pan", 64, 64, 10, 24, (f, x, y) -> Synthetic.texture(x + 1.5 * f, y));
        MotionMetrics.Result r = MotionMetrics.compute(pan);
        assertThat(r.meanFlow()).isCloseTo(1.5, within(0.3));
        assertThat(r.stagnant()).isFalse();
        assertThat(r.warpError()).isLessThan(15.0);
        assertThat(r.mawe()).isLessThan(10.0);
    }

    @Test
    void flickeringNoiseHasLargeWarpErrorAndMawe() {
        Random rnd = new Random(1);
        int[][] noise = new int[10][64 * 64];
        for (int[] n : noise) {
            for (int i = 0; i < n.length; i++) {
                n[i] = rnd.nextInt(0x1000000);
            }
        }
        Clip boil = Synthetic.clip("boil", 64, 64, 10, 24, (f, x, y) -> noise[f][y * 64 + x]);
        Clip pan = Synthetic.clip("pan", 64, 64, 10, 24, (f, x, y) -> Synthetic.texture(x + 1.5 * f, y));
        MotionMetrics.Result bad = MotionMetrics.compute(boil);
        MotionMetrics.Result good = MotionMetrics.compute(pan);
        assertThat(bad.warpError()).isGreaterThan(20 * good.warpError());
        assertThat(bad.mawe()).isGreaterThan(10 * good.mawe());
        assertThat(TemporalMetrics.compute(boil).flicker()).isGreaterThan(40);
    }

    @Test
    void aStillClipIsStagnantWithFiniteMawe() {
        Clip still = Synthetic.clip("still", 32, 32, 6, 24, (f, x, y) -> Synthetic.texture(x, y));
        MotionMetrics.Result r = MotionMetrics.compute(still);
        assertThat(r.meanFlow()).isLessThan(0.05);
        assertThat(r.stagnant()).isTrue();
        assertThat(r.warpError()).isLessThan(1.0);
        assertThat(Double.isFinite(r.mawe())).isTrue();
        Clip black = Synthetic.clip("black", 16, 16, 3, 24, (f, x, y) -> 0);
        MotionMetrics.Result z = MotionMetrics.compute(black);
        assertThat(z.mawe()).isZero();
        assertThat(Double.isFinite(z.occludedFraction())).isTrue();
    }

    @Test
    void brighteningIsMeasuredAsLumaDriftPerSecondAndStartToEnd() {
        // grey rising 2 levels per frame at 10 fps: 20 levels per second, 38 from frame 0 to 19
        Clip up = Synthetic.clip("up", 16, 16, 20, 10, (f, x, y) -> {
            int v = 60 + 2 * f;
            return v << 16 | v << 8 | v;
        });
        TemporalMetrics.Result r = TemporalMetrics.compute(up);
        assertThat(r.lumaDrift().slopePerSecond()).isCloseTo(20.0, within(0.2));
        // means of the first and last 4 frames: 63 and 95
        assertThat(r.lumaDrift().startToEnd()).isCloseTo(32.0, within(0.5));
        assertThat(r.saturationDrift().slopePerSecond()).isZero();
        assertThat(r.flicker()).isCloseTo(2.0, within(0.01));
    }

    @Test
    void desaturationIsSaturationDrift() {
        Clip fade = Synthetic.clip("fade", 8, 8, 10, 10, (f, x, y) -> 200 << 16 | (40 + 10 * f) << 8 | (40 + 10 * f));
        TemporalMetrics.Result r = TemporalMetrics.compute(fade);
        assertThat(r.saturationDrift().startToEnd()).isLessThan(-0.3);
        assertThat(r.saturationDrift().slopePerSecond()).isNegative();
    }

    @Test
    void seamScoreSeparatesAJumpFromSmoothMotion() {
        // smooth pan, but the second chunk (from frame 8) restarts 9 px back: a visible seam
        Clip jump = Synthetic.clip("jump", 64, 64, 16, 24, (f, x, y) -> Synthetic.texture(x + 1.0 * f - (f >= 8 ? 9 : 0), y));
        Clip smooth = Synthetic.clip("smooth", 64, 64, 16, 24, (f, x, y) -> Synthetic.texture(x + 1.0 * f, y));
        List<TemporalMetrics.Seam> bad = TemporalMetrics.seams(jump, new int[] {8});
        List<TemporalMetrics.Seam> good = TemporalMetrics.seams(smooth, new int[] {8});
        assertThat(bad.get(0).suspicious()).isTrue();
        assertThat(bad.get(0).score()).isGreaterThan(3.0);
        assertThat(good.get(0).suspicious()).isFalse();
        assertThat(good.get(0).score()).isCloseTo(1.0, within(0.3));
    }

    @Test
    void seamRatioComparesTheChangeAcrossChunkSeamsWithTheChangeInsideChunks() {
        // chunks of 4: the pairs across boundaries 4, 8, 12 change by 9, the others by 3
        double[] d = new double[15];
        for (int p = 0; p < d.length; p++) {
            d[p] = (p + 1) % 4 == 0 ? 9.0 : 3.0;
        }
        double[] change = TemporalMetrics.seamAndInnerChange(d, new int[] {4, 8, 12});
        assertThat(change[0]).isEqualTo(9.0);
        assertThat(change[1]).isEqualTo(3.0);

        Clip jump = Synthetic.clip("jump", 64, 64, 16, 24, (f, x, y) -> Synthetic.texture(x + 1.0 * f - (f >= 8 ? 9 : 0), y));
        Clip smooth = Synthetic.clip("smooth", 64, 64, 16, 24, (f, x, y) -> Synthetic.texture(x + 1.0 * f, y));
        ShotMetrics lurch = ShotMetrics.compute(jump, new int[] {8});
        ShotMetrics even = ShotMetrics.compute(smooth, new int[] {8});
        assertThat(lurch.seamChange() / lurch.innerChange()).isGreaterThan(3.0);
        assertThat(even.seamChange() / even.innerChange()).isCloseTo(1.0, within(0.3));
        ShotMetrics unchunked = ShotMetrics.compute(smooth, new int[0]);
        assertThat(unchunked.seamChange()).isZero();
        assertThat(unchunked.innerChange()).isZero();
    }

    @Test
    void globalMotionSeesPansAndZooms() {
        Clip panLeft = Synthetic.clip("pan", 64, 64, 9, 24, (f, x, y) -> Synthetic.texture(x - 1.0 * f, y));
        GlobalMotion.Result p = GlobalMotion.estimate(panLeft, null);
        assertThat(p.totalShiftX()).isCloseTo(8.0, within(0.5)); // content moves right: the camera pans left
        assertThat(p.totalScale()).isCloseTo(1.0, within(0.02));
        Clip zoomIn = Synthetic.clip("zoom", 64, 64, 9, 24, (f, x, y) -> {
            double s = Math.pow(1.03, f);
            return Synthetic.texture(32 + (x + 0.5 - 32) / s, 32 + (y + 0.5 - 32) / s);
        });
        GlobalMotion.Result z = GlobalMotion.estimate(zoomIn, null);
        assertThat(z.totalScale()).isCloseTo(Math.pow(1.03, 8), within(0.05));
        assertThat(z.totalShiftX()).isCloseTo(0.0, within(1.0));
    }
}
