package dev.storyboard.inference.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged extracted copy of the bundled model is extracted again from the jar, and the user is told (item 13). */
class BundledModelRepairTest {
    @TempDir Path dir;

    @Test
    void aCorruptedExtractedCopyIsReExtracted() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(ModelConfig.FILE_NAME, "{}".getBytes(StandardCharsets.UTF_8));
        files.put(StoryboardModel.DIT_FILE, new byte[] {1, 2, 3, 4, 5, 6});
        files.put(StoryboardModel.VAE_DECODER_FILE, new byte[] {7, 8, 9});
        StringBuilder entries = new StringBuilder();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path tmp = Files.write(dir.resolve("tmp"), f.getValue());
            entries.append(entries.length() == 0 ? "" : ",").append("{\"path\":\"").append(f.getKey()).append("\",\"sha256\":\"")
                    .append(ModelVerifier.sha256(tmp)).append("\",\"bytes\":").append(f.getValue().length).append('}');
        }
        files.put(ModelManifest.FILE_NAME, ("{\"format\":\"storyboard-model/1\",\"name\":\"m\",\"preset\":\"S\",\"files\":["
                + entries + "]}").getBytes(StandardCharsets.UTF_8));
        Path jar = dir.resolve("assets.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                j.putNextEntry(new JarEntry(BundledModel.RESOURCE_DIR + f.getKey()));
                j.write(f.getValue());
                j.closeEntry();
            }
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            BundledModel bundled = new BundledModel(loader, dir.resolve("cache"));
            Path extracted = bundled.locate().orElseThrow();
            assertThat(new ModelVerifier().verifyComplete(extracted).ok()).isTrue();

            Files.write(extracted.resolve(StoryboardModel.DIT_FILE), new byte[] {1, 2, 3}); // truncated on disk
            PrintStream realErr = System.err;
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Path again;
            try {
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                again = bundled.locate().orElseThrow();
            } finally {
                System.setErr(realErr);
            }
            assertThat(again).isEqualTo(extracted);
            assertThat(new ModelVerifier().verifyComplete(again).ok()).isTrue();
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("damaged").contains("extracted it again");
        }
    }
}
