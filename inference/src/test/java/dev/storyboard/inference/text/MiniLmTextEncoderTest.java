package dev.storyboard.inference.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MiniLmTextEncoderTest {
    private static MiniLmTextEncoder encoder;

    @BeforeAll
    static void load() throws Exception {
        encoder = MiniLmTextEncoder.load();
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * (double) b[i];
        }
        return dot; // inputs are unit length
    }

    @Test
    void tokenEmbeddingsHaveOneRowPerTokenIncludingSpecialTokens() {
        float[][] tokens = encoder.encodeTokens("a red ball");
        // [CLS] a red ball [SEP]
        assertThat(tokens.length).isEqualTo(5);
        assertThat(tokens[0]).hasSize(MiniLmTextEncoder.HIDDEN_SIZE);
    }

    @Test
    void longCaptionsAreTruncatedToTheTokenBudget() {
        String longCaption = "a red ball ".repeat(40);
        assertThat(encoder.encodeTokens(longCaption).length).isEqualTo(MiniLmTextEncoder.MAX_TOKENS);
    }

    @Test
    void isDeterministic() {
        assertThat(encoder.encodeTokens("a blue cube spins")).isDeepEqualTo(encoder.encodeTokens("a blue cube spins"));
    }

    @Test
    void sentenceEmbeddingsReflectMeaning() {
        float[] redBall = encoder.encodeSentence("a red ball bounces on the beach");
        float[] crimsonSphere = encoder.encodeSentence("a crimson sphere bouncing by the sea");
        float[] city = encoder.encodeSentence("tall office buildings at night in the city");
        assertThat(cosine(redBall, crimsonSphere)).isGreaterThan(cosine(redBall, city) + 0.2);
    }

    @Test
    void smallerTokenBudgetTruncatesAndKeepsSep() throws Exception {
        try (MiniLmTextEncoder eight = MiniLmTextEncoder.load(8)) {
            float[][] tokens = eight.encodeTokens("a red ball bounces on the sunny beach while the camera pans left");
            assertThat(tokens.length).isEqualTo(8);
            // The [CLS] row differs from the 32-token encoding: truncation happens before the transformer.
            assertThat(tokens[0]).isNotEqualTo(encoder.encodeTokens("a red ball bounces on the sunny beach while the camera pans left")[0]);
        }
    }
}
