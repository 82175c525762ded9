package dev.storyboard.inference.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storyboard.inference.config.StoryDiTConfig;
import dev.storyboard.inference.testing.Fixtures;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The shared part of the shot noise prior, still or moving with the camera, against flow.camera_warped_noise. */
class SharedNoiseTest {
    private static final int C = 3;
    private static final int H = 16;
    private static final int W = 16;
    private static final int FRAME = C * H * W;

    @Test
    void readsTheSameCanvasElementsAsThePythonReference() {
        JsonNode index = Fixtures.CAMERA_NOISE.index();
        int c = index.get("channels").asInt();
        int h = index.get("height").asInt();
        int w = index.get("width").asInt();
        int zoomFrames = index.get("zoom_frames").asInt();
        float[] canvas = new float[c * 4 * h * w];
        for (int i = 0; i < canvas.length; i++) {
            canvas[i] = i;                                                    // each value its own flat index
        }
        for (JsonNode k : index.get("cases")) {
            double[] rates = {k.get("pan_per_frame").asDouble(), k.get("log_zoom_per_frame").asDouble()};
            SharedNoise.Moving moving = new SharedNoise.Moving(new StoryDiTConfig.CameraMotion(rates[0], rates[1], zoomFrames), c, h, w);
            float[] got = moving.read(canvas, k.get("first_frame").asInt(), k.get("frames").asInt());
            JsonNode reads = k.get("reads");
            assertThat(got).as(k.get("name").asText()).hasSize(reads.size());
            for (int i = 0; i < got.length; i++) {
                assertThat((int) got[i]).as("%s element %d", k.get("name").asText(), i).isEqualTo(reads.get(i).asInt());
            }
        }
    }

    @Test
    void aStillCameraIsTheUnwarpedSharedNoiseBitForBit() {
        assertThat(SharedNoise.moving(new double[] {0, 0}, 15, C, H, W)).isSameAs(SharedNoise.STILL);
        float[] one = GaussianNoise.frames(9, GaussianNoise.Purpose.SHOT_SHARED, 0, 1, FRAME);
        float[] still = SharedNoise.STILL.frames(9, 5, 2, FRAME);
        assertThat(Arrays.copyOfRange(still, 0, FRAME)).containsExactly(one);
        assertThat(Arrays.copyOfRange(still, FRAME, 2 * FRAME)).containsExactly(one);
        ShotNoisePrior prior = new ShotNoisePrior(0.7);
        assertThat(prior.initial(9, 4, 0, 3, FRAME, SharedNoise.STILL)).containsExactly(prior.initial(9, 4, 0, 3, FRAME));
    }

    @Test
    void aPanSlidesTheNoiseAcrossTheFrameAndChunksAgreeWithTheWholeShot() {
        SharedNoise pan = SharedNoise.moving(new double[] {1.0, 0.0}, 15, C, H, W);        // pan right, 1 px per frame
        float[] whole = pan.frames(3, 0, 8, FRAME);
        for (int ch = 0; ch < C; ch++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x + 7 < W; x++) {
                    // frame 7 at x shows the world point frame 0 showed at x + 7: the picture slides left
                    assertThat(whole[7 * FRAME + (ch * H + y) * W + x]).isEqualTo(whole[(ch * H + y) * W + x + 7]);
                }
            }
        }
        float[] later = pan.frames(3, 4, 4, FRAME);                                     // a later chunk, or an extension
        assertThat(later).containsExactly(Arrays.copyOfRange(whole, 4 * FRAME, 8 * FRAME));
        assertThat(Arrays.copyOfRange(whole, 0, FRAME)).isNotEqualTo(Arrays.copyOfRange(whole, FRAME, 2 * FRAME));
    }

    @Test
    void aLongPanWrapsAroundTheCanvasAndALongZoomHoldsAfterTheTrainedShot() {
        SharedNoise pan = SharedNoise.moving(new double[] {1.0, 0.0}, 15, C, H, W);
        float[] late = pan.frames(3, 200, 1, FRAME);                                    // 200 px on: past the canvas
        long distinct = IntStream.range(0, W).mapToDouble(x -> late[x]).distinct().count();
        assertThat(distinct).isEqualTo(W);                                              // no clamped edge smear
        assertThat(late).isEqualTo(pan.frames(3, 200 - 2 * W, 1, FRAME));               // the canvas repeats
        SharedNoise zoom = SharedNoise.moving(new double[] {0.0, Math.log(0.6) / 15}, 15, C, H, W);
        assertThat(zoom.frames(3, 400, 1, FRAME)).containsExactly(zoom.frames(3, 15, 1, FRAME));
        assertThat(zoom.frames(3, 14, 1, FRAME)).isNotEqualTo(zoom.frames(3, 15, 1, FRAME));
        SharedNoise endless = SharedNoise.moving(new double[] {0.0, Math.log(0.6) / 15}, 0, C, H, W);  // 0: never holds
        assertThat(endless.frames(3, 30, 1, FRAME)).isNotEqualTo(endless.frames(3, 15, 1, FRAME));
    }

    @Test
    void movingNoiseStaysStandardNormalAndRefusesAFrameOfAnotherSize() {
        float[] x = new ShotNoisePrior(0.7).initial(21, 21, 0, 16, FRAME,
                SharedNoise.moving(new double[] {0.0, Math.log(0.6) / 15}, 15, C, H, W));  // zoom in
        double mean = 0;
        double square = 0;
        for (float v : x) {
            mean += v;
            square += v * v;
        }
        mean /= x.length;
        assertThat(mean).isCloseTo(0.0, within(0.05));
        assertThat(square / x.length - mean * mean).isCloseTo(1.0, within(0.08));
        SharedNoise pan = SharedNoise.moving(new double[] {1.0, 0.0}, 15, C, H, W);
        assertThatThrownBy(() -> pan.frames(1, 0, 1, FRAME + 1)).hasMessageContaining("is not 3×16×16");
    }
}
