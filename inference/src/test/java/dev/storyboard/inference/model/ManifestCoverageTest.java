package dev.storyboard.inference.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storyboard.inference.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A manifest must cover every file the model needs, or nothing is verified (issue 18, item 13). */
class ManifestCoverageTest {
    @TempDir Path dir;

    @Test
    void anEmptyFileListDoesNotPassEvenWithTruncatedWeights() throws Exception {
        Files.write(dir.resolve(StoryboardModel.DIT_FILE), new byte[] {1, 2});
        Files.writeString(dir.resolve("manifest.json"),
                "{\"format\":\"storyboard-model/1\",\"name\":\"x\",\"preset\":\"S\",\"files\":[]}");
        ModelVerifier.Verification v = new ModelVerifier().verifyComplete(dir);
        assertThat(v.ok()).isFalse();
        assertThat(v.summary()).contains("config.json").contains(StoryboardModel.DIT_FILE)
                .contains(StoryboardModel.VAE_DECODER_FILE).contains("not listed in manifest.json")
                .doesNotContain("all 0 files verified");
        assertThatThrownBy(() -> new ModelVerifier().verifyOrThrow(dir)).isInstanceOf(ModelIntegrityException.class)
                .hasMessageContaining("not listed in manifest.json");
    }

    @Test
    void aPixelModelNeedsNoVaeFilesButAVaeModelNeedsItsDecoder() throws Exception {
        assertThat(ModelVerifier.requiredFiles(Fixtures.TINY_PIXEL.modelDir()))
                .containsExactly("config.json", StoryboardModel.DIT_FILE);
        assertThat(new ModelVerifier().verifyComplete(Fixtures.TINY_PIXEL.modelDir()).ok()).isTrue();
        assertThat(ModelVerifier.requiredFiles(Fixtures.TINY.modelDir()))
                .containsExactly("config.json", StoryboardModel.DIT_FILE, StoryboardModel.VAE_DECODER_FILE);
    }
}
