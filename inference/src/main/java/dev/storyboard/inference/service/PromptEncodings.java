package dev.storyboard.inference.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The text encoder's token encodings of the most recent prompts, so a job encodes only text it has not seen:
 * the scene prompt and every context shot's prompt repeat from job to job. Used on the inference thread only.
 * The returned arrays are shared: callers read them and never write.
 */
final class PromptEncodings {
    static final int CAPACITY = 128;        // ~49 KB each at 32 tokens x 384: about 6 MB at most

    private final Function<String, float[][]> encoder;
    private final Map<String, float[][]> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[][]> eldest) {
            return size() > CAPACITY;
        }
    };
    private long encoded;

    PromptEncodings(Function<String, float[][]> encoder) {
        this.encoder = encoder;
    }

    /** Token encodings (tokens, 384) of {@code text}, from the cache when it was encoded recently. */
    float[][] tokens(String text) {
        float[][] hit = recent.get(text);
        if (hit != null) {
            return hit;
        }
        float[][] fresh = encoder.apply(text);
        encoded++;
        recent.put(text, fresh);
        return fresh;
    }

    /** How many texts went through the encoder (cache misses) so far. */
    long encoded() {
        return encoded;
    }
}
