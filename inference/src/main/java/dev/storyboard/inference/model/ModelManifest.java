package dev.storyboard.inference.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;

/**
 * {@code manifest.json} of an exported model directory (written by {@code training/storydit/export.py}):
 * which files make up the model and the SHA-256 each must have.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelManifest(String format, String name, String preset, List<Entry> files) {
    public static final String FILE_NAME = "manifest.json";
    public static final String FORMAT = "storyboard-model/1";

    /** One file of the model. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Entry(String path, String sha256, long bytes) {
        public Entry {
            Objects.requireNonNull(path, "manifest entry path");
            Objects.requireNonNull(sha256, "manifest entry sha256 for " + path);
            if (path.contains("..") || path.startsWith("/")) {
                throw new IllegalArgumentException("manifest entry path must stay inside the model folder: " + path);
            }
        }
    }

    public ModelManifest {
        Objects.requireNonNull(files, "manifest files");
        files = List.copyOf(files);
    }

    public static ModelManifest parse(InputStream json) throws IOException {
        ModelManifest manifest = new ObjectMapper().readValue(json, ModelManifest.class);
        if (!FORMAT.equals(manifest.format())) {
            throw new IOException("unsupported model manifest format '" + manifest.format() + "', expected '" + FORMAT + "'");
        }
        return manifest;
    }
}
