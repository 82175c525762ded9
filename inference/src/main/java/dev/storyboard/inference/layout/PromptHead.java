package dev.storyboard.inference.layout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.storyboard.inference.nn.Nn;
import dev.storyboard.inference.weights.Weights;

/**
 * A head of the layout planner that reads the pooled prompt alone ({@code box_planner.py BoxPlanner.kind} and {@code
 * .colour}): {@code name.0} → SiLU → {@code name.2}, (M, D) → (M, Hd) → (M, logits).
 */
final class PromptHead {
    private final NDArray w0;
    private final NDArray b0;
    private final NDArray w2;
    private final NDArray b2;
    private final int textDim;

    /** Takes {@code name.0.weight} (hidden, textDim), {@code name.0.bias}, {@code name.2.weight} (logits, hidden) and bias. */
    PromptHead(Weights w, String name, int textDim, int hidden, int logits) {
        this.w0 = w.take(name + ".0.weight", hidden, textDim);
        this.b0 = w.take(name + ".0.bias", hidden);
        this.w2 = w.take(name + ".2.weight", logits, hidden);
        this.b2 = w.take(name + ".2.bias", logits);
        this.textDim = textDim;
    }

    /** Prompts (M, D) → logits (M, logits), on the prompts' manager. */
    NDArray logits(NDArray prompts) {
        return Nn.linear(Nn.silu(Nn.linear(prompts, w0, b0)), w2, b2);
    }

    /** One pooled prompt (D floats) → its logits, computed in a sub-manager of {@code parent} closed before this returns. */
    float[] logits(NDManager parent, float[] pooled) {
        try (NDManager scope = parent.newSubManager()) {
            return logits(scope.create(pooled, new Shape(1, textDim))).toFloatArray();
        }
    }
}
