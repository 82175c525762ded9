package dev.storyboard.inference.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The boxes-to-masks rule on hand-made boxes: floor to ceil, ends exclusive, NaN = no box. */
class BoxMasksTest {

    @Test
    void aBoxCoversFloorToCeilOfItsScaledEdges() {
        // 8 wide, 6 high: x 0.15·8 = 1.2 .. 0.4375·8 = 3.5 → columns 1..3; y 2/6 .. 4/6 → rows 2..3
        float[] mask = BoxMasks.masks(new float[] {0.15f, 2f / 6f, 0.4375f, 4f / 6f}, 6, 8);
        float[] expected = new float[6 * 8];
        for (int y = 2; y < 4; y++) {
            for (int x = 1; x < 4; x++) {
                expected[y * 8 + x] = 1f;
            }
        }
        assertThat(mask).containsExactly(expected);
    }

    @Test
    void aNanBoxIsNoBoxAndTheWholeFrameIsEveryPixel() {
        float nan = Float.NaN;
        float[] masks = BoxMasks.masks(new float[] {nan, nan, nan, nan, 0f, 0f, 1f, 1f}, 3, 4);
        for (int i = 0; i < 12; i++) {
            assertThat(masks[i]).isZero();
            assertThat(masks[12 + i]).isEqualTo(1f);
        }
    }

    @Test
    void boxesMustBeWhole() {
        assertThatThrownBy(() -> BoxMasks.masks(new float[5], 2, 2)).hasMessageContaining("not whole boxes of 4");
    }
}
