package dev.storyboard.inference.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storyboard.inference.model.ModelConfig;
import dev.storyboard.inference.model.ModelManifest;
import dev.storyboard.inference.model.ModelVerifier;
import dev.storyboard.inference.weights.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A fixture model folder copied into a test's directory, whose files the test changes: the manifest is re-signed
 * after each change, so only the content the test changed differs from the fixture (a loader gets past the manifest
 * check to what it should notice).
 */
public final class ModelFolder {
    private ModelFolder() {
    }

    /** Copies the model folder of {@code fixtures} into {@code dir}; returns dir. */
    public static Path copy(FixtureSet fixtures, Path dir) throws IOException {
        try (var files = Files.list(fixtures.modelDir())) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    /**
     * Rewrites the safetensors {@code file} of the folder as float32: its tensors by name go through {@code edit},
     * which may change values, replace or remove tensors; then re-signs it.
     */
    public static void rewriteTensors(Path dir, String file, Consumer<Map<String, SafeTensors.FloatTensor>> edit)
            throws IOException {
        Path path = dir.resolve(file);
        SafeTensors st = SafeTensors.read(path);
        Map<String, SafeTensors.FloatTensor> tensors = new TreeMap<>();
        for (String name : st.names()) {
            tensors.put(name, new SafeTensors.FloatTensor(st.info(name).shape(), st.floats(name)));
        }
        edit.accept(tensors);
        SafeTensors.writeF32(path, tensors, Map.of());
        resign(dir, file);
    }

    /** Rewrites the folder's config.json through {@code edit} (its root object), then re-signs it. */
    public static void rewriteConfig(Path dir, Consumer<ObjectNode> edit) throws IOException {
        Path path = dir.resolve(ModelConfig.FILE_NAME);
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(path.toFile());
        edit.accept(config);
        Files.writeString(path, config.toString());
        resign(dir, ModelConfig.FILE_NAME);
    }

    /** Writes {@code file}'s checksum and size into the folder's manifest. */
    public static void resign(Path dir, String file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Path manifestFile = dir.resolve(ModelManifest.FILE_NAME);
        ObjectNode manifest = (ObjectNode) json.readTree(manifestFile.toFile());
        for (JsonNode f : manifest.path("files")) {
            if (f.path("path").asText().equals(file)) {
                ((ObjectNode) f).put("sha256", ModelVerifier.sha256(dir.resolve(file))).put("bytes", Files.size(dir.resolve(file)));
            }
        }
        Files.writeString(manifestFile, manifest.toString());
    }
}
