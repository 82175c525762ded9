package dev.storyboard.ui.project;

import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.io.AtomicFiles;
import dev.storyboard.domain.project.MediaPaths;
import dev.storyboard.domain.project.MediaStore;
import dev.storyboard.domain.project.ProjectFileException;
import dev.storyboard.domain.project.ProjectFiles;
import dev.storyboard.domain.project.ProjectLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Autosaves for crash recovery, one pair of files per editor session in a recovery folder:
 * {@code <session>.storyboard} (the storyboard, written atomically) and {@code <session>.properties}
 * (process id, the project it belongs to, its media folder, when). A clean exit deletes them; files left
 * by a process that is no longer running are offered for recovery. Blocking: call from a background thread.
 */
public final class RecoveryStore {
    private final Path dir;
    private final String session;
    private final ProjectFiles files = new ProjectFiles();

    /** One autosave left behind by a session that did not exit cleanly. */
    public record Recoverable(Path file, Path metadata, Storyboard storyboard, Path originalProject, Path mediaDir,
                              Instant savedAt, long pid) {}

    public RecoveryStore(Path dir) {
        this(dir, UUID.randomUUID().toString().substring(0, 8));
    }

    public RecoveryStore(Path dir, String session) {
        this.dir = dir;
        this.session = session;
    }

    public Path dir() {
        return dir;
    }

    public String session() {
        return session;
    }

    /** Media folder for an untitled project of this session. */
    public Path scratchMediaDir() {
        return dir.resolve("untitled-" + session + MediaPaths.MEDIA_SUFFIX);
    }

    public Path autosaveFile() {
        return dir.resolve(session + ".storyboard");
    }

    private Path metadataFile() {
        return dir.resolve(session + ".properties");
    }

    /** Writes the autosave (atomically) and its metadata. */
    public void autosave(Storyboard storyboard, Path originalProject, Path mediaDir) throws IOException {
        Files.createDirectories(dir);
        files.write(storyboard, autosaveFile());
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        p.setProperty("project", originalProject == null ? "" : originalProject.toAbsolutePath().toString());
        p.setProperty("media", mediaDir == null ? "" : mediaDir.toAbsolutePath().toString());
        p.setProperty("savedAt", Instant.now().toString());
        AtomicFiles.write(metadataFile(), out -> p.store(out, "Storyboard autosave"));
    }

    /** Clean exit or saved: this session's autosave is no longer needed (its scratch media stays if referenced). */
    public void discardOwn() throws IOException {
        Files.deleteIfExists(autosaveFile());
        Files.deleteIfExists(metadataFile());
    }

    /**
     * Clean exit: the frames this session generated while its project had no file are no longer needed (a saved
     * project has its own copies; an unsaved one was given up). Deletes this session's scratch media folder.
     */
    public void discardOwnMedia() throws IOException {
        MediaStore.deleteTake(scratchMediaDir());
    }

    /** Autosaves of sessions whose process is gone, newest first. Unreadable ones are skipped. */
    public List<Recoverable> findRecoverable() {
        List<Recoverable> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (Stream<Path> list = Files.list(dir)) {
            for (Path meta : list.filter(p -> p.getFileName().toString().endsWith(".properties")).toList()) {
                read(meta).ifPresent(found::add);
            }
        } catch (IOException e) {
            return found;
        }
        found.sort(Comparator.comparing(Recoverable::savedAt).reversed());
        return found;
    }

    private Optional<Recoverable> read(Path meta) {
        String name = meta.getFileName().toString();
        String otherSession = name.substring(0, name.length() - ".properties".length());
        if (otherSession.equals(session)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            p.load(in);
            long pid = Long.parseLong(p.getProperty("pid", "-1"));
            if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return Optional.empty(); // another editor is running with it
            }
            Path file = dir.resolve(otherSession + ".storyboard");
            Storyboard storyboard = new ProjectLoader().load(file).storyboard();
            String project = p.getProperty("project", "");
            String media = p.getProperty("media", "");
            return Optional.of(new Recoverable(file, meta, storyboard, project.isEmpty() ? null : Path.of(project),
                    media.isEmpty() ? null : Path.of(media), Instant.parse(p.getProperty("savedAt", Instant.EPOCH.toString())), pid));
        } catch (ProjectFileException | RuntimeException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Deletes a recoverable autosave (recovered or declined). */
    public static void discard(Recoverable r) throws IOException {
        Files.deleteIfExists(r.file());
        Files.deleteIfExists(r.metadata());
    }
}
