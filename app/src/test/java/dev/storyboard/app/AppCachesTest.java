package dev.storyboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The libraries' caches go under Storyboard's XDG folders, and explicit settings win. */
class AppCachesTest {
    @Test
    void everyCacheIsUnderTheStoryboardCacheFolder() {
        Path cache = Path.of("/x/cache/storyboard");
        Path config = Path.of("/x/config/storyboard");
        Map<String, String> p = AppCaches.properties(cache, config, new Properties());
        assertThat(p).containsOnlyKeys("DJL_CACHE_DIR", "org.bytedeco.javacpp.cachedir", "javafx.cachedir",
                "jna.tmpdir", "java.util.prefs.userRoot");
        p.forEach((k, v) -> assertThat(Path.of(v)).as(k)
                .startsWithRaw(k.equals("java.util.prefs.userRoot") ? config : cache));
    }

    @Test
    void aPropertyThatIsAlreadySetIsKept() {
        Properties existing = new Properties();
        existing.setProperty("org.bytedeco.javacpp.cachedir", "/mine");
        assertThat(AppCaches.properties(Path.of("/c"), Path.of("/k"), existing))
                .doesNotContainKey("org.bytedeco.javacpp.cachedir").containsKey("DJL_CACHE_DIR");
    }

    @Test
    void xdgFoldersWhenSetOtherwiseTheHomeDefaults() {
        String home = System.getProperty("user.home");
        assertThat(AppCaches.cacheRoot("/xdg/cache")).isEqualTo(Path.of("/xdg/cache/storyboard"));
        assertThat(AppCaches.cacheRoot(null)).isEqualTo(Path.of(home, ".cache", "storyboard"));
        assertThat(AppCaches.cacheRoot(" ")).isEqualTo(Path.of(home, ".cache", "storyboard"));
        assertThat(AppCaches.configRoot("/xdg/config")).isEqualTo(Path.of("/xdg/config/storyboard"));
        assertThat(AppCaches.configRoot("")).isEqualTo(Path.of(home, ".config", "storyboard"));
    }
}
