package dev.storyboard.domain.project;

import dev.storyboard.domain.text.Printable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The one rule for every output a command writes (render MP4 and PNG, timeline exports and their media
 * folder, eval reports, the editor's export and Save As):
 * <ul>
 *   <li>an output is never a protected file (the project) and never at or inside a protected folder (the
 *       project's {@code NAME.media}); a folder output never contains either;</li>
 *   <li>an existing file may be replaced only if it is a regular file of the output's own kind (its
 *       extension), and the writer replaces it atomically;</li>
 *   <li>an existing folder may be replaced only if it is empty or holds nothing but entries of the output's
 *       own kind (what an earlier run of the same command wrote).</li>
 * </ul>
 * Paths are compared after resolving symbolic links, so a link cannot smuggle a write into the project.
 * Checking never writes.
 */
public final class OutputGuard {
    private final List<Path> protectedFiles;
    private final List<Path> protectedFolders;

    private OutputGuard(List<Path> protectedFiles, List<Path> protectedFolders) {
        this.protectedFiles = List.copyOf(protectedFiles);
        this.protectedFolders = List.copyOf(protectedFolders);
    }

    /** A guard that protects nothing beyond the kind rules (commands without a project, e.g. eval of videos). */
    public static OutputGuard none() {
        return new OutputGuard(List.of(), List.of());
    }

    /** Protects the project file and its media folder {@code NAME.media}. */
    public static OutputGuard forProject(Path projectFile) {
        return none().protectingFile(projectFile).protectingFolder(MediaPaths.mediaDirFor(projectFile));
    }

    /**
     * Protects a media folder {@code NAME.media} and every project file it can belong to
     * ({@link MediaPaths#mediaDirFor} maps both {@code NAME.storyboard} and a project named plain {@code NAME},
     * e.g. {@code proj.mp4}, to it): for a writer that knows the media folder, not the project (the editor's
     * export).
     */
    public static OutputGuard forMediaFolder(Path mediaDir) {
        OutputGuard guard = none().protectingFolder(mediaDir);
        Path abs = mediaDir.toAbsolutePath();
        String name = abs.getFileName() == null ? "" : abs.getFileName().toString();
        if (name.endsWith(MediaPaths.MEDIA_SUFFIX) && name.length() > MediaPaths.MEDIA_SUFFIX.length()) {
            String base = name.substring(0, name.length() - MediaPaths.MEDIA_SUFFIX.length());
            guard = guard.protectingFile(abs.resolveSibling(base + ProjectFiles.EXTENSION))
                    .protectingFile(abs.resolveSibling(base));
        }
        return guard;
    }

    public OutputGuard protectingFile(Path file) {
        List<Path> files = new ArrayList<>(protectedFiles);
        files.add(canonical(file));
        return new OutputGuard(files, protectedFolders);
    }

    public OutputGuard protectingFolder(Path folder) {
        List<Path> folders = new ArrayList<>(protectedFolders);
        folders.add(canonical(folder));
        return new OutputGuard(protectedFiles, folders);
    }

    /**
     * Checks a file output of the kind named by {@code extension} (".mp4", ".otio" …).
     *
     * @throws OutputRefusedException naming the path and the rule it breaks
     */
    public void checkFile(Path target, String extension) throws OutputRefusedException {
        Path real = canonical(target);
        checkNotProtected(target, real);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) || Files.exists(target)) {
            if (Files.isDirectory(target)) {
                throw new OutputRefusedException(target, "a folder with that name is in the way");
            }
            if (!Files.isRegularFile(target)) {
                throw new OutputRefusedException(target, "it exists and is not a regular file");
            }
            if (!hasExtension(real, extension) || !hasExtension(target, extension)) {
                throw new OutputRefusedException(target, "it exists and is not a " + extension
                        + " file; only a file of the output's own kind is replaced");
            }
        }
    }

    /**
     * Checks a project file written by Save As: a file output of kind {@code .storyboard}, and its media folder
     * {@code NAME.media}, into which the takes are copied, is new, empty, or that of the project being
     * replaced; never a protected folder, and never a non-empty folder that belongs to no project.
     */
    public void checkProjectFile(Path target) throws OutputRefusedException {
        checkFile(target, ProjectFiles.EXTENSION);
        Path media = MediaPaths.mediaDirFor(target);
        checkNotProtected(media, canonical(media));
        if (Files.exists(target) || !Files.exists(media, LinkOption.NOFOLLOW_LINKS) && !Files.exists(media)) {
            return;
        }
        if (!Files.isDirectory(media)) {
            throw new OutputRefusedException(target, "a file " + Printable.of(media) + " is in the way of its media folder");
        }
        boolean empty;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(media)) {
            empty = !entries.iterator().hasNext();
        } catch (IOException e) {
            throw new OutputRefusedException(target, "cannot list " + Printable.of(media) + " (" + IoMessages.describe(e) + ")");
        }
        if (!empty) {
            throw new OutputRefusedException(target, "its media folder " + Printable.of(media)
                    + " already holds files and belongs to no project; choose another name");
        }
    }

    /**
     * Checks a folder output whose entries are named as {@code ownEntry} accepts (e.g. {@code frame_000001.png}).
     *
     * @param kind what the folder holds, for the message ("PNG frames")
     */
    public void checkFolder(Path target, Predicate<String> ownEntry, String kind) throws OutputRefusedException {
        Path real = canonical(target);
        checkNotProtected(target, real);
        for (Path p : protectedFiles) {
            if (p.startsWith(real)) {
                throw new OutputRefusedException(target, "the folder holds the project file " + Printable.of(p));
            }
        }
        for (Path p : protectedFolders) {
            if (p.startsWith(real)) {
                throw new OutputRefusedException(target, "the folder holds the project's media folder " + Printable.of(p));
            }
        }
        if (!Files.exists(target) && !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new OutputRefusedException(target, "a file with that name is in the way");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!ownEntry.test(name) || !Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    throw new OutputRefusedException(target, "the folder is not empty and holds " + Printable.of(name)
                            + ", which is not one of the " + kind + " this command writes; choose a new or empty folder");
                }
            }
        } catch (OutputRefusedException e) {
            throw e;
        } catch (IOException e) {
            throw new OutputRefusedException(target, "cannot list the folder (" + IoMessages.describe(e) + ")");
        }
    }

    private void checkNotProtected(Path target, Path real) throws OutputRefusedException {
        for (Path p : protectedFiles) {
            if (real.equals(p) || sameFile(target, p)) {
                throw new OutputRefusedException(target, "it is the project file");
            }
        }
        for (Path p : protectedFolders) {
            if (real.startsWith(p)) {
                throw new OutputRefusedException(target, "it is inside the project's media folder " + Printable.of(p));
            }
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static boolean hasExtension(Path p, String extension) {
        Path name = p.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(extension.toLowerCase(Locale.ROOT));
    }

    /**
     * The path with every existing ancestor's links resolved: the real path of the longest existing prefix,
     * plus the rest. Comparing these catches links and {@code ..} that point back into the project.
     */
    static Path canonical(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        Path existing = abs;
        List<String> rest = new ArrayList<>();
        while (existing != null) {
            try {
                Path real = existing.toRealPath();
                for (int i = rest.size() - 1; i >= 0; i--) {
                    real = real.resolve(rest.get(i));
                }
                return real.normalize();
            } catch (IOException | SecurityException e) {
                if (existing.getFileName() == null) {
                    break;
                }
                rest.add(existing.getFileName().toString());
                existing = existing.getParent();
            }
        }
        return abs;
    }
}
