package dev.storyboard.ui.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.ui.fake.BundledVocabulary;
import java.util.List;
import org.junit.jupiter.api.Test;

class VocabularyTest {
    private final Vocabulary vocabulary = Vocabulary.of(BundledVocabulary.load());

    private List<String> suggest(String text) {
        return vocabulary.complete(text, text.length(), 8).stream().map(c -> c.phrase().text()).toList();
    }

    @Test
    void theBundledModelsVocabularyHasEveryGroupOfTheStoryworld() {
        assertThat(vocabulary.phrases()).extracting(Vocabulary.Phrase::group).contains("kind", "colour", "pattern", "size",
                "setting", "action", "camera", "shot size");
        assertThat(vocabulary.phrases()).extracting(Vocabulary.Phrase::text).contains("ball", "crimson", "striped",
                "in a meadow", "bounces", "the camera pans left", "close-up").doesNotContain("orb", "scarlet"); // held out
    }

    @Test
    void completesTheWordAtTheCaretAndMultiWordPhrases() {
        assertThat(suggest("a red ball bou")).containsExactly("bounces", "bouncing");
        assertThat(suggest("a ball in a mea")).startsWith("in a meadow");
        assertThat(suggest("the camera pans l")).containsExactly("the camera pans left");
        assertThat(suggest("a red b")).isEmpty(); // one letter is too little
        assertThat(suggest("a red ball")).isEmpty(); // complete words are left alone
    }

    @Test
    void withoutAModelVocabularyNothingIsOffered() {
        assertThat(Vocabulary.of(null)).isSameAs(Vocabulary.NONE);
        assertThat(Vocabulary.NONE.complete("a red ball bou", 14, 8)).isEmpty();
    }

    @Test
    void applyingReplacesTheTypedFragment() {
        String text = "a crim";
        var c = vocabulary.complete(text, text.length(), 8).get(0);
        assertThat(c.apply(text)).isEqualTo("a crimson");
        assertThat(c.caretAfter()).isEqualTo("a crimson".length());
        assertThat(vocabulary.complete("a crimxyz", 6, 8)).as("caret inside a word").isEmpty();
    }
}
