package dev.storyboard.app.editor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The routing of macOS open-file events (no Mac needed: the Desktop hook only forwards to this logic). */
@Timeout(30)
class OpenFileRouterTest {
    @TempDir Path dir;

    private Path file(String name) throws Exception {
        return Files.writeString(dir.resolve(name), "{}");
    }

    @Test
    void onlyExistingStoryboardFilesAreProjects() throws Exception {
        Path project = file("a.storyboard");
        Path upper = file("B.STORYBOARD");
        Path other = file("notes.txt");
        Path folder = Files.createDirectory(dir.resolve("folder.storyboard"));
        Path missing = dir.resolve("missing.storyboard");
        assertThat(OpenFileRouter.firstProject(List.of(other, folder, missing, project, upper))).contains(project);
        assertThat(OpenFileRouter.firstProject(List.of(upper))).contains(upper);
        assertThat(OpenFileRouter.firstProject(List.of(other, folder, missing))).isEmpty();
        assertThat(OpenFileRouter.firstProject(List.of())).isEmpty();
    }

    @Test
    void aFileThatArrivesBeforeTheEditorIsTheStartupProjectAndIsNotDeliveredTwice() throws Exception {
        OpenFileRouter router = new OpenFileRouter();
        router.markInstalled();
        Path first = file("first.storyboard");
        Path second = file("second.storyboard");
        router.filesOpened(List.of(first));
        router.filesOpened(List.of(second)); // the later event wins
        assertThat(router.takeStartupFile(Duration.ofSeconds(5))).contains(second);
        List<Path> opened = new CopyOnWriteArrayList<>();
        router.attach(opened::add);
        assertThat(opened).isEmpty();
    }

    @Test
    void startupWaitsForALateEventOnlyWhileAHandlerIsInstalled() throws Exception {
        OpenFileRouter router = new OpenFileRouter();
        long start = System.nanoTime();
        assertThat(router.takeStartupFile(Duration.ofSeconds(10))).isEmpty(); // no handler: no wait at all
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

        router.markInstalled();
        Path late = file("late.storyboard");
        Thread os = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            router.filesOpened(List.of(late));
        });
        os.start();
        assertThat(router.takeStartupFile(Duration.ofSeconds(20))).contains(late);
        os.join();

        start = System.nanoTime();
        assertThat(router.takeStartupFile(Duration.ofMillis(200))).isEmpty(); // nothing came: gives up at the wait
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }

    @Test
    void theRunningEditorGetsEveryLaterFileAndAFileThatMissedStartup() throws Exception {
        OpenFileRouter router = new OpenFileRouter();
        Path missedStartup = file("missed.storyboard");
        Path later = file("later.storyboard");
        router.filesOpened(List.of(missedStartup));
        List<Path> opened = new CopyOnWriteArrayList<>();
        router.attach(opened::add);
        assertThat(opened).containsExactly(missedStartup);
        router.filesOpened(List.of(file("x.txt")));
        router.filesOpened(List.of(later));
        assertThat(opened).containsExactly(missedStartup, later);

        router.detach(); // editor closed: the next file waits for the next editor
        Path afterClose = file("after.storyboard");
        router.filesOpened(List.of(afterClose));
        assertThat(opened).containsExactly(missedStartup, later);
        assertThat(router.takeStartupFile(Duration.ZERO)).contains(afterClose);
    }

    @Test
    void theMacHandlerIsNotInstalledElsewhere() {
        if (!System.getProperty("os.name", "").toLowerCase().startsWith("mac")) {
            assertThat(new OpenFileRouter().installMacHandler()).isFalse();
        }
    }
}
