package dev.storyboard.ui.fake;

import dev.storyboard.domain.vocabulary.ModelVocabulary;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The bundled model's {@code vocabulary.json}, read from the assets jar on the test class path. */
public final class BundledVocabulary {
    public static final String RESOURCE = "/storyboard/models/default/" + ModelVocabulary.FILE_NAME;
    private static ModelVocabulary cached;

    private BundledVocabulary() {
    }

    public static synchronized ModelVocabulary load() {
        if (cached == null) {
            try (InputStream in = BundledVocabulary.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the assets jar");
                }
                cached = ModelVocabulary.parse(in, RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cached;
    }
}
