package dev.storyboard.inference.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storyboard.inference.weights.SafeTensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One folder of parity fixtures under training/fixtures/ (fixtures.json, cases/, model/). */
public final class FixtureSet {
    private final String name;
    private Path dir;
    private JsonNode index;

    FixtureSet(String name) {
        this.name = name;
    }

    public synchronized Path dir() {
        if (dir == null) {
            for (Path p = Path.of("").toAbsolutePath(); p != null && dir == null; p = p.getParent()) {
                Path candidate = p.resolve("training/fixtures").resolve(name);
                if (Files.isRegularFile(candidate.resolve("fixtures.json"))) {
                    dir = candidate;
                }
            }
            if (dir == null) {
                throw new IllegalStateException("training/fixtures/" + name + " not found above " + Path.of("").toAbsolutePath());
            }
        }
        return dir;
    }

    public Path modelDir() {
        return dir().resolve("model");
    }

    /** SHA-256 the fixture model's manifest records for {@code file}. */
    public String manifestSha256(String file) {
        try {
            for (JsonNode f : new ObjectMapper().readTree(modelDir().resolve("manifest.json").toFile()).path("files")) {
                if (f.path("path").asText().equals(file)) {
                    return f.path("sha256").asText();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalArgumentException("the fixture manifest lists no " + file);
    }

    public synchronized JsonNode index() {
        if (index == null) {
            try {
                index = new ObjectMapper().readTree(dir().resolve("fixtures.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return index;
    }

    /** The tolerance fixtures.json asks for (atol). */
    public double atol() {
        return index().path("tolerance").path("atol").asDouble(Fixtures.ATOL);
    }

    public JsonNode caseInfo(String caseName) {
        for (JsonNode c : index().path("cases")) {
            if (c.path("name").asText().equals(caseName)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no fixture case " + caseName + " in " + name);
    }

    public SafeTensors tensors(String caseName) {
        try {
            return SafeTensors.read(dir().resolve(caseInfo(caseName).path("file").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
