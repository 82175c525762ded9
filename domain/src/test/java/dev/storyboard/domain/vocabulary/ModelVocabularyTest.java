package dev.storyboard.domain.vocabulary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ModelVocabularyTest {
    private static ModelVocabulary parse(String json) throws IOException {
        return ModelVocabulary.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "v.json");
    }

    private static final String VALID = """
            {"format": "storyworld-vocabulary/1", "groups": [
              {"name": "kind", "classes": [{"label": "ball", "phrases": ["ball", "sphere"]}]},
              {"name": "colour", "classes": [
                 {"label": "red", "phrases": ["red"], "hue": [-10, 8], "saturation": [0.65, 0.95], "value": [0.75, 0.95]},
                 {"label": "white", "phrases": ["white"], "hue": null, "saturation": [0, 0.06], "value": [0.92, 0.99]}]}]}
            """;

    @Test
    void readsGroupsClassesPhrasesAndColourRanges() throws IOException {
        ModelVocabulary v = parse(VALID);
        assertThat(v.groups()).extracting(ModelVocabulary.Group::name).containsExactly("kind", "colour");
        assertThat(v.group("kind").orElseThrow().classes().get(0).phrases()).containsExactly("ball", "sphere");
        ModelVocabulary.Entry red = v.group("colour").orElseThrow().classes().get(0);
        assertThat(red.hue()).isEqualTo(new ModelVocabulary.Range(-10, 8));
        assertThat(red.value()).isEqualTo(new ModelVocabulary.Range(0.75, 0.95));
        assertThat(v.group("colour").orElseThrow().classes().get(1).hue()).isNull();
        assertThat(v.group("kind").orElseThrow().classes().get(0).hue()).isNull();
        assertThat(v.group("camera")).isEmpty();
    }

    @Test
    void badDocumentsNameTheFileAndWhatIsWrong() {
        assertThatThrownBy(() -> parse("{")).hasMessageStartingWith("v.json: not valid JSON");
        assertThatThrownBy(() -> parse("[]")).hasMessage("v.json: expected a JSON object");
        assertThatThrownBy(() -> parse(VALID.replace("/1", "/9")))
                .hasMessageContaining("format is \"storyworld-vocabulary/9\"");
        assertThatThrownBy(() -> parse("{\"format\": \"storyworld-vocabulary/1\", \"groups\": []}"))
                .hasMessageContaining("\"groups\" must be a non-empty array");
        assertThatThrownBy(() -> parse(VALID.replace("\"label\": \"white\"", "\"label\": \"red\"")))
                .hasMessageContaining("group \"colour\" lists \"red\" twice");
        assertThatThrownBy(() -> parse(VALID.replace("[-10, 8]", "[8, -10]")))
                .hasMessageContaining("class \"red\" of group \"colour\" has a \"hue\" that is not [low, high]");
        assertThatThrownBy(() -> parse(VALID.replace("[\"ball\", \"sphere\"]", "[\"ball\", 3]")))
                .hasMessageContaining("class \"ball\" of group \"kind\" has a phrase that is not text");
        assertThatThrownBy(() -> parse(VALID.replace("\"name\": \"colour\"", "\"name\": \"kind\"")))
                .hasMessageContaining("group \"kind\" appears twice");
    }
}
