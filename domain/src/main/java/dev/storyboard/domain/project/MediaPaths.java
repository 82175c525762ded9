package dev.storyboard.domain.project;

import dev.storyboard.domain.text.Printable;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Names inside a project's media folder. A take's {@code mediaFile} is a relative folder such as
 * {@code shot-2/take-7}; anything that could leave the media folder (absolute paths, "..", drive letters,
 * backslashes, control characters) is refused.
 */
public final class MediaPaths {
    public static final String MEDIA_SUFFIX = ".media";
    private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final int MAX_LENGTH = 255;

    private MediaPaths() {
    }

    /**
     * {@code scene.storyboard} → {@code scene.media} next to it.
     *
     * @throws IllegalArgumentException naming the path when it has no file name (a root such as {@code /}): such a
     *                                  path is never a project file, and nothing can lie next to it
     */
    public static Path mediaDirFor(Path projectFile) {
        Path abs = projectFile.toAbsolutePath();
        if (abs.getFileName() == null) {
            throw new IllegalArgumentException(Printable.of(projectFile)
                    + " is not a project file: it has no file name (a root folder never is one)");
        }
        String name = abs.getFileName().toString();
        String base = name.endsWith(".storyboard") ? name.substring(0, name.length() - ".storyboard".length()) : name;
        return abs.resolveSibling(base + MEDIA_SUFFIX);
    }

    /** A folder name made of safe characters only (ids come from the engine and from files). */
    public static String sanitize(String id) {
        StringBuilder sb = new StringBuilder();
        for (char c : id.toCharArray()) {
            sb.append(Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' ? c : '_');
            if (sb.length() >= 60) {
                break;
            }
        }
        if (sb.isEmpty() || !Character.isLetterOrDigit(sb.charAt(0))) {
            sb.insert(0, 'x');
        }
        return sb.toString();
    }

    /** The media folder (relative) of a take. */
    public static String takeFolder(String shotId, String takeId) {
        return sanitize(shotId) + "/" + sanitize(takeId);
    }

    /**
     * Why {@code mediaFile} is not an acceptable name inside the media folder, or null when it is.
     * The empty string (no media yet) is acceptable.
     */
    public static String problem(String mediaFile) {
        if (mediaFile.isEmpty()) {
            return null;
        }
        if (mediaFile.length() > MAX_LENGTH) {
            return "media path longer than " + MAX_LENGTH + " characters";
        }
        if (mediaFile.startsWith("/") || mediaFile.contains("\\") || mediaFile.contains(":")) {
            return "media path '" + printable(mediaFile) + "' must be relative to the project's media folder";
        }
        for (String segment : mediaFile.split("/", -1)) {
            if (segment.equals("..")) {
                return "media path '" + printable(mediaFile) + "' escapes the project's media folder";
            }
            if (!SAFE_SEGMENT.matcher(segment).matches()) {
                return "media path '" + printable(mediaFile) + "' has an invalid part '" + printable(segment) + "'";
            }
        }
        return null;
    }

    /** Resolves a take's media folder, refusing anything outside {@code mediaDir}. */
    public static Path resolve(Path mediaDir, String mediaFile) {
        String problem = problem(mediaFile);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        try {
            Path base = mediaDir.toAbsolutePath().normalize();
            Path resolved = base.resolve(mediaFile).normalize();
            if (!resolved.startsWith(base)) {
                throw new IllegalArgumentException("media path '" + printable(mediaFile) + "' escapes the project's media folder");
            }
            return resolved;
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("media path '" + printable(mediaFile) + "' is not a valid path", e);
        }
    }

    /**
     * Fails when {@code path}, with symbolic links resolved, is not inside {@code mediaDir} (resolved too):
     * a link in the media folder must not lead reads out of the project.
     */
    public static void requireInside(Path mediaDir, Path path) throws IOException {
        Path base = mediaDir.toRealPath();
        Path real = path.toRealPath();
        if (!real.startsWith(base) || real.equals(base)) {
            throw new IOException(Printable.of(path) + " leads outside the project's media folder (a symbolic link?)");
        }
    }

    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 60; i++) {
            char c = s.charAt(i);
            sb.append(c < 32 || c == 127 ? '?' : c);
        }
        return s.length() > 60 ? sb + "…" : sb.toString();
    }
}
