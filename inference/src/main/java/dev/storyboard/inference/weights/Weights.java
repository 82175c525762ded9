package dev.storyboard.inference.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Named fp32 weight tensors of one safetensors file, materialised as NDArrays in a long-lived manager.
 * {@link #take} checks the expected shape and records which names were used, so a loader can reject files
 * with missing, misshaped or unexpected tensors with a message that names the file and the tensor.
 */
public final class Weights {
    private final SafeTensors file;
    private final NDManager manager;
    private final Set<String> used = new HashSet<>();

    public Weights(SafeTensors file, NDManager manager) {
        this.file = file;
        this.manager = manager;
    }

    public static Weights read(Path path, NDManager manager) throws IOException {
        return new Weights(SafeTensors.read(path), manager);
    }

    /** The tensor {@code name}, which must have {@code expected} shape. */
    public NDArray take(String name, long... expected) {
        if (!file.contains(name)) {
            throw new IllegalArgumentException(file.file() + ": missing tensor '" + name + "'");
        }
        Shape actual = file.shape(name);
        if (!actual.equals(new Shape(expected))) {
            throw new IllegalArgumentException(file.file() + ": tensor '" + name + "' has shape " + actual
                    + ", the config expects " + new Shape(expected));
        }
        used.add(name);
        NDArray a = file.ndarray(manager, name);
        a.setName(name);
        return a;
    }

    /** The tensor {@code name} as float32 data, which must have {@code expected} shape (for load-time folds). */
    public float[] floats(String name, long... expected) {
        NDArray a = take(name, expected);
        float[] data = a.toFloatArray();
        a.close();
        return data;
    }

    /** Throws when the file holds tensors nobody took (a model of another architecture). */
    public void requireAllUsed() {
        Set<String> extra = new HashSet<>(file.names());
        extra.removeAll(used);
        if (!extra.isEmpty()) {
            throw new IllegalArgumentException(file.file() + ": unexpected tensors " + extra.stream().sorted().limit(8).toList()
                    + " (model of another architecture or config?)");
        }
    }

    public SafeTensors file() {
        return file;
    }
}
