package dev.storyboard.domain.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EditorialRateTest {

    @Test
    void parsesTheStandardRatesAndNamesThemAsEditorsDo() {
        assertThat(EditorialRate.parse("24")).isEqualTo(new EditorialRate(24, 1));
        assertThat(EditorialRate.parse("23.976")).isEqualTo(new EditorialRate(24000, 1001));
        assertThat(EditorialRate.parse("23.98")).isEqualTo(EditorialRate.FPS_23_976);
        assertThat(EditorialRate.parse(" 29.97 ")).isEqualTo(new EditorialRate(30000, 1001));
        assertThat(EditorialRate.parse("30000/1001")).isEqualTo(EditorialRate.FPS_29_97);
        assertThat(EditorialRate.STANDARD).extracting(EditorialRate::label)
                .containsExactly("23.976", "24", "25", "29.97", "30", "50", "60");
        assertThat(EditorialRate.STANDARD).extracting(EditorialRate::timecodeBase)
                .containsExactly(24, 24, 25, 30, 30, 50, 60);
        assertThat(EditorialRate.DEFAULT_TIMELINE).isEqualTo(EditorialRate.FPS_24);
        assertThat(new EditorialRate(48, 2)).isEqualTo(EditorialRate.FPS_24);
        assertThatThrownBy(() -> EditorialRate.parse("8")).hasMessage("unknown frame rate '8', expected one of "
                + "23.976|24|25|29.97|30|50|60");
        assertThatThrownBy(() -> new EditorialRate(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void twentyFourFromEightHoldsEveryFrameExactlyThreeTimes() {
        for (int k = 0; k < 100; k++) {
            assertThat(EditorialRate.FPS_24.recordFrame(k, 8)).isEqualTo(3L * k);
        }
        for (int g = 0; g < 300; g++) {
            assertThat(EditorialRate.FPS_24.sourceFrameAt(g, 8)).isEqualTo(g / 3);
        }
        assertThat(EditorialRate.of(8).recordFrame(37, 8)).isEqualTo(37);
    }

    @Test
    void sourceFrameAtIsTheInverseOfRecordFrameForEveryRate() {
        for (EditorialRate rate : EditorialRate.STANDARD) {
            for (int fps : new int[] {8, 12, 24}) {
                long k = 0;
                for (long g = 0; g < 2000; g++) {
                    while (rate.recordFrame(k + 1, fps) <= g) {
                        k++;
                    }
                    assertThat(rate.sourceFrameAt(g, fps)).as(rate + " from " + fps + " at record frame " + g).isEqualTo(k);
                }
            }
        }
    }

    /** Every cut (here: every source frame boundary) is within half a record frame of its true time, however long the scene. */
    @Test
    void cutsAreRoundedOnTheWholeTimelineSoErrorsNeverAddUp() {
        Random random = new Random(23);
        for (EditorialRate rate : EditorialRate.STANDARD) {
            long cut = 0;
            long recordSum = 0;
            for (int shot = 0; shot < 2000; shot++) {
                int frames = 1 + random.nextInt(40);
                recordSum += rate.recordFrames(cut, cut + frames, 8);
                cut += frames;
                double trueSeconds = cut / 8.0;
                double placedSeconds = recordSum / rate.fps();
                assertThat(Math.abs(placedSeconds - trueSeconds) * rate.fps()).as(rate + " cut " + shot)
                        .isLessThanOrEqualTo(0.5 + 1e-9);
            }
        }
        // per-shot rounding would drift: 12 frames at 8 fps = 37.5 frames at 25 fps; two shots must give 75, not 76
        assertThat(EditorialRate.FPS_25.recordFrames(0, 12, 8) + EditorialRate.FPS_25.recordFrames(12, 24, 8)).isEqualTo(75);
        assertThat(EditorialRate.FPS_25.recordFrames(0, 12, 8)).isEqualTo(38);
        assertThat(EditorialRate.FPS_25.recordFrames(12, 24, 8)).isEqualTo(37);
    }
}
