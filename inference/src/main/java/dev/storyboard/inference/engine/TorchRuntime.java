package dev.storyboard.inference.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Locale;

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

    private static volatile boolean configured;

    /**
     * Prepares the process for the PyTorch engine; call before the engine loads (it is idempotent).
     *
     * <ul>
     *   <li>offline mode ({@link #preferOffline()});</li>
     *   <li>{@code OMP_WAIT_POLICY=PASSIVE} unless the user set it: libtorch's OpenMP threads otherwise
     *       spin at barriers, and on a 2-core machine shared with the editor (or anything else) a spinning
     *       thread that lost its core makes small matmuls 5–20× slower (measured: a 192×576 linear on 192
     *       rows took 15 ms instead of 0.7 ms with one core busy elsewhere). The variable is read when
     *       libgomp loads, so it is set in the process environment through libc's setenv.</li>
     * </ul>
     */
    public static synchronized void configure() {
        preferOffline();
        if (configured) {
            return;
        }
        configured = true;
        if (System.getenv("OMP_WAIT_POLICY") == null) {
            setNativeEnv("OMP_WAIT_POLICY", "PASSIVE");
        }
    }

    /** Sets an environment variable of this process for native libraries loaded afterwards. */
    static boolean setNativeEnv(String key, String value) {
        try {
            if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win")) {
                return MsvcRt.INSTANCE._putenv_s(key, value) == 0;
            }
            return LibC.INSTANCE.setenv(key, value, 1) == 0;
        } catch (Throwable e) {       // no JNA / no libc: keep the default policy
            return false;
        }
    }

    private interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int setenv(String name, String value, int overwrite);
    }

    private interface MsvcRt extends Library {
        MsvcRt INSTANCE = Native.load("msvcrt", MsvcRt.class);

        @SuppressWarnings("checkstyle:MethodName")
        int _putenv_s(String name, String value);
    }

    /** Loads the engine and runs a tiny NDArray computation on its default device to prove it works. */
    public static Report probe() {
        configure();
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
