package dev.storyboard.domain.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The one way the application writes a file: the content goes to a hidden temporary file beside the target
 * ({@code .NAME<digits>.tmp}, same folder, so same file system), which is flushed to disk (fsync), then
 * renamed over the target ({@link StandardCopyOption#ATOMIC_MOVE}), then the folder is flushed too.
 * Whatever fails before the rename, the previous target is left as it was and the temporary is removed.
 *
 * <p><b>Permissions.</b> A new file gets the mode any program gets from the user's umask (0644 under umask
 * 022): the temporary is created with a plain {@code open(O_CREAT|O_EXCL, 0666)} (no
 * {@code Files.createTempFile}, which makes 0600). A file that replaces an existing one takes over that
 * file's permission bits (and, where allowed, its group), so a save or an export never narrows who can read it.
 *
 * <p><b>Without atomic rename.</b> Where the file system refuses an atomic rename
 * ({@link AtomicMoveNotSupportedException}: some network and FUSE file systems), the temporary is moved with
 * {@link StandardCopyOption#REPLACE_EXISTING} instead. The content is already on disk then, but a crash at
 * that very moment may leave the target missing, with the complete temporary beside it. POSIX local file
 * systems (ext4, xfs, btrfs, tmpfs) always rename atomically within a folder.
 *
 * <p><b>Links.</b> These methods replace the path they are given: a symbolic link there is replaced by the
 * new file. Callers that write through a link (the project save) pass {@link #throughLinks(Path)}.
 *
 * <p>Folders: {@link #newTempDirectory}, {@link #publishDirectory} (atomic, never replaces) and
 * {@link #replaceDirectory} (an existing folder is moved aside first: two renames, not one).
 */
public final class AtomicFiles {
    /** A file's name keeps at most this many UTF-8 bytes in its temporary's name, so a 255-byte name still writes. */
    private static final int TEMP_NAME_BYTES = 200;
    private static final String TEMP_SUFFIX = ".tmp";
    /**
     * A temporary of a file older than this was left by a writer that was killed (kill -9, power loss): no
     * writer leaves its temporary untouched that long while it works.
     */
    public static final Duration STALE_TEMP_AGE = Duration.ofMinutes(5);

    private AtomicFiles() {
    }

    /** Writes the content of a file to a stream; it may close the stream or not. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Moves a file (the seam tests use to refuse an atomic rename). */
    @FunctionalInterface
    interface Mover {
        void move(Path from, Path to, StandardCopyOption... options) throws IOException;
    }

    private static final Mover FILES_MOVE = (from, to, options) -> Files.move(from, to, options);

    /** Atomically replaces (or creates) {@code target} with {@code bytes}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** Atomically replaces (or creates) {@code target} with {@code text} in UTF-8. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Atomically replaces (or creates) {@code target} with what {@code content} writes (buffered). */
    public static void write(Path target, Content content) throws IOException {
        Path temp = newTemp(target);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                content.writeTo(new FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        out.flush(); // the channel is closed here, after the content is complete
                    }
                });
                out.flush(); // publish() below syncs the file
            }
        } catch (IOException | RuntimeException | Error e) {
            deleteQuietly(temp);
            throw e;
        }
        publish(temp, target);
    }

    /**
     * Creates an empty temporary file beside {@code target} (umask permissions, a fresh random name), for a
     * writer that opens a path itself (FFmpeg). Hand it to {@link #publish} when complete, or to
     * {@link #deleteQuietly} when not.
     */
    public static Path newTemp(Path target) throws IOException {
        Path dir = folderOf(target);
        for (int attempt = 0; ; attempt++) {
            Path temp = dir.resolve(tempName(target));
            try {
                // CREATE_NEW is open(O_CREAT | O_EXCL, 0666): the umask applies, and no link is followed.
                FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return temp;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    /**
     * Publishes a finished temporary file (from {@link #newTemp}) as {@code target}: fsync, the replaced file's
     * permissions, atomic rename, fsync of the folder. On failure the temporary is deleted and the previous
     * target is untouched.
     */
    public static void publish(Path temp, Path target) throws IOException {
        publish(temp, target, FILES_MOVE);
    }

    static void publish(Path temp, Path target, Mover mover) throws IOException {
        try {
            sync(temp);
            keepPermissions(target, temp);
            try {
                mover.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                mover.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException | Error e) {
            deleteQuietly(temp);
            throw e;
        }
        syncFolder(folderOf(target));
    }

    /** Flushes a file's content and metadata to disk (fsync); a full disk may only show up here. */
    public static void sync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** Deletes a temporary (a file, or a folder with its content); best effort, never throws. */
    public static void deleteQuietly(Path path) {
        if (path == null || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a temporary is hidden and named .tmp
                }
            });
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }

    /** The file a write through {@code file} replaces: {@code file} itself, or the file a symbolic link names. */
    public static Path throughLinks(Path file) throws IOException {
        if (!Files.isSymbolicLink(file)) {
            return file;
        }
        if (Files.exists(file)) {
            return file.toRealPath();
        }
        Path link = Files.readSymbolicLink(file);
        return file.toAbsolutePath().getParent().resolve(link).normalize();
    }

    /**
     * Removes temporary files of {@code target} older than {@link #STALE_TEMP_AGE} that a killed writer left
     * beside it. Best effort: a stale temporary costs disk space, never correctness.
     */
    public static void removeStaleTemps(Path target) {
        removeStaleTemps(target, STALE_TEMP_AGE);
    }

    static void removeStaleTemps(Path target, Duration age) {
        Instant cutoff = Instant.now().minus(age);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folderOf(target),
                p -> isTempOf(target, p.getFileName().toString()))) {
            for (Path p : entries) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                        && Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    /**
     * Whether {@code name} is the name this class gives a temporary of {@code target} ({@code .NAME<digits>.tmp},
     * {@link #newTemp}): what a writer of {@code target} that was killed may leave beside it, and nothing else.
     */
    public static boolean isTempOf(Path target, String name) {
        String prefix = tempPrefix(target);
        if (!name.startsWith(prefix) || !name.endsWith(TEMP_SUFFIX)
                || name.length() <= prefix.length() + TEMP_SUFFIX.length()) {
            return false;
        }
        String digits = name.substring(prefix.length(), name.length() - TEMP_SUFFIX.length());
        String unsigned = digits.startsWith("-") ? digits.substring(1) : digits;     // older temporaries: signed
        return !unsigned.isEmpty() && unsigned.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Creates an empty temporary folder beside {@code target} (umask permissions), to fill and then publish. */
    public static Path newTempDirectory(Path target) throws IOException {
        Path dir = folderOf(target);
        for (int attempt = 0; ; attempt++) {
            try {
                return Files.createDirectory(dir.resolve(tempName(target)));
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    /**
     * Syncs a finished temporary folder (every file and folder in it) and renames it to {@code target} in one
     * atomic step; fails (and keeps the temporary) when {@code target} exists.
     */
    public static void publishDirectory(Path temp, Path target) throws IOException {
        syncTree(temp);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        syncFolder(folderOf(target));
    }

    /**
     * Syncs a finished temporary folder (every file and folder in it) and moves it into place. Folders cannot be
     * renamed over each other: an existing {@code target} is moved aside first, put back when the second rename
     * fails, and deleted after. On failure the temporary is deleted.
     */
    public static void replaceDirectory(Path temp, Path target) throws IOException {
        Path old = null;
        try {
            syncTree(temp);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                old = folderOf(target).resolve(tempName(target));
                Files.move(target, old);
            }
            try {
                Files.move(temp, target);
            } catch (IOException e) {
                if (old != null) {
                    Files.move(old, target); // put the previous folder back
                    old = null;
                }
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
        syncFolder(folderOf(target));
        deleteQuietly(old);
    }

    /** {@code .NAME<random digits>.tmp}; NAME is cut to {@value #TEMP_NAME_BYTES} UTF-8 bytes. */
    private static String tempName(Path target) {
        return tempPrefix(target) + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()) + TEMP_SUFFIX;
    }

    private static String tempPrefix(Path target) {
        String name = target.getFileName().toString();
        StringBuilder kept = new StringBuilder(".");
        int bytes = 0;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            bytes += new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes > TEMP_NAME_BYTES) {
                break;
            }
            kept.appendCodePoint(cp);
            i += Character.charCount(cp);
        }
        return kept.toString();
    }

    private static Path folderOf(Path target) {
        Path parent = target.toAbsolutePath().getParent();
        if (parent == null) {
            throw new IllegalArgumentException("not a file path: " + target);
        }
        return parent;
    }

    /** The replaced file's permission bits and group go to its replacement (best effort; never narrows them). */
    private static void keepPermissions(Path target, Path temp) {
        try {
            if (!Files.exists(target)) {
                return;
            }
            PosixFileAttributes old = Files.readAttributes(target, PosixFileAttributes.class);
            PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
            GroupPrincipal group = old.group();
            if (!group.equals(view.readAttributes().group())) {
                try {
                    view.setGroup(group); // before the mode: a change of group may clear set-id bits
                } catch (IOException e) {
                    // not a member of that group: the replacement keeps the user's group
                }
            }
            view.setPermissions(old.permissions());
        } catch (IOException | UnsupportedOperationException | NullPointerException e) {
            // Not a POSIX file system: the replacement gets the file system's default permissions.
        }
    }

    /** Syncs every regular file below {@code root}, then every folder (links are not followed). */
    private static void syncTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    sync(p);
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    syncFolder(p);
                }
            }
        }
    }

    /** Flushes a folder's entries (the rename) to disk where the platform allows opening a folder. */
    private static void syncFolder(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            // Some platforms cannot open or fsync a folder; the rename is then as durable as the OS makes it.
        }
    }
}
