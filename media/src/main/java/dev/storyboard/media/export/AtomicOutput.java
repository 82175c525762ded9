package dev.storyboard.media.export;

import dev.storyboard.domain.project.OutputGuard;
import dev.storyboard.domain.project.OutputRefusedException;
import dev.storyboard.domain.text.Printable;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Writes go to a hidden temporary sibling of the target, which replaces the target only when complete.
 * On any failure the temporary is removed and the previous target (if any) is untouched.
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

    /** Moves a finished folder into place; an existing folder is moved aside first and dropped after. */
    public static void commitFolder(Path temp, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            // Folders cannot be renamed over each other: move the old one aside first, drop it after.
            old = tempSibling(target, ".old");
            deleteQuietly(old);
            Files.move(target, old);
        }
        try {
            Files.move(temp, target);
        } catch (IOException e) {
            if (old != null) {
                Files.move(old, target); // put the previous export back
            }
            throw e;
        }
        deleteQuietly(old);
    }

    public static Path tempSibling(Path target, String suffix) {
        Path abs = target.toAbsolutePath();
        String name = abs.getFileName().toString();
        // A 255-byte name must still get a temporary: keep its start and a hash of the whole.
        String shortName = name.length() <= 200 ? name
                : name.substring(0, 180) + "~" + Integer.toHexString(name.hashCode());
        return abs.getParent().resolve("." + shortName + ".part" + suffix);
    }

    static void commit(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public static void deleteQuietly(Path path) {
        if (path == null || !Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: the temporary is hidden and named .part
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
