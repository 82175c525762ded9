package dev.storyboard.ui.project;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * What the editor remembers between runs (java.util.prefs): recent projects and the window's bounds.
 * The node is passed in, so tests use a throw-away node.
 */
public final class EditorPreferences {
    public static final int MAX_RECENT = 8;
    private final Preferences node;

    /** Window bounds as remembered. */
    public record WindowState(double x, double y, double width, double height, boolean maximized) {}

    public EditorPreferences(Preferences node) {
        this.node = node;
    }

    /** The editor's default node. */
    public static EditorPreferences user() {
        return new EditorPreferences(Preferences.userRoot().node("dev/storyboard/editor"));
    }

    public List<Path> recentFiles() {
        List<Path> list = new ArrayList<>();
        for (int i = 0; i < MAX_RECENT; i++) {
            String s = node.get("recent." + i, null);
            if (s != null && !s.isBlank()) {
                try {
                    list.add(Path.of(s));
                } catch (RuntimeException ignored) {
                    // unreadable entry: skip
                }
            }
        }
        return list;
    }

    /** Puts {@code file} first in the recent list. */
    public void addRecent(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        List<Path> list = new ArrayList<>(recentFiles());
        list.remove(abs);
        list.add(0, abs);
        writeRecent(list);
    }

    public void removeRecent(Path file) {
        List<Path> list = new ArrayList<>(recentFiles());
        list.remove(file.toAbsolutePath().normalize());
        writeRecent(list);
    }

    private void writeRecent(List<Path> list) {
        for (int i = 0; i < MAX_RECENT; i++) {
            if (i < list.size()) {
                node.put("recent." + i, list.get(i).toString());
            } else {
                node.remove("recent." + i);
            }
        }
        flush();
    }

    public WindowState windowState(WindowState fallback) {
        double w = node.getDouble("window.width", -1);
        double h = node.getDouble("window.height", -1);
        if (w < 200 || h < 150) {
            return fallback;
        }
        return new WindowState(node.getDouble("window.x", fallback.x()), node.getDouble("window.y", fallback.y()), w, h,
                node.getBoolean("window.maximized", false));
    }

    public void saveWindowState(WindowState state) {
        node.putDouble("window.x", state.x());
        node.putDouble("window.y", state.y());
        node.putDouble("window.width", state.width());
        node.putDouble("window.height", state.height());
        node.putBoolean("window.maximized", state.maximized());
        flush();
    }

    public double dividerPosition(String key, double fallback) {
        double v = node.getDouble("divider." + key, fallback);
        return v > 0.05 && v < 0.95 ? v : fallback;
    }

    public void saveDividerPosition(String key, double value) {
        node.putDouble("divider." + key, value);
    }

    public void flush() {
        try {
            node.flush();
        } catch (BackingStoreException | IllegalStateException ignored) {
            // preferences are a convenience; never fail an edit because of them
        }
    }
}
