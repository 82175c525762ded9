package dev.storyboard.ui.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.project.ProjectLoader;
import dev.storyboard.ui.EditorEnvironment;
import dev.storyboard.ui.EditorViewModel;
import dev.storyboard.ui.concurrent.Background;
import dev.storyboard.ui.concurrent.UiThread;
import dev.storyboard.ui.fake.SilentDialogs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM in the middle of a save (while the new project is being written to its temporary
 * file) and shows that the previous project is intact and that the next editor session offers the
 * autosave with the unsaved edit for recovery.
 */
class SaveCrashTest {
    @TempDir Path dir;

    @Test
    void killedDuringASaveLeavesThePreviousProjectIntactAndOffersTheAutosave() throws Exception {
        boolean caughtMidSave = false;
        for (int attempt = 0; attempt < 5 && !caughtMidSave; attempt++) {
            caughtMidSave = attempt(dir.resolve("run-" + attempt));
        }
        assertThat(caughtMidSave).as("at least one kill landed while the new file was being written").isTrue();
    }

    private boolean attempt(Path run) throws Exception {
        Path projects = Files.createDirectories(run.resolve("projects"));
        Path recovery = run.resolve("recovery");
        Path file = projects.resolve("big.storyboard");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                SaveCrashChild.class.getName(), file.toString(), recovery.toString())
                .redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the child was killed
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!lines.contains("SAVED 0") && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(lines).as("child saved the first version; output: %s", lines).contains("SAVED 0");
        // Kill as soon as a save's temporary file exists: the new version is half written.
        while (!hasTempFile(projects) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        child.destroyForcibly();
        child.waitFor(30, TimeUnit.SECONDS);
        reader.join(5_000);
        int lastStarted = lines.stream().filter(l -> l.startsWith("SAVING ")).mapToInt(l -> Integer.parseInt(l.substring(7)))
                .max().orElse(0);
        boolean midSave = hasTempFile(projects);
        int interrupted = lastStarted;

        // The project file is always a complete, valid project: the last version whose save finished.
        Storyboard onDisk = new ProjectLoader().load(file).storyboard();
        assertThat(onDisk.shots()).hasSize(SaveCrashChild.large().shots().size());
        int version = Integer.parseInt(onDisk.scenePrompt().substring("version ".length()));
        assertThat(version).isBetween(Math.max(0, lastStarted - 1), lastStarted);
        if (!midSave) {
            return false;
        }
        assertThat(version).as("the interrupted save did not replace the file").isEqualTo(lastStarted - 1);

        // A new session offers the autosave of the edit that was being saved.
        var sessions = new RecoveryStore(recovery, "next").findRecoverable();
        assertThat(sessions).singleElement().satisfies(r -> {
            assertThat(r.storyboard().scenePrompt()).isEqualTo("version " + interrupted);
            assertThat(r.originalProject()).isEqualTo(file.toAbsolutePath());
        });
        EditorEnvironment env = new EditorEnvironment(null, UiThread.direct(), Background.sameThread(),
                new SilentDialogs(), null, new RecoveryStore(recovery, "next"), null, () -> 1);
        EditorViewModel next = new EditorViewModel(env, Storyboard.empty("x", 8, 64, 64), null);
        next.offerRecovery();
        assertThat(next.noticeProperty().get().text()).contains("did not close properly").contains("Big scene");
        next.noticeProperty().get().actions().get(0).action().run();
        assertThat(next.storyboard().scenePrompt()).isEqualTo("version " + lastStarted);
        assertThat(next.projectFile()).isEqualTo(file.toAbsolutePath());
        assertThat(next.dirtyProperty().get()).isTrue();
        return true;
    }

    private static boolean hasTempFile(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            return names.stream().anyMatch(n -> n.startsWith(".big.storyboard") && n.endsWith(".tmp"));
        }
    }
}
