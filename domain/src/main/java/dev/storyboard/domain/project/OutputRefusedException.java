package dev.storyboard.domain.project;

import dev.storyboard.domain.text.Printable;
import java.io.IOException;
import java.nio.file.Path;

/** An output path that {@link OutputGuard} will not write to; the message names the path and why. */
public final class OutputRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    public OutputRefusedException(Path target, String why) {
        super("refusing to write " + Printable.of(target) + ": " + why + "; nothing was written");
    }
}
