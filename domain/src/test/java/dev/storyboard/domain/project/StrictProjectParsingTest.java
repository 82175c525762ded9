package dev.storyboard.domain.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader accepts exactly the documented format: no trailing data, no duplicate keys, no coercion (item 10, 11). */
class StrictProjectParsingTest {
    @TempDir Path dir;
    private String valid;

    @BeforeEach
    void writeValid() throws Exception {
        Storyboard sb = new Storyboard("T", "", 8, 64, 64, List.of(new Shot("s1", "a ball", 16, CameraMove.STATIC,
                ShotSize.WIDE, 7, 4, List.of(new Take("t1", 7, 16, "s1/t1")), "t1")));
        Path file = dir.resolve("p.storyboard");
        new ProjectFiles().write(sb, file);
        valid = Files.readString(file);
    }

    private ProjectFileException reject(String json) {
        Path file = dir.resolve("bad.storyboard");
        try {
            Files.writeString(file, json, StandardCharsets.UTF_8);
            new ProjectLoader().load(file);
        } catch (ProjectFileException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("undocumented " + e, e);
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void theValidFileLoads() throws Exception {
        Path file = dir.resolve("ok.storyboard");
        Files.writeString(file, valid);
        assertThat(new ProjectLoader().load(file).storyboard().shots()).hasSize(1);
    }

    @Test
    void trailingGarbageAndASecondDocumentAreRejected() {
        assertThat(reject(valid + " garbage").getMessage()).contains("bad.storyboard");
        assertThat(reject(valid + "\n{}").getMessage()).contains("bad.storyboard");
    }

    @Test
    void duplicateKeysAreRejectedAndTheVersionIsReadByTheSameParser() {
        String dupFormat = valid.replaceFirst("\\{", "{ \"format\" : \"storyboard-project/9\",");
        assertThat(reject(dupFormat).getMessage()).containsIgnoringCase("duplicate").contains("format");
        String dupDuration = valid.replace("\"durationFrames\" : 16", "\"durationFrames\" : 16, \"durationFrames\" : 8");
        assertThat(reject(dupDuration).getMessage()).containsIgnoringCase("duplicate");
        String newer = valid.replace("storyboard-project/1", "storyboard-project/2");
        assertThat(reject(newer).getMessage()).contains("newer version");
        String hiddenNewer = "{ \"storyboard\" : " + valid.substring(valid.indexOf("\"storyboard\" :") + 15, valid.lastIndexOf('}'))
                + ", \"format\" : \"storyboard-project/2\" }";
        assertThat(reject(hiddenNewer).getMessage()).contains("newer version");
    }

    @Test
    void numbersAreNotCoerced() {
        assertThat(valid).contains("\"durationFrames\" : 16").contains("\"seed\" : 7");
        assertThat(reject(valid.replace("\"durationFrames\" : 16", "\"durationFrames\" : 16.5")).getMessage())
                .contains("durationFrames");
        assertThat(reject(valid.replace("\"durationFrames\" : 16", "\"durationFrames\" : \"16\"")).getMessage())
                .contains("durationFrames");
        assertThat(reject(valid.replace("\"seed\" : 7", "\"seed\" : 1.5")).getMessage()).contains("seed");
    }

    @Test
    void aHugeFrameSizeIsRejected() {
        assertThat(reject(valid.replace("\"width\" : 64", "\"width\" : 2147483647")).getMessage()).contains("frame size");
    }

    @Test
    void errorMessagesEscapeControlCharactersAndQuoteNoFileContent() {
        String evil = valid.replace("\"id\" : \"s1\"", "\"id\" : \"s\\u001b]0;owned\\u0007" + "x".repeat(200) + "\"");
        String message = reject(evil).getMessage();
        assertThat(message).doesNotContain("\u001b").doesNotContain("\u0007");
        String unknown = valid.replaceFirst("\\{", "{ \"secret\\u001b[2J\" : \"HOME=/root\",");
        assertThat(reject(unknown).getMessage()).doesNotContain("\u001b").doesNotContain("HOME=/root")
                .doesNotContain("com.fasterxml");
    }
}
