package dev.storyboard.inference.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.storyboard.inference.nn.Nn;
import dev.storyboard.inference.weights.Weights;

/**
 * The per-level FiLM on t of {@link ConvDecoder} and {@link ConvEncoder} ({@code model.py film_silu}): one table
 * per frame, {@code film(t) = film.2(SiLU(film.0(t)))} (B·F, 2·Σ w_l), read level by level in the order the
 * convolutions run. A level of w channels takes the next w columns as scale and the w after them as shift, and
 * its output is {@code SiLU(h · (1 + scale) + shift)}.
 */
final class ConvFilm {
    /** Hidden width of the FiLM MLP ({@code nn.Linear(1, 64)}). */
    static final int HIDDEN = 64;

    private final NDArray w1;
    private final NDArray b1;
    private final NDArray w2;
    private final NDArray b2;

    /** Reads {@code prefix.film.0.*} (64, 1) and {@code prefix.film.2.*} (columns, 64). */
    ConvFilm(Weights w, String prefix, int columns) {
        w1 = w.take(prefix + ".film.0.weight", HIDDEN, 1);
        b1 = w.take(prefix + ".film.0.bias", HIDDEN);
        w2 = w.take(prefix + ".film.2.weight", columns, HIDDEN);
        b2 = w.take(prefix + ".film.2.bias", columns);
    }

    /** The table of frames with timesteps {@code tFrames} (B·F, batch-major, unclamped), read from column 0. */
    Columns columns(NDManager scope, float[] tFrames) {
        NDArray t = scope.create(tFrames, new Shape(tFrames.length, 1));
        return new Columns(Nn.linear(Nn.silu(Nn.linear(t, w1, b1)), w2, b2));
    }

    /** A FiLM table and the next column to read. */
    static final class Columns {
        private final NDArray film;      // (B·F, 2·Σ w_l)
        private long at;

        private Columns(NDArray film) {
            this.film = film;
        }

        /** SiLU(h · (1 + scale) + shift) of h (B·F, w, H', W') with the next 2·w columns; moves past them. */
        NDArray apply(NDArray h) {
            long n = h.getShape().get(0);
            long w = h.getShape().get(1);
            NDArray scale = film.get(new NDIndex(":, {}:{}", at, at + w)).reshape(n, w, 1, 1);
            NDArray shift = film.get(new NDIndex(":, {}:{}", at + w, at + 2 * w)).reshape(n, w, 1, 1);
            at += 2 * w;
            return Nn.silu(h.mul(scale.add(1f)).addi(shift));
        }
    }
}
