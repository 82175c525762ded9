package dev.storyboard.domain.project;

import dev.storyboard.domain.Shot;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import dev.storyboard.domain.TimelineInvariants;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens project files for the editor: the domain's {@link ProjectFiles} reader plus the checks the editor
 * needs before it trusts a file it did not write: a size limit, a clear message for files from a newer
 * version, the timeline's invariants (limits on text, shots, durations) and media paths that stay inside
 * the project's media folder. Every problem is a {@link ProjectFileException}; {@link #load} never writes.
 */
public final class ProjectLoader {
    /** Projects are small JSON documents (frames live in the media folder). */
    public static final long MAX_FILE_BYTES = 32L * 1024 * 1024;

    private final ProjectFiles files = new ProjectFiles();

    /** A project opened from disk. */
    public record Loaded(Storyboard storyboard, Path file, Path mediaDir) {}

    public Loaded load(Path file) throws ProjectFileException {
        byte[] bytes = readBounded(file);
        return new Loaded(parse(bytes, file), file, MediaPaths.mediaDirFor(file));
    }

    /**
     * {@link #load} for the editor, which will save to the file: also removes the hidden temporaries that an
     * earlier, killed save left beside it ({@link ProjectFiles#removeStaleTemps}), at once rather than on the next
     * save. Only after the file loaded, and only temporaries of its own name older than
     * {@link dev.storyboard.domain.io.AtomicFiles#STALE_TEMP_AGE}. The headless commands call {@link #load}, which
     * never writes.
     */
    public Loaded open(Path file) throws ProjectFileException {
        Loaded loaded = load(file);
        ProjectFiles.removeStaleTemps(file);
        return loaded;
    }

    /** Parses and validates project bytes; {@code source} names the file in messages. */
    public Storyboard parse(byte[] bytes, Path source) throws ProjectFileException {
        if (bytes.length == 0) {
            throw new ProjectFileException(source, "the file is empty (not a Storyboard project)", null);
        }
        Storyboard storyboard;
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            storyboard = files.read(in, source);
        } catch (ProjectFileException e) {
            throw readable(e, source);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw new ProjectFileException(source, "not a valid project file: " + describe(e), e);
        }
        validate(storyboard, source);
        return storyboard;
    }

    /**
     * The editor's checks on a storyboard that parsed (value ranges such as guidance are already enforced by the
     * records' constructors, so a file that breaks them fails in parsing with the field named).
     */
    public static void validate(Storyboard storyboard, Path source) throws ProjectFileException {
        List<String> problems = new ArrayList<>(TimelineInvariants.problems(storyboard));
        for (int i = 0; i < storyboard.shots().size(); i++) {
            Shot shot = storyboard.shots().get(i);
            for (Take take : shot.takes()) {
                String problem = MediaPaths.problem(take.mediaFile());
                if (problem != null) {
                    problems.add("shot " + (i + 1) + ", take " + MediaPaths.printable(take.id()) + ": " + problem);
                }
            }
        }
        if (!problems.isEmpty()) {
            String shown = String.join("; ", problems.subList(0, Math.min(5, problems.size())));
            if (problems.size() > 5) {
                shown += "; and " + (problems.size() - 5) + " more";
            }
            throw new ProjectFileException(source, "invalid project: " + shown, null);
        }
    }

    private static byte[] readBounded(Path file) throws ProjectFileException {
        try {
            if (Files.isDirectory(file)) {
                throw new ProjectFileException(file, "is a folder, not a project file", null);
            }
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                // A FIFO or device would block or never end: only regular files are read.
                throw new ProjectFileException(file, "not a regular file (a pipe, device or socket); projects are files", null);
            }
            long size = attributes.size();
            if (size > MAX_FILE_BYTES) {
                throw new ProjectFileException(file, "file is " + size / (1024 * 1024) + " MiB; projects are at most "
                        + MAX_FILE_BYTES / (1024 * 1024) + " MiB (is this really a Storyboard project?)", null);
            }
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
                if (bytes.length > MAX_FILE_BYTES) {
                    throw new ProjectFileException(file, "file is larger than " + MAX_FILE_BYTES / (1024 * 1024) + " MiB", null);
                }
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw new ProjectFileException(file, "file does not exist", e);
        } catch (ProjectFileException e) {
            throw e;
        } catch (IOException e) {
            throw new ProjectFileException(file, "cannot read: " + IoMessages.describe(e), e);
        } catch (RuntimeException e) {
            throw new ProjectFileException(file, "cannot read: " + describe(e), e);
        }
    }

    /** The domain's message may quote a huge or binary value from the file: keep it short and printable. */
    private static ProjectFileException readable(ProjectFileException e, Path source) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        String prefix = source + ": ";
        String problem = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        String clean = clip(problem, 400);
        if (clean.equals(problem)) {
            return e;
        }
        return new ProjectFileException(source, clean, e);
    }

    private static String clip(String s, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < max; i++) {
            char c = s.charAt(i);
            sb.append(c < 32 && c != '\n' || c == 127 || Character.isSurrogate(c) ? '?' : c);
        }
        return s.length() > max ? sb + "… (" + s.length() + " characters)" : sb.toString();
    }

    private static String describe(Throwable e) {
        String msg = e.getMessage();
        if (e instanceof StackOverflowError) {
            return "nested too deeply";
        }
        return msg == null ? e.getClass().getSimpleName() : clip(msg, 300);
    }
}
