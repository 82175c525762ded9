package dev.storyboard.inference.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storyboard.inference.config.StoryDiTConfig;
import dev.storyboard.inference.sampler.FlowMatchSampler;
import dev.storyboard.inference.testing.Fixtures;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The continuation anchor carried by the shot's camera, against flow.camera_carried_frames. */
class AnchorFramesTest {
    private static final int C = 2;
    private static final int H = 6;
    private static final int W = 8;
    private static final int FRAME = C * H * W;

    @Test
    void readsTheSamePixelsAsThePythonReference() {
        JsonNode index = Fixtures.CAMERA_NOISE.index();
        int c = index.get("channels").asInt();
        int h = index.get("height").asInt();
        int w = index.get("width").asInt();
        int zoomFrames = index.get("zoom_frames").asInt();
        float[] frame = new float[c * h * w];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = i;                                                     // each value its own flat index
        }
        assertThat(index.get("carry_cases")).hasSizeGreaterThanOrEqualTo(5);
        for (JsonNode k : index.get("carry_cases")) {
            AnchorFrames.Camera camera = new AnchorFrames.Camera(new StoryDiTConfig.CameraMotion(
                    k.get("pan_per_frame").asDouble(), k.get("log_zoom_per_frame").asDouble(), zoomFrames), c, h, w);
            float[] got = camera.frames(frame, k.get("from_frame").asInt(), k.get("first_frame").asInt(),
                    k.get("frames").asInt());
            JsonNode reads = k.get("reads");
            assertThat(got).as(k.get("name").asText()).hasSize(reads.size());
            for (int i = 0; i < got.length; i++) {
                assertThat((int) got[i]).as("%s element %d", k.get("name").asText(), i).isEqualTo(reads.get(i).asInt());
            }
        }
    }

    @Test
    void aPanCarriesThePictureAcrossTheFrameAndRepeatsTheEdgeItHasNotSeen() {
        float[] frame = ramp();
        AnchorFrames pan = AnchorFrames.camera(new double[] {1.0, 0.0}, 15, C, H, W);        // 1 px per frame, right
        float[] carried = pan.frames(frame, 3, 4, 2);                                       // frames 4 and 5 from 3
        for (int ch = 0; ch < C; ch++) {
            for (int y = 0; y < H; y++) {
                int row = (ch * H + y) * W;
                for (int x = 0; x < W; x++) {
                    // frame 4 shows at x what frame 3 showed at x + 1; frame 5 at x + 2; past the edge, the edge
                    assertThat(carried[row + x]).isEqualTo(frame[row + Math.min(W - 1, x + 1)]);
                    assertThat(carried[FRAME + row + x]).isEqualTo(frame[row + Math.min(W - 1, x + 2)]);
                }
            }
        }
    }

    @Test
    void aStillCameraRepeatsTheFrameBitForBitAndAZoomHoldsAfterTheTrainedShot() {
        float[] frame = ramp();
        assertThat(AnchorFrames.camera(new double[] {0, 0}, 15, C, H, W)).isSameAs(AnchorFrames.STILL);
        float[] still = AnchorFrames.STILL.frames(frame, 6, 7, 3);
        for (int f = 0; f < 3; f++) {
            assertThat(Arrays.copyOfRange(still, f * FRAME, (f + 1) * FRAME)).containsExactly(frame);
        }
        AnchorFrames zoom = AnchorFrames.camera(new double[] {0.0, -Math.log(0.6) / 15}, 15, C, H, W);   // zoom out
        assertThat(zoom.frames(frame, 20, 21, 2)).isEqualTo(AnchorFrames.STILL.frames(frame, 20, 21, 2));  // held
        float[] out = zoom.frames(frame, 0, 10, 1);                                         // 1.4 times as wide
        assertThat(out).isNotEqualTo(frame);
        assertThatThrownBy(() -> zoom.frames(new float[FRAME - 1], 2, 3, 1)).hasMessageContaining("is not 2×6×8");
    }

    @Test
    void aContinuingTargetStartsFromTheCarriedFrameAndAShotsFirstChunkFromNoise() {
        FlowMatchSampler sampler = new FlowMatchSampler(FlowMatchSampler.Method.EULER, 4, 1.0);
        AnchorFrames pan = AnchorFrames.camera(new double[] {-1.0, 0.0}, 15, C, H, W);
        ContinuationStart t0 = new ContinuationStart(0.5);
        Sampling moving = new Sampling(5, 5, 3.0, sampler, ShotNoisePrior.INDEPENDENT, SharedNoise.STILL, pan, t0);
        float[] shot = new float[4 * FRAME];
        float[] previous = ramp();
        System.arraycopy(previous, 0, shot, FRAME, FRAME);                                  // frame 1
        Sampling.Start later = moving.start(2, 2, FRAME, shot);
        assertThat(later.x()).containsExactly(t0.start(moving.initialNoise(2, 2, FRAME), pan.frames(previous, 1, 2, 2)));
        assertThat(later.x()).isNotEqualTo(t0.start(moving.initialNoise(2, 2, FRAME),
                AnchorFrames.STILL.frames(previous, 1, 2, 2)));
        assertThat(moving.start(0, 2, FRAME, shot).x()).containsExactly(moving.initialNoise(0, 2, FRAME));
    }

    private static float[] ramp() {
        float[] frame = new float[FRAME];
        for (int i = 0; i < FRAME; i++) {
            frame[i] = i * 0.5f - 7f;
        }
        return frame;
    }
}
