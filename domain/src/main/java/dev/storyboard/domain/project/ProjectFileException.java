package dev.storyboard.domain.project;

import dev.storyboard.domain.text.Printable;
import java.io.IOException;
import java.nio.file.Path;

/** A project file could not be read or written; the message names the file and what is wrong. */
public final class ProjectFileException extends IOException {
    private static final long serialVersionUID = 1L;

    public ProjectFileException(Path file, String problem, Throwable cause) {
        super(Printable.of(file) + ": " + problem, cause);
    }
}
