package dev.storyboard.ui.dialog;

import dev.storyboard.domain.export.EditorialRate;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The editor's questions to the user, behind an interface so view models are tested without windows.
 * {@link #ask} and {@link #showError} never block the caller; the chosen action runs later on the UI thread.
 */
public interface EditorDialogs {

    Optional<Path> chooseProjectToOpen(Path initialDir);

    Optional<Path> chooseProjectToSave(Path initialDir, String suggestedName);

    /**
     * The frame rate of an exported video: the scene's native rate ({@code EditorialRate.of(nativeFps)}) or
     * one of {@link EditorialRate#STANDARD}; empty when the user cancels.
     *
     * @param preselected the choice shown first (the last one used, or native)
     */
    Optional<EditorialRate> chooseExportRate(int nativeFps, EditorialRate preselected);

    /** Where to write an exported video ({@code .mp4}). */
    Optional<Path> chooseExportTarget(Path initialDir, String suggestedName);

    /** An error the user must see (e.g. a project that cannot be opened). */
    void showError(String title, String message);

    /** A question with buttons; at most one choice's action runs. */
    void ask(String title, String message, List<Choice> choices);

    /** A button of {@link #ask}. */
    record Choice(String label, Runnable action, Role role) {
        public enum Role { DEFAULT, OTHER, CANCEL }

        public static Choice of(String label, Runnable action) {
            return new Choice(label, action, Role.OTHER);
        }

        public static Choice primary(String label, Runnable action) {
            return new Choice(label, action, Role.DEFAULT);
        }

        public static Choice cancel(String label) {
            return new Choice(label, () -> { }, Role.CANCEL);
        }
    }
}
