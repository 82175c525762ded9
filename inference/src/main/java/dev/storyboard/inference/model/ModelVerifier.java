package dev.storyboard.inference.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storyboard.domain.vocabulary.ModelVocabulary;
import dev.storyboard.inference.config.FrameCodecConfig;
import dev.storyboard.inference.layout.BoxPlanner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/** Checks every file of a model directory against the SHA-256 in its manifest, so corrupt weights never load. */
public final class ModelVerifier {

    /**
     * Outcome for one file.
     *
     * @param expectedSha256 the manifest's checksum
     * @param actualSha256   the file's checksum, or empty when it was not computed (missing / wrong size)
     */
    public record FileCheck(String path, Status status, String detail, String expectedSha256, String actualSha256) {
        public FileCheck(String path, Status status, String detail) {
            this(path, status, detail, "", "");
        }
    }

    public enum Status { OK, MISSING, SIZE_MISMATCH, CHECKSUM_MISMATCH }

    /** Outcome for the whole model. */
    public record Verification(Path directory, ModelManifest manifest, List<FileCheck> files) {
        public boolean ok() {
            return files.stream().allMatch(f -> f.status() == Status.OK);
        }

        /**
         * One line per failing file, or "all N files verified" with the checksum of the largest file (the
         * weights), so two installations can be compared at a glance.
         */
        public String summary() {
            if (ok()) {
                return "all " + files.size() + " files verified (SHA-256)" + manifest.files().stream()
                        .max(Comparator.comparingLong(ModelManifest.Entry::bytes))
                        .map(e -> "; " + e.path() + " sha256 " + e.sha256())
                        .orElse("");
            }
            StringBuilder sb = new StringBuilder();
            for (FileCheck f : files) {
                if (f.status() != Status.OK) {
                    sb.append(sb.length() == 0 ? "" : "; ").append(f.path()).append(": ").append(f.detail());
                }
            }
            return sb.toString();
        }
    }

    /** Reads {@code manifest.json} in {@code modelDir} and verifies every file it lists. */
    public Verification verify(Path modelDir) throws IOException {
        Path manifestFile = modelDir.resolve(ModelManifest.FILE_NAME);
        if (!Files.isRegularFile(manifestFile)) {
            throw new IOException("no " + ModelManifest.FILE_NAME + " in model folder " + modelDir);
        }
        ModelManifest manifest;
        try (InputStream in = Files.newInputStream(manifestFile)) {
            manifest = ModelManifest.parse(in);
        } catch (IOException e) {
            throw new IOException(manifestFile + ": " + e.getMessage(), e);
        }
        List<FileCheck> checks = new ArrayList<>();
        for (ModelManifest.Entry entry : manifest.files()) {
            checks.add(check(modelDir, entry));
        }
        return new Verification(modelDir, manifest, checks);
    }

    /**
     * Files the model in {@code modelDir} needs, which its manifest must list: its config and the transformer
     * always, the VAE decoder unless the config says the model works in pixel space ({@code codec = "pixel"}), and
     * the layout planner when the model reads the actor's box ({@code dit.actor_box_cond}). A config the engine refuses
     * is read for those two fields alone, so that loading reaches the config's own error; one that is not JSON asks for
     * the VAE decoder too (such a model fails anyway).
     */
    public static List<String> requiredFiles(Path modelDir) {
        List<String> files = new ArrayList<>(List.of(ModelConfig.FILE_NAME, StoryboardModel.DIT_FILE));
        boolean pixel;
        boolean actorBox;
        try {
            ModelConfig config = ModelConfig.read(modelDir);
            pixel = config.codec() instanceof FrameCodecConfig.Pixel;
            actorBox = config.dit().actorBoxCond();
        } catch (IOException | RuntimeException e) {
            // a config the engine refuses (its loader names why) still says which files it lists; unreadable JSON
            // asks for the VAE decoder too (such a model fails anyway)
            JsonNode raw = readJson(modelDir.resolve(ModelConfig.FILE_NAME));
            pixel = raw != null && FrameCodecConfig.PIXEL.equals(raw.path("codec").asText(""));
            actorBox = raw != null && raw.path("dit").path("actor_box_cond").asBoolean(false);
        }
        if (!pixel) {
            files.add(StoryboardModel.VAE_DECODER_FILE);
        }
        if (actorBox) {
            files.add(BoxPlanner.FILE);
        }
        if (Files.exists(modelDir.resolve(ModelVocabulary.FILE_NAME))) {
            files.add(ModelVocabulary.FILE_NAME); // optional (older models have none), but never unverified
        }
        return files;
    }

    private static JsonNode readJson(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Verifies like {@link #verify}, and reports every {@link #requiredFiles required file} that the manifest
     * does not list as missing: a manifest with an empty or partial file list verifies nothing.
     */
    public Verification verifyComplete(Path modelDir) throws IOException {
        Verification v = verify(modelDir);
        List<FileCheck> checks = new ArrayList<>(v.files());
        for (String required : requiredFiles(modelDir)) {
            if (v.manifest().files().stream().noneMatch(e -> e.path().equals(required))) {
                checks.add(new FileCheck(required, Status.MISSING,
                        "not listed in manifest.json (the model needs it, so its checksum cannot be verified)", "", ""));
            }
        }
        return new Verification(v.directory(), v.manifest(), checks);
    }

    /**
     * Verifies like {@link #verifyComplete} and throws when any file fails, naming the first bad file with its
     * expected and actual checksum. Used before any weights are loaded.
     */
    public Verification verifyOrThrow(Path modelDir) throws IOException {
        Verification v = verifyComplete(modelDir);
        for (FileCheck f : v.files()) {
            if (f.status() != Status.OK) {
                throw new ModelIntegrityException(modelDir, f);
            }
        }
        return v;
    }

    private static FileCheck check(Path dir, ModelManifest.Entry entry) throws IOException {
        Path file = dir.resolve(entry.path());
        if (!Files.isRegularFile(file)) {
            return new FileCheck(entry.path(), Status.MISSING, "file is missing", entry.sha256(), "");
        }
        long size = Files.size(file);
        if (entry.bytes() > 0 && size != entry.bytes()) {
            return new FileCheck(entry.path(), Status.SIZE_MISMATCH,
                    "size " + size + " bytes, manifest says " + entry.bytes() + " (truncated or replaced?)",
                    entry.sha256(), "");
        }
        String actual = sha256(file);
        if (!actual.equalsIgnoreCase(entry.sha256())) {
            return new FileCheck(entry.path(), Status.CHECKSUM_MISMATCH,
                    "SHA-256 " + actual + " but manifest says " + entry.sha256() + " (corrupt file)", entry.sha256(), actual);
        }
        return new FileCheck(entry.path(), Status.OK, "sha256 " + actual.substring(0, 12), entry.sha256(), actual);
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
