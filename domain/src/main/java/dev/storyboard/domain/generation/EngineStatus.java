package dev.storyboard.domain.generation;

import java.util.Objects;

/**
 * What the generation service can do right now, as shown in the editor's status bar.
 *
 * @param ready   true when a model is loaded and generation requests will be accepted
 * @param device  compute device, e.g. "cpu()" or "gpu(0)"
 * @param model   model name and preset, or empty when none is loaded
 * @param message one line for the creator: what works or what is missing
 */
public record EngineStatus(boolean ready, String device, String model, String message) {
    public EngineStatus {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(message, "message");
    }
}
