package dev.storyboard.app;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where the libraries put what they still unpack or cache: under Storyboard's own folders that follow the
 * desktop's conventions ({@code $XDG_CACHE_HOME/storyboard}, default {@code ~/.cache/storyboard}; preferences
 * under {@code $XDG_CONFIG_HOME/storyboard}), never into new dot-folders in the home root (DJL's
 * {@code ~/.djl.ai}, JavaCPP's {@code ~/.javacpp}, JavaFX's {@code ~/.openjfx}, {@code ~/.java/.userPrefs}).
 *
 * <p>The installers ship the natives unpacked inside the image and point the libraries at them
 * (docs/INSTALLERS.md, decision 0007), so in an installed app these folders stay small; from a development
 * build ({@code java -jar}) the libraries still unpack from their jars, into these folders. A property that is
 * already set (on the command line, {@code JAVA_TOOL_OPTIONS}) is kept; DJL also reads the environment
 * variable of the same name first.
 */
public final class AppCaches {
    private AppCaches() {
    }

    /** Sets the system properties {@link #properties} names, each only if it is not set yet. */
    public static void configure() {
        properties(cacheRoot(System.getenv("XDG_CACHE_HOME")), configRoot(System.getenv("XDG_CONFIG_HOME")),
                System.getProperties()).forEach(System::setProperty);
    }

    /**
     * The properties to set: DJL's engine cache ({@code DJL_CACHE_DIR}, which {@code ENGINE_CACHE_DIR}
     * defaults to), JavaCPP's cache, JavaFX's native cache, JNA's unpack folder, and the java.util.prefs user
     * root, minus those {@code existing} already has.
     */
    static Map<String, String> properties(Path cacheRoot, Path configRoot, Properties existing) {
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put("DJL_CACHE_DIR", cacheRoot.resolve("djl").toString());
        wanted.put("org.bytedeco.javacpp.cachedir", cacheRoot.resolve("javacpp").toString());
        wanted.put("javafx.cachedir", cacheRoot.resolve("openjfx").toString());
        wanted.put("jna.tmpdir", cacheRoot.resolve("jna").toString());
        wanted.put("java.util.prefs.userRoot", configRoot.resolve("java-prefs").toString());
        wanted.keySet().removeIf(existing::containsKey);
        return wanted;
    }

    /** {@code $XDG_CACHE_HOME/storyboard}, or {@code ~/.cache/storyboard} when it is unset or empty. */
    static Path cacheRoot(String xdgCacheHome) {
        return xdgBase(xdgCacheHome, ".cache").resolve("storyboard");
    }

    /** {@code $XDG_CONFIG_HOME/storyboard}, or {@code ~/.config/storyboard} when it is unset or empty. */
    static Path configRoot(String xdgConfigHome) {
        return xdgBase(xdgConfigHome, ".config").resolve("storyboard");
    }

    private static Path xdgBase(String value, String fallback) {
        return value != null && !value.isBlank() ? Path.of(value) : Path.of(System.getProperty("user.home"), fallback);
    }
}
