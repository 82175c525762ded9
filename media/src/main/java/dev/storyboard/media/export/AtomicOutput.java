package dev.storyboard.media.export;

import dev.storyboard.domain.io.AtomicFiles;
import dev.storyboard.domain.project.OutputGuard;
import dev.storyboard.domain.project.OutputRefusedException;
import dev.storyboard.domain.text.Printable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * The checks before an export writes: where it may write ({@link OutputGuard}), and that the folder exists and
 * is writable. The writing itself is {@link AtomicFiles}: a hidden temporary
 * beside the target, which replaces the target only when complete; on any failure the temporary is removed
 * and the previous target (if any) is untouched.
 */
public final class AtomicOutput {
    private AtomicOutput() {
    }

    /**
     * Checks that {@code target}'s folder exists and is writable, with a message a person understands, and
     * that {@code target} passes the kind rules of {@link OutputGuard} for a file of {@code extension}.
     */
    public static Path prepareFile(Path target, String extension) throws ExportException {
        try {
            OutputGuard.none().checkFile(target, extension);
        } catch (OutputRefusedException e) {
            throw new ExportException(e.getMessage(), e);
        }
        return existingWritableParent(target);
    }

    /** Same for a folder output whose entries are all accepted by {@code ownEntry}. */
    public static Path prepareFolder(Path target, Predicate<String> ownEntry, String kind) throws ExportException {
        try {
            OutputGuard.none().checkFolder(target, ownEntry, kind);
        } catch (OutputRefusedException e) {
            throw new ExportException(e.getMessage(), e);
        }
        return existingWritableParent(target);
    }

    private static Path existingWritableParent(Path target) throws ExportException {
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new ExportException("cannot write " + Printable.of(target) + ": folder " + Printable.of(dir) + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new ExportException("cannot write " + Printable.of(target) + ": folder " + Printable.of(dir)
                    + " is not writable (permission denied)");
        }
        return dir;
    }
}
