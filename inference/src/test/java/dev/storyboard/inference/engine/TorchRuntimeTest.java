package dev.storyboard.inference.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class TorchRuntimeTest {
    @Test
    void loadsThePyTorchEngineOfflineAndComputes() {
        TorchRuntime.Report report = TorchRuntime.probe();
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        assertThat(report.engineName()).isEqualTo("PyTorch");
        assertThat(report.engineVersion()).startsWith("2.7.1");
        assertThat(report.smokeTestResult()).isEqualTo(14f);
        assertThat(report.intraOpThreads()).isPositive();
    }

    @Test
    void matrixProductMatchesHandComputation() {
        try (NDManager manager = Engine.getEngine(TorchRuntime.ENGINE_NAME).newBaseManager()) {
            NDArray a = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
            NDArray b = manager.create(new float[] {7, 8, 9, 10, 11, 12}, new Shape(3, 2));
            NDArray c = a.matMul(b);
            assertThat(c.getShape()).isEqualTo(new Shape(2, 2));
            assertThat(c.toFloatArray()).containsExactly(58f, 64f, 139f, 154f);
        }
    }
}
