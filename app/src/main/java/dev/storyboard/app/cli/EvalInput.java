package dev.storyboard.app.cli;

import dev.storyboard.domain.project.MediaPaths;
import dev.storyboard.domain.text.Printable;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * One INPUT of {@code storyboard eval}, {@code [LABEL=]PATH}, read in one place so that every use of it (the runs
 * judged, the projects {@code --generate} reads and keeps the report away from) agrees on the path. A LABEL is
 * what comes before the first {@code =}, when that is not empty; without one the run is named after the path's
 * last name.
 */
record EvalInput(String label, Path path) {

    /**
     * The input given as {@code argument}.
     *
     * @throws IllegalArgumentException with a one-line message that names the argument (escaped, {@link Printable})
     *                                  when its path is one this system cannot use (a NUL character, a name the
     *                                  locale cannot encode)
     */
    static EvalInput parse(String argument) {
        int eq = argument.indexOf('=');
        String pathText = eq > 0 ? argument.substring(eq + 1) : argument;
        Path path;
        try {
            path = Path.of(pathText);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("INPUT \"" + Printable.of(argument) + "\" is not a usable path ("
                    + Printable.of(e.getReason()) + ")", e);
        }
        if (eq > 0) {
            return new EvalInput(argument.substring(0, eq), path);
        }
        Path name = path.getFileName();
        return new EvalInput(name == null ? pathText : name.toString(), path);
    }

    /**
     * The input given as {@code argument}, a project that {@code --generate} reads.
     *
     * @throws IllegalArgumentException as {@link #parse}, and with a one-line message that names the argument when
     *                                  its path can never be a project file (a root such as {@code /})
     */
    static EvalInput parseProject(String argument) {
        EvalInput input = parse(argument);
        try {
            MediaPaths.mediaDirFor(input.path());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("INPUT \"" + Printable.of(argument) + "\": " + e.getMessage(), e);
        }
        return input;
    }
}
