package dev.storyboard.inference.model;

import java.io.IOException;
import java.nio.file.Path;

/** A model file is missing, truncated or does not have the SHA-256 its manifest promises: nothing was loaded. */
public final class ModelIntegrityException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient ModelVerifier.FileCheck check;

    public ModelIntegrityException(Path modelDir, ModelVerifier.FileCheck check) {
        super(message(modelDir, check));
        this.check = check;
    }

    private static String message(Path modelDir, ModelVerifier.FileCheck c) {
        Path file = modelDir.resolve(c.path());
        return switch (c.status()) {
            case MISSING -> c.expectedSha256().isEmpty() ? "model file " + file + " is " + c.detail()
                    : "model file " + file + " is missing (expected SHA-256 " + c.expectedSha256() + ")";
            case SIZE_MISMATCH -> "model file " + file + " has the wrong size: " + c.detail()
                    + "; expected SHA-256 " + c.expectedSha256();
            case CHECKSUM_MISMATCH -> "model file " + file + " is corrupt: expected SHA-256 " + c.expectedSha256()
                    + ", actual " + c.actualSha256();
            case OK -> "model file " + file + " is fine";
        };
    }

    /** The failing file's check (path relative to the model folder, status, expected and actual checksum). */
    public ModelVerifier.FileCheck check() {
        return check;
    }
}
