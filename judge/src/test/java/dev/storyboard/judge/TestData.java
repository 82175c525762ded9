package dev.storyboard.judge;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPInputStream;

/** Where the tests find their data: build outputs and Debian's opencv-doc sample videos. */
public final class TestData {
    /** Debian's opencv-doc puts the sample videos here (maybe gzip-compressed). */
    public static final Path OPENCV_DATA = Path.of("/usr/share/doc/opencv-doc/examples/data");

    private TestData() {
    }

    /** Scratch folder under target/. */
    public static Path work() throws IOException {
        Path p = Path.of(System.getProperty("judge.work", "target/judge-work"));
        Files.createDirectories(p);
        return p;
    }

    /** The multishot ground-truth export made by the build (exec-maven-plugin, generate-test-resources). */
    public static Path clips() {
        return exportDir("judge.clips", "target/storyworld-clips");
    }

    /** The continuation-mode export made by the build. */
    public static Path continuation() {
        return exportDir("judge.continuation", "target/storyworld-continuation");
    }

    private static Path exportDir(String property, String fallback) {
        Path p = Path.of(System.getProperty(property, fallback));
        if (!Files.isRegularFile(p.resolve("clips.json"))) {
            fail(p + "/clips.json is missing: the build renders it in generate-test-resources with "
                    + "`/usr/bin/python3 -m storyworld.export` (needs python3-torch); run `./mvnw -pl judge verify`");
        }
        return p;
    }

    /**
     * A sample video of opencv-doc, decompressed into target/ when Debian shipped it as .gz. Fails with the
     * install command when the package is missing.
     */
    public static Path opencvVideo(String name) throws IOException {
        Path plain = OPENCV_DATA.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = OPENCV_DATA.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            Path out = work().resolve(name);
            if (!Files.isRegularFile(out)) {
                Path tmp = work().resolve(name + ".part");
                try (InputStream in = new GZIPInputStream(Files.newInputStream(gz));
                     OutputStream o = Files.newOutputStream(tmp)) {
                    in.transferTo(o);
                }
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
            }
            return out;
        }
        return fail("the real-footage tests need " + plain + " from Debian's opencv-doc package: "
                + "apt-get install opencv-doc");
    }
}
