package dev.storyboard.inference.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelVerifierTest {
    @TempDir Path dir;

    private void writeModel(byte[] weights) throws Exception {
        Files.write(dir.resolve("storydit.safetensors"), weights);
        String sha = ModelVerifier.sha256(dir.resolve("storydit.safetensors"));
        Files.writeString(dir.resolve("manifest.json"), """
                {"format": "storyboard-model/1", "name": "test", "preset": "tiny",
                 "files": [{"path": "storydit.safetensors", "sha256": "%s", "bytes": %d}]}
                """.formatted(sha, weights.length));
    }

    @Test
    void intactModelVerifies() throws Exception {
        writeModel(new byte[] {1, 2, 3, 4});
        ModelVerifier.Verification v = new ModelVerifier().verify(dir);
        assertThat(v.ok()).isTrue();
        assertThat(v.summary()).startsWith("all 1 files verified (SHA-256); ")
                .endsWith(" sha256 " + v.manifest().files().get(0).sha256());
    }

    @Test
    void flippedByteIsReportedAsCorrupt() throws Exception {
        writeModel(new byte[] {1, 2, 3, 4});
        Files.write(dir.resolve("storydit.safetensors"), new byte[] {1, 2, 3, 5});
        ModelVerifier.Verification v = new ModelVerifier().verify(dir);
        assertThat(v.ok()).isFalse();
        assertThat(v.files().get(0).status()).isEqualTo(ModelVerifier.Status.CHECKSUM_MISMATCH);
        assertThat(v.summary()).contains("storydit.safetensors").contains("corrupt");
    }

    @Test
    void truncatedAndMissingFilesAreNamed() throws Exception {
        writeModel(new byte[] {1, 2, 3, 4});
        Files.write(dir.resolve("storydit.safetensors"), new byte[] {1, 2});
        assertThat(new ModelVerifier().verify(dir).files().get(0).status()).isEqualTo(ModelVerifier.Status.SIZE_MISMATCH);
        Files.delete(dir.resolve("storydit.safetensors"));
        assertThat(new ModelVerifier().verify(dir).summary()).contains("storydit.safetensors: file is missing");
    }

    @Test
    void missingManifestAndEscapingPathsAreRejected() throws Exception {
        assertThatThrownBy(() -> new ModelVerifier().verify(dir)).hasMessageContaining("no manifest.json");
        Files.writeString(dir.resolve("manifest.json"),
                "{\"format\":\"storyboard-model/1\",\"name\":\"x\",\"preset\":\"t\",\"files\":[{\"path\":\"../etc/passwd\",\"sha256\":\"00\",\"bytes\":1}]}");
        assertThatThrownBy(() -> new ModelVerifier().verify(dir)).hasMessageContaining("must stay inside the model folder");
    }
}
