package dev.storyboard.inference.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.inference.dit.ShotLabel;
import dev.storyboard.inference.model.ModelConfig;
import dev.storyboard.inference.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a domain shot gives the model: labels by name and the bare prompt for shot_cond, the old prompt otherwise. */
class ShotConditioningTest {
    private static final Shot SHOT = Shot.planned("s1", "  a red ball rolls ", 16, CameraMove.PAN_LEFT, ShotSize.CLOSE_UP, 1);

    private static ObjectNode config(Path modelDir) throws Exception {
        return (ObjectNode) new ObjectMapper().readTree(modelDir.resolve(ModelConfig.FILE_NAME).toFile());
    }

    private static ShotConditioning of(ObjectNode root) {
        return new ShotConditioning(ModelConfig.parse(root).dit());
    }

    @Test
    void shotCondModelGetsTheCreatorsWordsAndLabelsByName() throws Exception {
        ShotConditioning c = of(config(Fixtures.TINY_PIXEL.modelDir()));
        assertThat(c.usesLabels()).isTrue();
        assertThat(c.prompt(SHOT)).isEqualTo("a red ball rolls");
        assertThat(c.prompt(SHOT)).doesNotContain(CameraMove.PAN_LEFT.promptPhrase()).doesNotContain(ShotSize.CLOSE_UP.promptPhrase());
        assertThat(c.label(SHOT)).isEqualTo(new ShotLabel(2, 3));          // pan_left = cameras[1], close_up = shot_sizes[2]
        for (CameraMove m : CameraMove.values()) {
            Shot s = Shot.planned("s", "x", 8, m, ShotSize.WIDE, 1);
            assertThat(c.label(s).camera()).isEqualTo(m.ordinal() + 1);
            assertThat(c.label(s).shotSize()).isEqualTo(1);
        }
        for (ShotSize z : ShotSize.values()) {
            assertThat(c.label(Shot.planned("s", "x", 8, CameraMove.STATIC, z, 1)).shotSize()).isEqualTo(z.ordinal() + 1);
        }
    }

    @Test
    void labelsFollowTheModelsVocabularyNotTheEnumOrder() throws Exception {
        ObjectNode root = config(Fixtures.TINY_PIXEL.modelDir());
        ((ObjectNode) root.path("dit")).putArray("cameras").add("zoom_out").add("pan_left").add("static");
        ShotConditioning c = of(root);
        assertThat(c.label(SHOT).camera()).isEqualTo(2);
        Shot zoomIn = Shot.planned("s9", "x", 8, CameraMove.ZOOM_IN, ShotSize.WIDE, 1);
        assertThatThrownBy(() -> c.label(zoomIn)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("camera move 'zoom_in'").hasMessageContaining("zoom_out");
    }

    @Test
    void otherModelsKeepThePromptWithPhrasesAndNoLabels() throws Exception {
        ShotConditioning c = of(config(Fixtures.modelDir()));
        assertThat(c.usesLabels()).isFalse();
        assertThat(c.prompt(SHOT)).isEqualTo(SHOT.modelPrompt()).contains(CameraMove.PAN_LEFT.promptPhrase());
        assertThat(c.label(SHOT)).isEqualTo(ShotLabel.NULL);
        assertThat(c.key(SHOT)).isEqualTo(SHOT.modelPrompt());          // existing cache keys stay valid
    }

    @Test
    void theKeyChangesWithEverythingTheModelReads() throws Exception {
        ShotConditioning c = of(config(Fixtures.TINY_PIXEL.modelDir()));
        Shot static_ = new Shot(SHOT.id(), SHOT.prompt(), 16, CameraMove.STATIC, ShotSize.CLOSE_UP, 1, 4.0, List.of(), null);
        Shot wide = new Shot(SHOT.id(), SHOT.prompt(), 16, CameraMove.PAN_LEFT, ShotSize.WIDE, 1, 4.0, List.of(), null);
        assertThat(c.prompt(static_)).isEqualTo(c.prompt(SHOT));
        assertThat(c.key(static_)).isNotEqualTo(c.key(SHOT));
        assertThat(c.key(wide)).isNotEqualTo(c.key(SHOT));
        assertThat(c.key(SHOT.withPrompt("a blue ball rolls"))).isNotEqualTo(c.key(SHOT));
        assertThat(c.key(SHOT.withDuration(8))).isEqualTo(c.key(SHOT));
    }
}
