package dev.storyboard.inference.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptEncodingsTest {
    @Test
    void aPromptIsEncodedOnceWhileItIsRecentAndTheLeastRecentlyUsedGoesFirst() {
        List<String> calls = new ArrayList<>();
        PromptEncodings p = new PromptEncodings(text -> {
            calls.add(text);
            return new float[][] {{text.length()}};
        });
        float[][] scene = p.tokens("a red ball in a meadow");
        assertThat(p.tokens("a red ball in a meadow")).isSameAs(scene);
        assertThat(calls).containsExactly("a red ball in a meadow");
        for (int i = 0; i < PromptEncodings.CAPACITY; i++) {
            p.tokens("shot " + i);
            p.tokens("a red ball in a meadow");            // used every job: stays
        }
        assertThat(p.encoded()).isEqualTo(1 + PromptEncodings.CAPACITY);
        p.tokens("shot 0");                                 // the oldest shot prompt was evicted
        assertThat(p.encoded()).isEqualTo(2 + PromptEncodings.CAPACITY);
        p.tokens("a red ball in a meadow");
        assertThat(p.encoded()).isEqualTo(2 + PromptEncodings.CAPACITY);
    }
}
