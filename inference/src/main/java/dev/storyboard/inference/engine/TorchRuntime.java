package dev.storyboard.inference.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The PyTorch engine as the app uses it: always offline (natives come from the bundled jar, never a
 * download), CUDA when present, CPU otherwise.
 */
public final class TorchRuntime {
    public static final String ENGINE_NAME = "PyTorch";

    /** Facts about the loaded engine, for {@code storyboard doctor} and the status bar. */
    public record Report(String engineName, String engineVersion, String device, int gpuCount,
                         int intraOpThreads, int interOpThreads, float smokeTestResult) {}

    private TorchRuntime() {
    }

    /** Forces DJL into offline mode unless the user set it explicitly. Call before touching any DJL class. */
    public static void preferOffline() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    /** Loads the engine and runs a tiny NDArray computation on its default device to prove it works. */
    public static Report probe() {
        preferOffline();
        Engine engine = Engine.getEngine(ENGINE_NAME);
        Device device = engine.defaultDevice();
        float smoke;
        try (NDManager manager = engine.newBaseManager(device)) {
            NDArray x = manager.create(new float[] {1f, 2f, 3f});
            smoke = x.mul(x).sum().getFloat(); // 1 + 4 + 9
        }
        return new Report(engine.getEngineName(), engine.getVersion(), device.toString(), engine.getGpuCount(),
                JniUtils.getNumThreads(), JniUtils.getNumInteropThreads(), smoke);
    }
}
