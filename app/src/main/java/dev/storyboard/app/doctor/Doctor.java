package dev.storyboard.app.doctor;

import dev.storyboard.inference.engine.TorchRuntime;
import dev.storyboard.inference.model.BundledModel;
import dev.storyboard.inference.model.ModelVerifier;
import dev.storyboard.inference.service.LocalGenerationService.ModelLocation;
import dev.storyboard.inference.text.MiniLmTextEncoder;
import dev.storyboard.media.FfmpegProbe;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Checks everything the app needs at run time, in the order a failure is easiest to explain:
 * Java, JavaFX, the text encoder (ONNX Runtime first, before anything else initialises it), the
 * PyTorch engine, FFmpeg, and the model with its checksums.
 */
public final class Doctor {
    /** The name of the model's check. */
    public static final String MODEL_CHECK = "model";
    private final ModelLocation modelLocation;

    public Doctor(ModelLocation modelLocation) {
        this.modelLocation = modelLocation;
    }

    public List<Check> run() {
        List<Check> checks = new ArrayList<>();
        checks.add(java());
        checks.add(javafx());
        checks.add(textEncoder());
        checks.add(torch());
        checks.add(ffmpeg());
        checks.add(model());
        return checks;
    }

    static Check java() {
        return Check.ok("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, max heap "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB)");
    }

    static Check javafx() {
        try (InputStream in = Doctor.class.getClassLoader().getResourceAsStream("javafx.properties")) {
            if (in == null) {
                return Check.fail("javafx", "JavaFX is not on the class path (javafx.properties not found)");
            }
            Properties p = new Properties();
            p.load(in);
            Class.forName("javafx.scene.control.Control", false, Doctor.class.getClassLoader());
            return Check.ok("javafx", p.getProperty("javafx.runtime.version", "unknown version") + " (controls present)");
        } catch (IOException | ClassNotFoundException e) {
            return Check.fail("javafx", "JavaFX is incomplete: " + e.getMessage());
        }
    }

    static Check textEncoder() {
        try (MiniLmTextEncoder encoder = MiniLmTextEncoder.load()) {
            int tokens = encoder.encodeTokens("a red ball bounces").length;
            return Check.ok("text encoder", MiniLmTextEncoder.ENCODER_ID + " on ONNX Runtime, "
                    + tokens + " tokens × " + MiniLmTextEncoder.HIDDEN_SIZE + " for a test caption");
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            return Check.fail("text encoder", "cannot run all-MiniLM-L6-v2: " + e.getMessage());
        }
    }

    static Check torch() {
        try {
            TorchRuntime.Report r = TorchRuntime.probe();
            return Check.ok("pytorch engine", "DJL " + r.engineName() + " " + r.engineVersion()
                    + ", device " + r.device() + ", " + r.gpuCount() + " CUDA GPU(s), "
                    + r.intraOpThreads() + " intra-op / " + r.interOpThreads() + " inter-op threads, offline="
                    + System.getProperty("ai.djl.offline"));
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return Check.fail("pytorch engine", "DJL PyTorch engine did not load: " + e.getMessage());
        }
    }

    static Check ffmpeg() {
        try {
            FfmpegProbe.Report r = FfmpegProbe.probe();
            if (!r.canEncodeH264()) {
                return Check.fail("ffmpeg", "FFmpeg " + r.ffmpegVersion() + " loaded but has no H.264 encoder");
            }
            return Check.ok("ffmpeg", "FFmpeg " + r.ffmpegVersion() + " via JavaCV, H.264 encoders " + r.h264Encoders()
                    + (r.ffmpegExecutable().isEmpty() ? "" : ", ffmpeg program at " + r.ffmpegExecutable()));
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return Check.fail("ffmpeg", "JavaCV/FFmpeg did not load: " + e.getMessage());
        }
    }

    Check model() {
        try {
            Optional<Path> dir = modelLocation.locate();
            if (dir.isEmpty()) {
                return Check.fail(MODEL_CHECK, "no model bundled in this build (assets/src/main/resources/"
                        + BundledModel.RESOURCE_DIR
                        + " has no manifest.json); train and export one, or pass --model DIR");
            }
            ModelVerifier.Verification v = new ModelVerifier().verifyComplete(dir.get());
            String what = v.manifest().name() + " (" + v.manifest().preset() + ") at " + dir.get();
            return v.ok() ? Check.ok(MODEL_CHECK, what + ": " + v.summary())
                    : Check.fail(MODEL_CHECK, what + ": " + v.summary());
        } catch (IOException e) {
            return Check.fail(MODEL_CHECK, e.getMessage());
        }
    }
}
