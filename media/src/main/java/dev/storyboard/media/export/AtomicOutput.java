package dev.storyboard.media.export;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes go to a hidden temporary sibling of the target, which replaces the target only when complete.
 * On any failure the temporary is removed and the previous target (if any) is untouched.
 */
final class AtomicOutput {
    private AtomicOutput() {
    }

    /**
     * Checks that {@code target}'s folder exists and is writable, with a message a person understands.
     * {@code target} itself may exist (it is replaced) only as the same kind: a file for a file export.
     */
    static Path prepareFolder(Path target, boolean targetIsFolder) throws ExportException {
        if (Files.exists(target) && Files.isDirectory(target) != targetIsFolder) {
            throw new ExportException("cannot write " + target + ": a " + (targetIsFolder ? "file" : "folder")
                    + " with that name is in the way");
        }
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new ExportException("cannot write " + target + ": folder " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new ExportException("cannot write " + target + ": folder " + dir + " is not writable");
        }
        return dir;
    }

    static Path tempSibling(Path target, String suffix) {
        Path abs = target.toAbsolutePath();
        return abs.getParent().resolve("." + abs.getFileName() + ".part" + suffix);
    }

    static void commit(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void deleteQuietly(Path path) {
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
