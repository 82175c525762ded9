package dev.storyboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code storyboard --version}: the Maven project version and the bundled model's name and manifest hash. */
class VersionTest {
    @Test
    void printsTheProjectVersionAndTheBundledModel() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new StoryboardCommand());
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("--version")).isEqualTo(0);
        String[] lines = out.toString().strip().split("\\R");

        // The version the build was made from (Maven property, filtered), never the old "dev" fallback.
        String expected = System.getProperty("project.version.expected");
        assertThat(expected).as("surefire passes the pom's version (app/pom.xml)").isNotBlank();
        assertThat(lines[0]).isEqualTo("storyboard " + expected).doesNotContain("dev");
        assertThat(StoryboardCommand.projectVersion()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");

        // The assets on the test class path bundle storydit-s; its hash is that of the manifest resource.
        byte[] manifest;
        try (InputStream in = VersionTest.class.getResourceAsStream("/storyboard/models/default/manifest.json")) {
            assertThat(in).as("this build bundles a model").isNotNull();
            manifest = in.readAllBytes();
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(manifest));
        assertThat(lines).hasSize(2);
        assertThat(lines[1]).matches("model [a-z0-9-]+ \\(manifest sha256 [0-9a-f]{64}\\)").contains(sha);
    }
}
