package dev.storyboard.domain.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectFilesTest {
    @TempDir Path dir;
    private final ProjectFiles files = new ProjectFiles();

    private static Storyboard sample() {
        Shot first = new Shot("s1", "a red ball bounces in a meadow", 16, CameraMove.PAN_LEFT, ShotSize.WIDE, 42L, 4.5,
                List.of(new Take("t1", 42L, 24, "s1-t1.mp4")), "t1");
        Shot second = Shot.planned("s2", "the red ball spins", 12, CameraMove.ZOOM_IN, ShotSize.CLOSE_UP, 7L);
        return new Storyboard("Ball", "a red striped ball in a meadow", 8, 64, 64, List.of(first, second));
    }

    @Test
    void roundTripsEveryField() throws Exception {
        Path file = dir.resolve("scene.storyboard");
        files.write(sample(), file);
        assertThat(files.read(file)).isEqualTo(sample());
        assertThat(Files.readString(file)).contains("\"format\" : \"storyboard-project/1\"");
    }

    @Test
    void failedSaveLeavesPreviousFileIntact() throws Exception {
        Path file = dir.resolve("scene.storyboard");
        files.write(sample(), file);
        byte[] before = Files.readAllBytes(file);
        // Make the folder read-only so the temporary file cannot be created.
        dir.toFile().setWritable(false);
        try {
            if (dir.toFile().canWrite()) {
                return; // running as a user that ignores permissions (root): covered by the rename test below
            }
            Storyboard changed = sample().withShots(List.of());
            assertThatThrownBy(() -> files.write(changed, file))
                    .isInstanceOf(ProjectFileException.class)
                    .hasMessageContaining("cannot save");
        } finally {
            dir.toFile().setWritable(true);
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void saveOverADirectoryFailsWithoutLeavingTempFiles() throws Exception {
        Path target = dir.resolve("taken.storyboard");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep.txt"), "x");
        assertThatThrownBy(() -> files.write(sample(), target)).isInstanceOf(ProjectFileException.class)
                .hasMessageContaining(target.toString());
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("taken.storyboard");
        }
        assertThat(target.resolve("keep.txt")).hasContent("x");
    }

    @Test
    void malformedJsonNamesFileAndLine() throws Exception {
        Path file = dir.resolve("broken.storyboard");
        Files.writeString(file, "{\n \"format\": \"storyboard-project/1\",\n \"storyboard\": {\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> files.read(file))
                .isInstanceOf(ProjectFileException.class)
                .hasMessageContaining("broken.storyboard")
                .hasMessageContaining("line");
    }

    @Test
    void invalidValueNamesTheProblem() throws Exception {
        Path file = dir.resolve("bad.storyboard");
        files.write(sample(), file);
        Files.writeString(file, Files.readString(file).replace("\"durationFrames\" : 16", "\"durationFrames\" : -3"));
        assertThatThrownBy(() -> files.read(file))
                .isInstanceOf(ProjectFileException.class)
                .hasMessageContaining("durationFrames must be > 0");
    }

    @Test
    void unknownFormatIsRejected() throws Exception {
        Path file = dir.resolve("future.storyboard");
        Files.writeString(file, "{\"format\":\"storyboard-project/99\",\"storyboard\":null}");
        assertThatThrownBy(() -> files.read(file)).hasMessageContaining("unsupported format 'storyboard-project/99'");
    }

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("nope.storyboard");
        assertThatThrownBy(() -> files.read(file)).isInstanceOf(ProjectFileException.class)
                .hasMessageContaining("nope.storyboard").hasMessageContaining("does not exist");
    }
}
