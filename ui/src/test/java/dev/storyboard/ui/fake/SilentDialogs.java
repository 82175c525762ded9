package dev.storyboard.ui.fake;

import dev.storyboard.domain.export.EditorialRate;
import dev.storyboard.ui.dialog.EditorDialogs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Dialogs for tests and headless use: errors are kept, questions pick the default choice. */
public final class SilentDialogs implements EditorDialogs {
    private final List<String> errors = new ArrayList<>();
    private final List<String> questions = new ArrayList<>();
    private volatile Path nextOpen;
    private volatile Path nextSave;
    private volatile EditorialRate nextRate;
    private final List<String> rateQuestions = new ArrayList<>();
    private String answer;

    public List<String> errors() {
        return errors;
    }

    public List<String> questions() {
        return questions;
    }

    /** The file the next open dialog returns. */
    public void willOpen(Path file) {
        nextOpen = file;
    }

    /** The file the next save dialog returns. */
    public void willSave(Path file) {
        nextSave = file;
    }

    /** The rate the next frame-rate question returns (default: what it preselects). */
    public void willExportAt(EditorialRate rate) {
        nextRate = rate;
    }

    /** Each frame-rate question asked, as "native N fps, preselected R". */
    public List<String> rateQuestions() {
        return rateQuestions;
    }

    /** The label of the choice the next question picks (default: the DEFAULT choice). */
    public void willAnswer(String label) {
        answer = label;
    }

    @Override
    public Optional<Path> chooseProjectToOpen(Path initialDir) {
        Path p = nextOpen;
        nextOpen = null;
        return Optional.ofNullable(p);
    }

    @Override
    public Optional<Path> chooseProjectToSave(Path initialDir, String suggestedName) {
        Path p = nextSave;
        nextSave = null;
        return Optional.ofNullable(p);
    }

    @Override
    public Optional<EditorialRate> chooseExportRate(int nativeFps, EditorialRate preselected) {
        rateQuestions.add("native " + nativeFps + " fps, preselected " + preselected);
        EditorialRate r = nextRate;
        nextRate = null;
        return Optional.of(r != null ? r : preselected);
    }

    @Override
    public Optional<Path> chooseExportTarget(Path initialDir, String suggestedName) {
        Path p = nextSave;
        nextSave = null;
        return Optional.ofNullable(p);
    }

    @Override
    public void showError(String title, String message) {
        errors.add(title + ": " + message);
    }

    @Override
    public void ask(String title, String message, List<Choice> choices) {
        questions.add(title + ": " + message);
        String wanted = answer;
        answer = null;
        choices.stream()
                .filter(c -> wanted != null ? c.label().equals(wanted) : c.role() == Choice.Role.DEFAULT)
                .findFirst().ifPresent(c -> c.action().run());
    }
}
