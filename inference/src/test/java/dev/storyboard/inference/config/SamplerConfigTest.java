package dev.storyboard.inference.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SamplerConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aModelWithoutTheNoisePriorHasIndependentFrames() throws Exception {
        SamplerConfig s = SamplerConfig.fromJson(JSON.readTree("{\"sampler\": \"euler\", \"steps\": 24, \"shift\": 3.0}"));
        assertThat(s.noiseCorrelation()).isZero();
        assertThat(s.continuationStart()).isEqualTo(1.0);
        assertThat(s.steps()).isEqualTo(24);
    }

    @Test
    void readsTheNoiseCorrelationAndRefusesOneOutsideZeroToOne() throws Exception {
        assertThat(SamplerConfig.fromJson(JSON.readTree("{\"noise_correlation\": 0.6}")).noiseCorrelation()).isEqualTo(0.6);
        assertThatThrownBy(() -> SamplerConfig.fromJson(JSON.readTree("{\"noise_correlation\": 1.0}")))
                .hasMessageContaining("noise_correlation must be in [0, 1), was 1.0");
    }

    @Test
    void readsTheContinuationStartAndRefusesOneOutsideZeroToOne() throws Exception {
        assertThat(SamplerConfig.fromJson(JSON.readTree("{\"continuation_start\": 0.9}")).continuationStart()).isEqualTo(0.9);
        assertThatThrownBy(() -> SamplerConfig.fromJson(JSON.readTree("{\"continuation_start\": 0}")))
                .hasMessageContaining("continuation_start must be in (0, 1], was 0.0");
    }

    @Test
    void layoutGuidanceIsOffUnlessTheModelNamesItAndAnUnknownSpellingIsRefusedByName() throws Exception {
        assertThat(SamplerConfig.fromJson(JSON.readTree("{}")).layoutGuidance()).isEqualTo(LayoutGuidance.NONE);
        assertThat(SamplerConfig.fromJson(JSON.readTree("{\"layout_guidance\": \"guided_chunks\"}")).layoutGuidance())
                .isEqualTo(LayoutGuidance.GUIDED_CHUNKS);
        assertThat(SamplerConfig.fromJson(JSON.readTree("{\"layout_guidance\": \"every_chunk\"}")).layoutGuidance())
                .isEqualTo(LayoutGuidance.EVERY_CHUNK);
        assertThatThrownBy(() -> SamplerConfig.fromJson(JSON.readTree("{\"layout_guidance\": \"first\"}")))
                .hasMessageContaining("sampler.layout_guidance must be one of none, guided_chunks, every_chunk, "
                        + "still_shot_chunks, was 'first'");
        assertThat(SamplerConfig.fromJson(JSON.readTree("{\"layout_guidance\": \"still_shot_chunks\"}")).layoutGuidance())
                .isEqualTo(LayoutGuidance.STILL_SHOT_CHUNKS);
        // which targets' unconditional rows drop the layout: guided ones, every one, or guided ones and a still shot's
        for (boolean still : new boolean[] {true, false}) {
            assertThat(LayoutGuidance.NONE.guidesLayout(true, still)).isFalse();
            assertThat(LayoutGuidance.GUIDED_CHUNKS.guidesLayout(true, still)).isTrue();
            assertThat(LayoutGuidance.GUIDED_CHUNKS.guidesLayout(false, still)).isFalse();
            assertThat(LayoutGuidance.EVERY_CHUNK.guidesLayout(false, still)).isTrue();
            assertThat(LayoutGuidance.STILL_SHOT_CHUNKS.guidesLayout(true, still)).isTrue();
        }
        assertThat(LayoutGuidance.STILL_SHOT_CHUNKS.guidesLayout(false, true)).as("a still shot's later chunk").isTrue();
        assertThat(LayoutGuidance.STILL_SHOT_CHUNKS.guidesLayout(false, false)).as("a moving shot's later chunk").isFalse();
    }

    @Test
    void aLayoutOnlyChunkTakesTheShotsScaleUnlessTheModelNamesOneForEveryChunkGuidance() throws Exception {
        SamplerConfig plain = SamplerConfig.fromJson(JSON.readTree("{\"layout_guidance\": \"every_chunk\"}"));
        assertThat(plain.layoutGuidanceScale()).isNaN();
        assertThat(plain.layoutOnlyScale(3.0)).isEqualTo(3.0);
        SamplerConfig own = SamplerConfig.fromJson(JSON.readTree(
                "{\"layout_guidance\": \"every_chunk\", \"layout_guidance_scale\": 1.5}"));
        assertThat(own.layoutOnlyScale(3.0)).isEqualTo(1.5);
        assertThat(own.layoutOnlyScale(5.0)).isEqualTo(1.5);
        assertThatThrownBy(() -> SamplerConfig.fromJson(JSON.readTree(
                "{\"layout_guidance\": \"guided_chunks\", \"layout_guidance_scale\": 1.5}")))
                .hasMessageContaining("layout_guidance_scale is the scale of the chunks guided on their layout alone: "
                        + "it needs layout_guidance every_chunk or still_shot_chunks, not 'guided_chunks'");
        assertThat(SamplerConfig.fromJson(JSON.readTree(
                "{\"layout_guidance\": \"still_shot_chunks\", \"layout_guidance_scale\": 1.5}")).layoutOnlyScale(3.0))
                .as("a still shot's later chunks take the model's layout scale too").isEqualTo(1.5);
        assertThatThrownBy(() -> SamplerConfig.fromJson(JSON.readTree(
                "{\"layout_guidance\": \"every_chunk\", \"layout_guidance_scale\": 0}")))
                .hasMessageContaining("sampler.layout_guidance_scale must be a positive number, was 0.0");
        assertThatThrownBy(() -> SamplerConfig.fromJson(JSON.readTree(
                "{\"layout_guidance\": \"every_chunk\", \"layout_guidance_scale\": \"high\"}")))
                .hasMessageContaining("sampler.layout_guidance_scale must be a number, was \"high\"");
    }

    @Test
    void layoutGuidanceRunsEveryStepUnlessTheModelNamesALowestTAndOnlyWhereLaterChunksAreGuided() throws Exception {
        assertThat(SamplerConfig.fromJson(JSON.readTree("{\"layout_guidance\": \"every_chunk\"}")).layoutGuidanceTMin())
                .isZero();
        assertThat(SamplerConfig.fromJson(JSON.readTree(
                "{\"layout_guidance\": \"still_shot_chunks\", \"layout_guidance_t_min\": 0.5}")).layoutGuidanceTMin())
                .isEqualTo(0.5);
        assertThatThrownBy(() -> SamplerConfig.fromJson(JSON.readTree(
                "{\"layout_guidance\": \"guided_chunks\", \"layout_guidance_t_min\": 0.5}")))
                .hasMessageContaining("layout_guidance_t_min bounds the steps of the chunks guided on their layout "
                        + "alone: it needs layout_guidance every_chunk or still_shot_chunks, not 'guided_chunks'");
        assertThatThrownBy(() -> SamplerConfig.fromJson(JSON.readTree(
                "{\"layout_guidance\": \"every_chunk\", \"layout_guidance_t_min\": 1}")))
                .hasMessageContaining("sampler.layout_guidance_t_min must be in [0, 1), was 1.0");
        assertThatThrownBy(() -> SamplerConfig.fromJson(JSON.readTree(
                "{\"layout_guidance\": \"every_chunk\", \"layout_guidance_t_min\": \"half\"}")))
                .hasMessageContaining("sampler.layout_guidance_t_min must be a number, was \"half\"");
    }

    @Test
    void theCameraNoiseIsStillUnlessTheModelNamesItsRates() throws Exception {
        assertThat(SamplerConfig.fromJson(JSON.readTree("{}")).cameraNoise()).isEqualTo(StoryDiTConfig.CameraMotion.STILL);
        SamplerConfig s = SamplerConfig.fromJson(JSON.readTree(
                "{\"camera_noise\": {\"pan_per_frame\": 1.024, \"log_zoom_per_frame\": -0.034, \"zoom_frames\": 15}}"));
        assertThat(s.cameraNoise().rates("pan_left")).containsExactly(-1.024, 0.0);
        assertThat(s.cameraNoise().rates("zoom_out")).containsExactly(0.0, 0.034);
        assertThat(s.cameraNoise().holdFrames()).isEqualTo(15);
        assertThatThrownBy(() -> SamplerConfig.fromJson(JSON.readTree("{\"camera_noise\": {\"pan_per_frame\": 1}}")))
                .hasMessageContaining("camera_noise needs numbers pan_per_frame, log_zoom_per_frame and zoom_frames");
        assertThatThrownBy(() -> SamplerConfig.fromJson(JSON.readTree(
                "{\"camera_noise\": {\"pan_per_frame\": \"fast\", \"log_zoom_per_frame\": 0, \"zoom_frames\": 15}}")))
                .hasMessageContaining("camera_noise needs numbers");
    }

    @Test
    void theContinuationAnchorIsStillUnlessTheModelNamesItAndCameraNeedsTheCameraRates() throws Exception {
        assertThat(SamplerConfig.fromJson(JSON.readTree("{}")).continuationAnchor()).isEqualTo(ContinuationAnchor.STILL);
        String rates = "\"camera_noise\": {\"pan_per_frame\": 1.024, \"log_zoom_per_frame\": -0.034, \"zoom_frames\": 15}";
        assertThat(SamplerConfig.fromJson(JSON.readTree("{\"continuation_anchor\": \"camera\", " + rates + "}"))
                .continuationAnchor()).isEqualTo(ContinuationAnchor.CAMERA);
        assertThatThrownBy(() -> SamplerConfig.fromJson(JSON.readTree("{\"continuation_anchor\": \"camera\"}")))
                .hasMessageContaining("sampler.continuation_anchor is camera, but sampler.camera_noise gives no camera rates");
        assertThatThrownBy(() -> SamplerConfig.fromJson(JSON.readTree("{\"continuation_anchor\": \"moving\", " + rates + "}")))
                .hasMessageContaining("sampler.continuation_anchor must be one of still, camera, was 'moving'");
    }
}
