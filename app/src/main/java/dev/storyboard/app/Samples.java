package dev.storyboard.app;

import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.project.ProjectFileException;
import dev.storyboard.domain.project.ProjectFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** Sample storyboards shipped in the assets jar. */
public final class Samples {
    public static final String DEFAULT_SAMPLE = "storyboard/samples/meadow-ball.storyboard";

    private Samples() {
    }

    public static Storyboard load(String resource) throws IOException {
        try (InputStream in = Samples.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new ProjectFileException(Path.of(resource), "sample missing from the assets jar", null);
            }
            return new ProjectFiles().read(in, Path.of(resource));
        }
    }
}
