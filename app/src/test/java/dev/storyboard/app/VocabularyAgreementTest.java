package dev.storyboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.vocabulary.ModelVocabulary;
import dev.storyboard.inference.model.BundledModel;
import dev.storyboard.judge.storyworld.Vocabulary;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The model's vocabulary is the one vocabulary (issue 21, item 2): the judge's perception tables and the
 * domain's camera and framing enums must say what the bundled model's {@code vocabulary.json} says. The editor's
 * prompt completion reads that file itself (through the engine), so it cannot disagree. When training's
 * storyworld changes, re-export the model (or its vocabulary.json) and this test tells what else must follow.
 */
class VocabularyAgreementTest {
    private static ModelVocabulary model;

    @BeforeAll
    static void readBundledVocabulary() throws Exception {
        String resource = BundledModel.RESOURCE_DIR + ModelVocabulary.FILE_NAME;
        try (InputStream in = VocabularyAgreementTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource + " ships with the bundled model").isNotNull();
            model = ModelVocabulary.parse(in, resource);
        }
    }

    private static List<String> labels(String group) {
        return model.group(group).orElseThrow(() -> new AssertionError("no group " + group)).labels();
    }

    private static <E extends Enum<E>> List<String> names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
    }

    @Test
    void theJudgeKnowsExactlyTheModelsClasses() {
        assertThat(names(Vocabulary.Kind.class)).containsExactlyElementsOf(labels("kind"));
        assertThat(names(Vocabulary.Colour.class)).containsExactlyElementsOf(labels("colour"));
        assertThat(names(Vocabulary.Pattern.class)).containsExactlyElementsOf(labels("pattern"));
        assertThat(names(Vocabulary.Setting.class)).containsExactlyElementsOf(labels("setting"));
        assertThat(names(Vocabulary.Action.class)).containsExactlyElementsOf(labels("action"));
        assertThat(names(Vocabulary.Camera.class)).containsExactlyElementsOf(labels("camera"));
        assertThat(names(Vocabulary.ShotSize.class)).containsExactlyElementsOf(labels("shot size"));
    }

    @Test
    void theJudgesColourRangesAreTheRenderersRanges() {
        for (ModelVocabulary.Entry entry : model.group("colour").orElseThrow().classes()) {
            Vocabulary.Colour judge = Vocabulary.Colour.valueOf(entry.label().toUpperCase(Locale.ROOT));
            if (entry.hue() == null) {
                assertThat(judge.chromatic()).as(entry.label()).isFalse();
            } else {
                assertThat(new double[] {judge.hueLow(), judge.hueHigh()}).as(entry.label() + " hue")
                        .containsExactly(entry.hue().low(), entry.hue().high());
            }
            assertThat(new double[] {judge.saturationLow(), judge.saturationHigh(), judge.valueLow(), judge.valueHigh()})
                    .as(entry.label() + " saturation and value")
                    .containsExactly(entry.saturation().low(), entry.saturation().high(), entry.value().low(),
                            entry.value().high());
        }
    }

    @Test
    void theEditorsCameraAndFramingAreTheModelsLabelsAndPhrases() {
        assertThat(names(CameraMove.class)).containsExactlyElementsOf(labels("camera"));
        assertThat(names(ShotSize.class)).containsExactlyElementsOf(labels("shot size"));
        for (CameraMove move : CameraMove.values()) {
            assertThat(phrases("camera", move)).as(move + "'s prompt phrase was taught").contains(move.promptPhrase());
        }
        for (ShotSize size : ShotSize.values()) {
            assertThat(phrases("shot size", size)).as(size + "'s prompt phrase was taught").contains(size.promptPhrase());
        }
    }

    private static List<String> phrases(String group, Enum<?> value) {
        String label = value.name().toLowerCase(Locale.ROOT);
        return model.group(group).orElseThrow().classes().stream().filter(c -> c.label().equals(label)).findFirst()
                .orElseThrow().phrases();
    }
}
