package dev.storyboard.domain.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaStoreTest {
    @TempDir Path dir;

    private static Path frames(Path takeDir) throws Exception {
        Files.createDirectories(takeDir);
        Files.writeString(takeDir.resolve("frame-000000.png"), "frame");
        Files.writeString(takeDir.resolve("frame-000001.png"), "frame");
        return takeDir;
    }

    @Test
    void deletingATakesFramesRemovesItsFolderAndEmptyParentsButNothingElse() throws Exception {
        Path media = Files.createDirectory(dir.resolve("p.media"));
        frames(media.resolve("s/t1"));
        frames(media.resolve("s/t2"));
        Files.writeString(media.resolve("s/t2/notes.txt"), "the user's");
        MediaStore.deleteTakeFrames(media, "s/t1");
        assertThat(media.resolve("s/t1")).doesNotExist();
        assertThat(media.resolve("s/t2/frame-000000.png")).exists();
        MediaStore.deleteTakeFrames(media, "s/t2");
        assertThat(media.resolve("s/t2")).isDirectoryContaining(p -> p.getFileName().toString().equals("notes.txt"))
                .isDirectoryNotContaining(p -> p.getFileName().toString().startsWith("frame-"));
        Files.delete(media.resolve("s/t2/notes.txt"));
        frames(media.resolve("s/t2"));
        MediaStore.deleteTakeFrames(media, "s/t2");
        assertThat(media.resolve("s")).as("empty once its last take went").doesNotExist();
        assertThat(media).as("the media folder itself stays").isDirectory();
        MediaStore.deleteTakeFrames(media, "s/never-written");
        assertThatThrownBy(() -> MediaStore.deleteTakeFrames(media, "../q.media/s/t1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTakeFolderThatLeadsOutOfTheMediaFolderIsNotTouched() throws Exception {
        Path media = Files.createDirectories(dir.resolve("p.media/s"));
        Path outside = frames(dir.resolve("elsewhere/t"));
        Files.createSymbolicLink(media.resolve("t"), outside);
        Files.createSymbolicLink(dir.resolve("p.media/u"), outside.getParent());
        MediaStore.deleteTakeFrames(dir.resolve("p.media"), "s/t");
        assertThatThrownBy(() -> MediaStore.deleteTakeFrames(dir.resolve("p.media"), "u/t"))
                .isInstanceOf(IOException.class).hasMessageContaining("outside the project's media folder");
        assertThat(outside.resolve("frame-000000.png")).exists();
        assertThat(outside.resolve("frame-000001.png")).exists();
    }
}
