package dev.storyboard.inference.model;

import dev.storyboard.domain.io.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the default model shipped in the assets jar ({@value #RESOURCE_DIR}). In a development checkout
 * the resources are plain files and are used in place; inside a jar they are copied once into a
 * versioned cache folder (keyed by the manifest's SHA-256), because verification and loading read files
 * ({@code SafeTensors} reads each weights file into memory once; nothing is memory-mapped). A cached copy that
 * fails its checksums is extracted again (and a line on stderr says so).
 */
public final class BundledModel {
    public static final String RESOURCE_DIR = "storyboard/models/default/";

    private final ClassLoader loader;
    private final Path cacheRoot;

    public BundledModel(ClassLoader loader, Path cacheRoot) {
        this.loader = loader;
        this.cacheRoot = cacheRoot;
    }

    /** Standard cache root: {@code $XDG_CACHE_HOME/storyboard} or {@code ~/.cache/storyboard}. */
    public static Path defaultCacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("storyboard");
    }

    /**
     * What a bundled model is, for {@code --version}: the manifest's model name and the SHA-256 of the manifest
     * itself (which lists every file's SHA-256, so it names the exact weights; its first 16 hex digits are the
     * cache folder's key). Reads only the manifest from the jar; extracts nothing.
     */
    public record Identity(String name, String manifestSha256) {
    }

    /** The bundled model's identity, or empty when this build bundles none. */
    public Optional<Identity> identity() throws IOException {
        URL manifestUrl = loader.getResource(RESOURCE_DIR + ModelManifest.FILE_NAME);
        if (manifestUrl == null) {
            return Optional.empty();
        }
        byte[] manifestBytes;
        try (InputStream in = manifestUrl.openStream()) {
            manifestBytes = in.readAllBytes();
        }
        ModelManifest manifest = ModelManifest.parse(new ByteArrayInputStream(manifestBytes));
        return Optional.of(new Identity(manifest.name(), sha256Hex(manifestBytes)));
    }

    /** The model folder, or empty when no model is bundled in this build. Does not verify checksums. */
    public Optional<Path> locate() throws IOException {
        URL manifestUrl = loader.getResource(RESOURCE_DIR + ModelManifest.FILE_NAME);
        if (manifestUrl == null) {
            return Optional.empty();
        }
        if ("file".equals(manifestUrl.getProtocol())) {
            try {
                return Optional.of(Path.of(manifestUrl.toURI()).getParent());
            } catch (URISyntaxException e) {
                throw new IOException("bad model resource URL " + manifestUrl, e);
            }
        }
        return Optional.of(extractToCache(manifestUrl));
    }

    private Path extractToCache(URL manifestUrl) throws IOException {
        byte[] manifestBytes;
        try (InputStream in = manifestUrl.openStream()) {
            manifestBytes = in.readAllBytes();
        }
        ModelManifest manifest = ModelManifest.parse(new ByteArrayInputStream(manifestBytes));
        String key = sha256Hex(manifestBytes).substring(0, 16);
        Path target = cacheRoot.resolve("models").resolve(manifest.name() + "-" + key);
        if (Files.isRegularFile(target.resolve(ModelManifest.FILE_NAME))) {
            ModelVerifier.Verification v = new ModelVerifier().verifyComplete(target);
            if (v.ok()) {
                return target;
            }
            // A damaged copy would fail the same way on every start: replace it from the jar, and say so.
            System.err.println("storyboard: the extracted copy of the bundled model at " + target + " is damaged ("
                    + v.summary() + "); extracted it again from the application");
            Path aside = target.resolveSibling(".damaged-" + target.getFileName() + "-" + System.nanoTime());
            Files.move(target, aside);
            deleteTree(aside);
        }
        Files.createDirectories(target.getParent());
        Path staging = AtomicFiles.newTempDirectory(target);
        try {
            for (ModelManifest.Entry entry : manifest.files()) {
                try (InputStream in = loader.getResourceAsStream(RESOURCE_DIR + entry.path())) {
                    if (in == null) {
                        throw new IOException("bundled model lists " + entry.path() + " but the assets jar lacks it");
                    }
                    Path out = staging.resolve(entry.path());
                    Files.createDirectories(out.getParent());
                    Files.copy(in, out);
                }
            }
            Files.write(staging.resolve(ModelManifest.FILE_NAME), manifestBytes);
            // One atomic rename; a copy cut short by a crash is caught by its checksums on the next start.
            try {
                AtomicFiles.publishDirectory(staging, target);
                staging = null;
            } catch (IOException e) {
                if (!Files.isRegularFile(target.resolve(ModelManifest.FILE_NAME))) {
                    throw e; // not a lost race with another process
                }
            }
        } finally {
            AtomicFiles.deleteQuietly(staging);
        }
        return target;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
