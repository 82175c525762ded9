package dev.storyboard.inference.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storyboard.inference.config.ContinuationAnchor;
import dev.storyboard.inference.config.FrameCodecConfig;
import dev.storyboard.inference.config.LayoutGuidance;
import dev.storyboard.inference.config.StoryDiTConfig;
import dev.storyboard.inference.layout.BoxPlanner;
import dev.storyboard.inference.testing.Fixtures;
import dev.storyboard.inference.weights.SafeTensors;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** config.json parsing: the old VAE models unchanged, the pixel / x-prediction / shot-label keys, and bad values. */
class ModelConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode read(Path modelDir) throws Exception {
        return (ObjectNode) JSON.readTree(modelDir.resolve(ModelConfig.FILE_NAME).toFile());
    }

    private static Path bundledModel() {
        return Fixtures.dir().resolve("../../../assets/src/main/resources/storyboard/models/default").normalize();
    }

    @Test
    void configsWithoutTheNewKeysAreTheOldModels() throws Exception {
        ObjectNode root = read(Fixtures.modelDir());        // the format of storydit-s, bundled until session 22
        assertThat(root.has("codec")).isFalse();
        assertThat(root.path("dit").has("prediction")).isFalse();
        ModelConfig c = ModelConfig.parse(root);
        assertThat(c.codec()).isInstanceOf(FrameCodecConfig.Vae.class);
        assertThat(c.vae()).isPresent();
        assertThat(c.dit().prediction()).isEqualTo(StoryDiTConfig.Prediction.V);
        assertThat(c.dit().xPredTMin()).isEqualTo(0.05);
        assertThat(c.dit().shotCond()).isFalse();
        assertThat(c.dit().cameras()).containsExactly("static", "pan_left", "pan_right", "zoom_in", "zoom_out");
        assertThat(c.dit().shotSizes()).containsExactly("wide", "medium", "close_up");
    }

    @Test
    void theBundledModelIsThePixelSpaceUNetModelWithCameraRopeTheActorsPaintedSilhouetteAndItsLayoutGuidedCameraAnchoredSampler() throws Exception {
        ModelConfig c = ModelConfig.parse(read(bundledModel()));
        assertThat(read(bundledModel()).path("name").asText()).isEqualTo("storydit-v11");
        assertThat(c.codec()).isEqualTo(new FrameCodecConfig.Pixel(64));
        assertThat(c.vae()).isEmpty();
        assertThat(c.dit().prediction()).isEqualTo(StoryDiTConfig.Prediction.X);
        assertThat(c.dit().shotCond()).isTrue();
        assertThat(c.dit().convDecoderWidth()).isEqualTo(16);
        assertThat(c.dit().convEncoder()).isTrue();
        // decision 0011: 16 steps (as good as 24); decision 0023: 8 (ahead of 16 on the validation sets, half the
        // forwards); decisions 0009 and 0010
        assertThat(c.sampler().steps()).isEqualTo(8);
        assertThat(c.sampler().noiseCorrelation()).isEqualTo(0.7);
        assertThat(c.sampler().continuationStart()).isEqualTo(0.9);
        // decision 0020: guidance acts on the actor's layout too; decision 0022: on every chunk, the later chunks
        // (guided on their layout alone) at 1.5, every step
        assertThat(c.sampler().layoutGuidance()).isEqualTo(LayoutGuidance.EVERY_CHUNK);
        assertThat(c.sampler().layoutOnlyScale(3.0)).isEqualTo(1.5);
        assertThat(c.sampler().layoutGuidanceTMin()).isZero();
        // decision 0021: a continuing chunk starts from the frame before it carried by the shot's camera
        assertThat(c.sampler().continuationAnchor()).isEqualTo(ContinuationAnchor.CAMERA);
        // decision 0012: camera RoPE at the storyworld camera's rates (0.24 view heights over a 16-frame shot, 4 patches)
        assertThat(c.dit().cameraMotion()).isNotNull();
        assertThat(c.dit().cameraMotion().panPerFrame()).isCloseTo(0.064, within(1e-9));
        // decision 0013: the shared noise moves with the camera, in pixels (16 per patch); decision 0022: 1.5x the
        // camera RoPE's rate, as the model draws the camera at about half its rate
        assertThat(c.sampler().cameraNoise().panPerFrame()).isCloseTo(1.5 * 16 * 0.064, within(1e-9));
        assertThat(c.sampler().cameraNoise().logZoomPerFrame())
                .isCloseTo(1.5 * c.dit().cameraMotion().logZoomPerFrame(), within(1e-9)).isNegative();
        assertThat(c.sampler().cameraNoise().holdFrames()).isEqualTo(15);              // zooms hold after 16 frames
        assertThat(c.dit().cameraMotion().holdFrames()).isEqualTo(15);
        // decision 0014: the actor's box per frame, planned by the layout planner the model folder carries
        assertThat(c.dit().actorBoxCond()).isTrue();
        assertThat(c.boxPlanner()).isPresent();
        // decision 0015: the box input draws the planned silhouette of the kind the planner names for the scene;
        // decision 0016: painted the colour the planner names for the scene (4 channels)
        assertThat(c.dit().actorLayout()).isEqualTo(StoryDiTConfig.ActorLayout.PAINTED);
        assertThat(c.boxPlanner().get().kinds())
                .containsExactly("ball", "cube", "pyramid", "star", "ring", "bird", "fish");
        assertThat(c.boxPlanner().get().colours()).containsExactly(
                "red", "orange", "yellow", "green", "teal", "blue", "purple", "pink", "white", "black");
        // decision 0017: each kind's template is one rendered pose (the medoid), not the mean of its poses, so
        // fewer of its texels are soft (between 0.2 and 0.8): 10.6 % of the bundled planner's, 16.1 % of the means'
        float[] templates = SafeTensors.read(bundledModel().resolve(BoxPlanner.FILE)).floats("templates");
        long soft = 0;
        for (float texel : templates) {
            soft += texel > 0.2f && texel < 0.8f ? 1 : 0;
        }
        assertThat(templates).hasSize(7 * c.boxPlanner().get().templateSize() * c.boxPlanner().get().templateSize());
        assertThat((double) soft / templates.length).isLessThan(0.13);
    }

    @Test
    void pixelModelHasNoVaeAndPixelSizedLatents() throws Exception {
        ModelConfig c = ModelConfig.parse(read(Fixtures.TINY_PIXEL.modelDir()));
        assertThat(c.codec()).isEqualTo(new FrameCodecConfig.Pixel(32));
        assertThat(c.vae()).isEmpty();
        assertThat(c.dit().latentChannels()).isEqualTo(3);
        assertThat(c.dit().latentH()).isEqualTo(32);
        assertThat(c.dit().prediction()).isEqualTo(StoryDiTConfig.Prediction.X);
        assertThat(c.dit().shotCond()).isTrue();
        assertThat(c.dit().cameraLabels()).isEqualTo(6);
        assertThat(c.dit().shotSizeLabels()).isEqualTo(4);
    }

    @Test
    void pixelLatentShapeMustBeThreeTimesImageSize() throws Exception {
        ObjectNode root = read(Fixtures.TINY_PIXEL.modelDir());
        ((ObjectNode) root.path("dit")).put("latent_channels", 4);
        assertThatThrownBy(() -> ModelConfig.parse(root)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("latent shape");
        ObjectNode small = read(Fixtures.TINY_PIXEL.modelDir());
        small.put("image_size", 64);
        assertThatThrownBy(() -> ModelConfig.parse(small)).hasMessageContaining("latent shape");
    }

    @Test
    void badValuesAreNamed() throws Exception {
        ObjectNode codec = read(Fixtures.TINY_PIXEL.modelDir());
        codec.put("codec", "jpeg");
        assertThatThrownBy(() -> ModelConfig.parse(codec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("codec 'jpeg'");
        ObjectNode prediction = read(Fixtures.TINY_PIXEL.modelDir());
        ((ObjectNode) prediction.path("dit")).put("prediction", "eps");
        assertThatThrownBy(() -> ModelConfig.parse(prediction)).hasMessageContaining("prediction").hasMessageContaining("eps");
        ObjectNode tMin = read(Fixtures.TINY_PIXEL.modelDir());
        ((ObjectNode) tMin.path("dit")).put("x_pred_t_min", 0.0);
        assertThatThrownBy(() -> ModelConfig.parse(tMin)).hasMessageContaining("x_pred_t_min");
        ObjectNode cameras = read(Fixtures.TINY_PIXEL.modelDir());
        ((ObjectNode) cameras.path("dit")).put("cameras", "static");
        assertThatThrownBy(() -> ModelConfig.parse(cameras)).hasMessageContaining("cameras");
        ObjectNode refiner = read(Fixtures.TINY_PIXEL.modelDir());
        ((ObjectNode) refiner.path("dit")).put("refiner_width", 32);
        assertThatThrownBy(() -> ModelConfig.parse(refiner)).hasMessageContaining("refiner_width 32");
        ObjectNode encoder = read(Fixtures.TINY_PIXEL.modelDir());
        ((ObjectNode) encoder.path("dit")).put("conv_encoder", true);
        assertThatThrownBy(() -> ModelConfig.parse(encoder)).hasMessageContaining("conv_encoder needs the conv decoder");
        ObjectNode vDecoder = read(Fixtures.modelDir());
        ((ObjectNode) vDecoder.path("dit")).put("conv_decoder_width", 4);
        assertThatThrownBy(() -> ModelConfig.parse(vDecoder)).hasMessageContaining("conv_decoder_width needs x-prediction");
        ObjectNode oddPatch = read(Fixtures.TINY_PIXEL.modelDir());
        ((ObjectNode) oddPatch.path("dit")).put("conv_decoder_width", 4).put("patch_h", 4);
        assertThatThrownBy(() -> ModelConfig.parse(oddPatch)).hasMessageContaining("square power-of-two patches");
        ObjectNode selfCond = read(Fixtures.TINY_UNET.modelDir());
        ((ObjectNode) selfCond.path("dit")).put("self_cond", true);
        assertThatThrownBy(() -> ModelConfig.parse(selfCond)).hasMessageContaining("self_cond");
        ObjectNode resBlocks = read(Fixtures.TINY_UNET.modelDir());
        ((ObjectNode) resBlocks.path("dit")).put("conv_res_blocks", 1);
        assertThatThrownBy(() -> ModelConfig.parse(resBlocks)).hasMessageContaining("conv_res_blocks 1");
        ObjectNode cameraRope = read(Fixtures.TINY_UNET.modelDir());
        ((ObjectNode) cameraRope.path("dit")).put("camera_rope", true);
        assertThatThrownBy(() -> ModelConfig.parse(cameraRope)).hasMessageContaining("camera_pan_per_frame");
        ObjectNode cameraNoLabels = read(Fixtures.TINY_CAMERA.modelDir());
        ((ObjectNode) cameraNoLabels.path("dit")).put("shot_cond", false);
        assertThatThrownBy(() -> ModelConfig.parse(cameraNoLabels)).hasMessageContaining("camera_rope reads the camera");
        ObjectNode oracle = read(Fixtures.TINY_PIXEL.modelDir());
        ((ObjectNode) oracle.path("dit")).put("kind_label_oracle", true);
        assertThatThrownBy(() -> ModelConfig.parse(oracle)).hasMessageContaining("kind_label_oracle");
        ObjectNode plain = read(Fixtures.TINY_PIXEL.modelDir());
        ((ObjectNode) plain.path("dit")).put("refiner_width", 0).put("conv_decoder_width", 0)
                .put("conv_encoder", false).put("self_cond", false).put("kind_label_oracle", false)
                .put("camera_rope", false);
        assertThat(ModelConfig.parse(plain).dit().latentChannels()).isEqualTo(3);
        ObjectNode vaeMissing = read(Fixtures.modelDir());
        vaeMissing.remove("vae");
        assertThatThrownBy(() -> ModelConfig.parse(vaeMissing)).hasMessageContaining("'vae'");
    }

    @Test
    void theConvUNetKeysAreRead() throws Exception {
        StoryDiTConfig unet = ModelConfig.parse(read(Fixtures.TINY_UNET.modelDir())).dit();
        assertThat(unet.convDecoderWidth()).isEqualTo(4);
        assertThat(unet.convEncoder()).isTrue();
        assertThat(unet.convLevels()).isEqualTo(3);
        assertThat(unet.convWidth(2)).isEqualTo(12);
        ObjectNode decoderOnly = read(Fixtures.TINY_UNET.modelDir());
        ((ObjectNode) decoderOnly.path("dit")).put("conv_encoder", false);
        assertThat(ModelConfig.parse(decoderOnly).dit().convEncoder()).isFalse();
        StoryDiTConfig plain = ModelConfig.parse(read(Fixtures.TINY_PIXEL.modelDir())).dit();
        assertThat(plain.convDecoderWidth()).isZero();
        assertThat(plain.convLevels()).isZero();
    }

    @Test
    void layoutGuidanceNeedsAModelThatReadsTheLayout() throws Exception {
        ObjectNode box = read(Fixtures.TINY_BOX.modelDir());
        ((ObjectNode) box.path("sampler")).put("layout_guidance", "every_chunk");
        assertThat(ModelConfig.parse(box).sampler().layoutGuidance()).isEqualTo(LayoutGuidance.EVERY_CHUNK);
        ObjectNode plain = read(Fixtures.TINY_UNET.modelDir());
        ((ObjectNode) plain.path("sampler")).put("layout_guidance", "guided_chunks");
        assertThatThrownBy(() -> ModelConfig.parse(plain)).hasMessageContaining("sampler.layout_guidance is guided_chunks")
                .hasMessageContaining("reads no actor layout");
    }

    @Test
    void anActorBoxModelNeedsItsLayoutPlannerWithTheModelsLabels() throws Exception {
        ModelConfig box = ModelConfig.parse(read(Fixtures.TINY_BOX.modelDir()));
        assertThat(box.dit().actorBoxCond()).isTrue();
        assertThat(box.boxPlanner().orElseThrow().hidden()).isEqualTo(16);
        assertThat(ModelConfig.parse(read(Fixtures.TINY_UNET.modelDir())).boxPlanner()).isEmpty();

        ObjectNode noPlanner = read(Fixtures.TINY_BOX.modelDir());
        noPlanner.remove("box_planner");
        assertThatThrownBy(() -> ModelConfig.parse(noPlanner)).hasMessageContaining("actor_box_cond")
                .hasMessageContaining("no box_planner section");
        ObjectNode plannerWithoutBox = read(Fixtures.TINY_BOX.modelDir());
        ((ObjectNode) plannerWithoutBox.path("dit")).put("actor_box_cond", false);
        assertThatThrownBy(() -> ModelConfig.parse(plannerWithoutBox)).hasMessageContaining("box_planner section")
                .hasMessageContaining("does not read the actor's box");
        ObjectNode noEncoder = read(Fixtures.TINY_PIXEL.modelDir());
        ((ObjectNode) noEncoder.path("dit")).put("actor_box_cond", true);
        assertThatThrownBy(() -> ModelConfig.parse(noEncoder)).hasMessageContaining("read by the conv encoder");
        ObjectNode otherLabels = read(Fixtures.TINY_BOX.modelDir());
        ((ObjectNode) otherLabels.path("box_planner")).putArray("shot_sizes").add("wide").add("close_up");
        assertThatThrownBy(() -> ModelConfig.parse(otherLabels)).hasMessageContaining("box_planner labels")
                .hasMessageContaining("[wide, close_up]");
        ObjectNode missingField = read(Fixtures.TINY_BOX.modelDir());
        ((ObjectNode) missingField.path("box_planner")).remove("hidden");
        assertThatThrownBy(() -> ModelConfig.parse(missingField)).hasMessageContaining("'hidden'");
    }

    @Test
    void thePreviousFrameIsReadWhereTheConfigSaysSoAndNeedsTheConvEncoder() throws Exception {
        assertThat(ModelConfig.parse(read(Fixtures.TINY_PREV.modelDir())).dit().prevFrameCond()).isTrue();
        for (Path older : List.of(Fixtures.modelDir(), Fixtures.TINY_UNET.modelDir(), Fixtures.TINY_BOX.modelDir())) {
            assertThat(read(older).path("dit").has("prev_frame_cond")).isFalse();
            assertThat(ModelConfig.parse(read(older)).dit().prevFrameCond()).as("absent = false: " + older).isFalse();
        }
        // the bundled model (exported since session 29) says so outright
        assertThat(read(bundledModel()).path("dit").path("prev_frame_cond").asBoolean(true)).isFalse();
        assertThat(ModelConfig.parse(read(bundledModel())).dit().prevFrameCond()).isFalse();
        ObjectNode noEncoder = read(Fixtures.TINY_PIXEL.modelDir());
        ((ObjectNode) noEncoder.path("dit")).put("prev_frame_cond", true);
        assertThatThrownBy(() -> ModelConfig.parse(noEncoder)).hasMessageContaining("prev_frame_cond")
                .hasMessageContaining("read by the conv encoder");
    }

    @Test
    void shotLabelsMapByName() throws Exception {
        ObjectNode root = read(Fixtures.TINY_PIXEL.modelDir());
        StoryDiTConfig c = ModelConfig.parse(root).dit();
        assertThat(c.cameraLabel("static")).isEqualTo(1);
        assertThat(c.cameraLabel("zoom_out")).isEqualTo(5);
        assertThat(c.shotSizeLabel("wide")).isEqualTo(1);
        assertThat(c.shotSizeLabel("close_up")).isEqualTo(3);
        assertThat(c.cameraLabel(null)).isZero();
        assertThat(c.shotSizeLabel(null)).isZero();
        assertThatThrownBy(() -> c.cameraLabel("dolly_in")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("camera move 'dolly_in'").hasMessageContaining("pan_left");
        assertThatThrownBy(() -> c.shotSizeLabel("extreme_wide")).hasMessageContaining("shot size 'extreme_wide'");

        // a model trained with its own vocabulary: the order of its list defines the labels
        ArrayNode custom = ((ObjectNode) root.path("dit")).putArray("cameras");
        custom.add("zoom_in").add("static");
        StoryDiTConfig own = ModelConfig.parse(root).dit();
        assertThat(own.cameraLabel("zoom_in")).isEqualTo(1);
        assertThat(own.cameraLabel("static")).isEqualTo(2);
        assertThatThrownBy(() -> own.cameraLabel("pan_left")).hasMessageContaining("pan_left");
    }
}
