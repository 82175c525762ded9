package dev.storyboard.inference.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.storyboard.inference.engine.TorchRuntime;
import dev.storyboard.inference.testing.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Nn.Conv2d} against a plain loop in double precision, on batched inputs with input-channel counts on both
 * sides of the oneDNN defect it works around (more than 16 channels, not a multiple of 16: wrong values on an
 * AVX-512 CPU without the padding).
 */
class Conv2dTest {
    @ParameterizedTest
    @ValueSource(ints = {3, 16, 20, 24, 36, 48})
    void batchedConvolutionMatchesAPlainLoop(int in) {
        TorchRuntime.configure();
        int n = 4;
        int out = 12;
        int hw = 8;
        try (NDManager m = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(n, in, hw, hw));
            NDArray w = m.randomNormal(new Shape(out, in, 3, 3)).muli(0.1);
            NDArray b = m.randomNormal(new Shape(out));
            float[] xs = x.toFloatArray();
            float[] ws = w.toFloatArray();
            float[] bs = b.toFloatArray();
            Nn.Conv2d conv = Nn.Conv2d.of(w, b, 1);
            float[] got = conv.apply(x).toFloatArray();
            float[] want = new float[got.length];
            for (int i = 0; i < n; i++) {
                for (int o = 0; o < out; o++) {
                    for (int y = 0; y < hw; y++) {
                        for (int z = 0; z < hw; z++) {
                            double acc = bs[o];
                            for (int c = 0; c < in; c++) {
                                for (int ky = 0; ky < 3; ky++) {
                                    for (int kx = 0; kx < 3; kx++) {
                                        int iy = y + ky - 1;
                                        int ix = z + kx - 1;
                                        if (iy >= 0 && iy < hw && ix >= 0 && ix < hw) {
                                            acc += ws[((o * in + c) * 3 + ky) * 3 + kx] * (double) xs[((i * in + c) * hw + iy) * hw + ix];
                                        }
                                    }
                                }
                            }
                            want[((i * out + o) * hw + y) * hw + z] = (float) acc;
                        }
                    }
                }
            }
            assertThat(Fixtures.maxAbsDiff(got, want)).isLessThanOrEqualTo(1e-4);
            assertThatThrownBy(() -> conv.apply(m.zeros(new Shape(1, in + 1, hw, hw))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input channels");
        }
    }
}
