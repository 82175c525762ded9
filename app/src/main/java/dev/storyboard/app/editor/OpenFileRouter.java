package dev.storyboard.app.editor;

import java.awt.Desktop;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Routes the files the operating system asks the app to open to the editor. On Linux and Windows the desktop
 * entry passes the file as an argument ({@code Main.openFileArgs}); macOS instead starts the app without
 * arguments and hands the file over as an Apple "open documents" event, which may arrive just before the editor
 * exists (the double-click that started the app) or while it runs (a second document). This class holds that
 * logic without any platform code, so it is unit-tested everywhere; {@link #installMacHandler} connects it to
 * {@code java.awt.Desktop} on macOS.
 */
public final class OpenFileRouter {
    /** The app's router, fed by the macOS handler when {@link #installMacHandler} installed it. */
    public static final OpenFileRouter APP = new OpenFileRouter();

    private final Object lock = new Object();
    private Path pending;
    private Consumer<Path> editor;
    private volatile boolean installed;

    /**
     * One open-file event (any thread): the first existing {@code .storyboard} file among {@code files} goes to
     * the running editor, or, before the editor exists, waits for it (a later event replaces an earlier one).
     * Other files (folders, other types, missing files) are ignored.
     */
    public void filesOpened(List<Path> files) {
        Optional<Path> project = firstProject(files);
        if (project.isEmpty()) {
            return;
        }
        Consumer<Path> target;
        synchronized (lock) {
            if (editor == null) {
                pending = project.get();
                lock.notifyAll();
                return;
            }
            target = editor;
        }
        target.accept(project.get());
    }

    /** The first regular file named {@code *.storyboard} (any case) in {@code files}. */
    static Optional<Path> firstProject(List<Path> files) {
        for (Path f : files) {
            if (f != null && f.getFileName() != null
                    && f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".storyboard")
                    && Files.isRegularFile(f)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /**
     * Start-up, before the editor opens: the project an open-file event named, waiting up to {@code wait} for
     * one when a handler is installed (macOS sends the event right after launch). The file is taken: it will
     * not be delivered again by {@link #attach}.
     */
    public Optional<Path> takeStartupFile(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + (installed ? wait.toNanos() : 0);
        synchronized (lock) {
            long left;
            while (pending == null && (left = deadline - System.nanoTime()) > 0) {
                lock.wait(Math.max(1, left / 1_000_000));
            }
            Path file = pending;
            pending = null;
            return Optional.ofNullable(file);
        }
    }

    /**
     * The editor is open: {@code open} receives every later file (it must ask about unsaved changes and hop to
     * the UI thread itself), and at once a file that arrived after {@link #takeStartupFile} gave up.
     */
    public void attach(Consumer<Path> open) {
        Path file;
        synchronized (lock) {
            editor = open;
            file = pending;
            pending = null;
        }
        if (file != null) {
            open.accept(file);
        }
    }

    /** The editor closed: files wait again. */
    public void detach() {
        synchronized (lock) {
            editor = null;
        }
    }

    /** Marks a handler as installed (so {@link #takeStartupFile} waits); for the platform hook and tests. */
    void markInstalled() {
        installed = true;
    }

    /**
     * macOS only: routes {@code java.awt.Desktop}'s open-file events to this router. Must run early in
     * {@code main}, before the event arrives. Elsewhere (or headless, or without the action) it does nothing.
     *
     * @return whether the handler was installed
     */
    public boolean installMacHandler() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("mac")) {
            return false;
        }
        try {
            if (!Desktop.isDesktopSupported() || !Desktop.getDesktop().isSupported(Desktop.Action.APP_OPEN_FILE)) {
                return false;
            }
            Desktop.getDesktop().setOpenFileHandler(
                    e -> filesOpened(e.getFiles().stream().map(File::toPath).toList()));
            markInstalled();
            return true;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
