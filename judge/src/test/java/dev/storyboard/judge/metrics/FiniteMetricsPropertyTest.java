package dev.storyboard.judge.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.judge.Synthetic;
import dev.storyboard.judge.report.ReportWriter;
import dev.storyboard.judge.report.Reports;
import dev.storyboard.judge.video.Clip;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Whatever the pixels, every metric is a finite number and the report can be written. */
class FiniteMetricsPropertyTest {

    @Property(tries = 25)
    void metricsOfArbitraryClipsAreFinite(@ForAll @IntRange(min = 4, max = 40) int w,
                                          @ForAll @IntRange(min = 4, max = 40) int h,
                                          @ForAll @IntRange(min = 2, max = 7) int frames,
                                          @ForAll @IntRange(min = 0, max = 3) int style,
                                          @ForAll long seed) {
        Random rnd = new Random(seed);
        int base = rnd.nextInt(0x1000000);
        Clip clip = Synthetic.clip("p", w, h, frames, 1 + rnd.nextInt(60), (f, x, y) -> switch (style) {
            case 0 -> base; // flat
            case 1 -> rnd.nextInt(0x1000000); // noise
            case 2 -> f % 2 == 0 ? 0 : 0xFFFFFF; // strobe
            default -> Synthetic.texture(x + f * rnd.nextDouble() * 3, y);
        });
        int[] boundaries = frames > 2 ? new int[] {frames / 2} : new int[0];
        ShotMetrics m = ShotMetrics.compute(clip, boundaries);
        Reports.SceneReport scene = new Reports.SceneReport("s", null, "ok", null,
                List.of(new Reports.ShotReport("s/0", 0, m, null, Map.of(), Map.of())), null, null, null, 0);
        Reports.EvalReport report = new Reports.EvalReport("t", "now", Map.of(), 0,
                List.of(new Reports.RunReport("r", 1, 1, frames, 0, Map.of(), Map.of(), List.of(scene))));
        String json = ReportWriter.toJsonString(report);
        assertThat(json).doesNotContain("NaN").doesNotContain("Infinity");
    }
}
