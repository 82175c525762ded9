package dev.storyboard.inference.service;

import dev.storyboard.domain.io.AtomicFiles;
import dev.storyboard.inference.weights.SafeTensors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latents behind every take the service produced, so later shots can use a take as context and an
 * extension can continue it, plus a content-addressed on-disk cache of generations.
 *
 * <pre>
 *   &lt;root&gt;/&lt;model identity, 16 hex&gt;/gen/&lt;key&gt;.safetensors   latents (frames, C, H, W) + metadata {seed, frames}
 *   &lt;root&gt;/&lt;model identity, 16 hex&gt;/takes/&lt;take id&gt;          text file: the key of the take's current latents
 * </pre>
 *
 * The key is the SHA-256 of everything that determines the latents (model, scene context, prompt, seed,
 * settings; see {@code GenerationKeys}), so a reopened project finds its takes, and an identical request
 * is answered from disk without denoising. A null root keeps everything in memory only.
 */
final class TakeStore {
    private static final Logger LOG = LoggerFactory.getLogger(TakeStore.class);

    /** Stored latents of one take state. */
    record Latents(String key, float[] data, int frames, long seed) {}

    private final Path dir;
    private final Map<String, Latents> byKey = new ConcurrentHashMap<>();
    private final Map<String, String> keyOfTake = new ConcurrentHashMap<>();
    private final long[] frameShape;           // (C, H, W)

    TakeStore(Path root, String modelIdentity, long[] frameShape) {
        this.dir = root == null ? null : root.resolve(modelIdentity.substring(0, 16));
        this.frameShape = frameShape.clone();
    }

    /** Latents cached under {@code key}, from memory or disk. */
    Optional<Latents> byKey(String key) {
        Latents l = byKey.get(key);
        if (l != null || dir == null) {
            return Optional.ofNullable(l);
        }
        Path file = dir.resolve("gen").resolve(key + ".safetensors");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            SafeTensors st = SafeTensors.read(file);
            l = new Latents(key, st.floats("latents"), Integer.parseInt(st.metadata().get("frames")),
                    Long.parseLong(st.metadata().get("seed")));
            byKey.put(key, l);
            return Optional.of(l);
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring unreadable cached generation {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** Latents of take {@code takeId}, if this service (or an earlier run with the same cache) made it. */
    Optional<Latents> byTake(String takeId) {
        String key = keyOfTake.get(takeId);
        if (key == null && dir != null) {
            Path index = dir.resolve("takes").resolve(safe(takeId));
            if (Files.isRegularFile(index)) {
                try {
                    key = Files.readString(index, StandardCharsets.UTF_8).strip();
                    keyOfTake.put(takeId, key);
                } catch (IOException e) {
                    LOG.warn("cannot read take index {}: {}", index, e.getMessage());
                }
            }
        }
        return key == null ? Optional.empty() : byKey(key);
    }

    /** Records latents under their key and points the take at them (memory, and disk when enabled). */
    void put(String takeId, Latents latents) {
        byKey.put(latents.key(), latents);
        keyOfTake.put(takeId, latents.key());
        if (dir == null) {
            return;
        }
        try {
            Path gen = Files.createDirectories(dir.resolve("gen"));
            Path file = gen.resolve(latents.key() + ".safetensors");
            if (!Files.isRegularFile(file)) {
                long[] shape = {latents.frames(), frameShape[0], frameShape[1], frameShape[2]};
                SafeTensors.writeF32(file, Map.of("latents", new SafeTensors.FloatTensor(shape, latents.data())),
                        Map.of("frames", Integer.toString(latents.frames()), "seed", Long.toString(latents.seed())));
            }
            Path takes = Files.createDirectories(dir.resolve("takes"));
            AtomicFiles.writeString(takes.resolve(safe(takeId)), latents.key());
        } catch (IOException e) {
            LOG.warn("cannot write the generation cache under {}: {}", dir, e.getMessage());
        }
    }

    private static String safe(String takeId) {
        return takeId.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
