package dev.storyboard.ui;

import dev.storyboard.domain.Shot;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.generation.EngineStatus;
import java.nio.file.Path;
import java.util.Objects;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;

/**
 * State of the editor window, observable by its views. Only ever touched on the FX thread; background
 * work reports back through {@link javafx.application.Platform#runLater}.
 */
public final class EditorViewModel {
    private final ReadOnlyObjectWrapper<Storyboard> storyboard;
    private final ObjectProperty<Path> projectFile = new SimpleObjectProperty<>();
    private final ObjectProperty<Shot> selectedShot = new SimpleObjectProperty<>();
    private final ReadOnlyObjectWrapper<EngineStatus> engineStatus;

    public EditorViewModel(Storyboard initial, Path projectFile, EngineStatus initialStatus) {
        this.storyboard = new ReadOnlyObjectWrapper<>(Objects.requireNonNull(initial, "storyboard"));
        this.projectFile.set(projectFile);
        this.engineStatus = new ReadOnlyObjectWrapper<>(Objects.requireNonNull(initialStatus, "engine status"));
        if (!initial.shots().isEmpty()) {
            selectedShot.set(initial.shots().get(0));
        }
    }

    public ReadOnlyObjectProperty<Storyboard> storyboardProperty() {
        return storyboard.getReadOnlyProperty();
    }

    public Storyboard storyboard() {
        return storyboard.get();
    }

    public ObjectProperty<Shot> selectedShotProperty() {
        return selectedShot;
    }

    public ObjectProperty<Path> projectFileProperty() {
        return projectFile;
    }

    public ReadOnlyObjectProperty<EngineStatus> engineStatusProperty() {
        return engineStatus.getReadOnlyProperty();
    }

    /** Called on the FX thread when the generation service reports a new status. */
    public void updateEngineStatus(EngineStatus status) {
        engineStatus.set(Objects.requireNonNull(status, "engine status"));
    }

    /** "title — file" for the window title. */
    public StringBinding windowTitle() {
        return Bindings.createStringBinding(() -> {
            Path file = projectFile.get();
            String name = file == null ? "untitled" : file.getFileName().toString();
            return storyboard.get().title() + " — " + name + " — Storyboard";
        }, storyboard, projectFile);
    }
}
