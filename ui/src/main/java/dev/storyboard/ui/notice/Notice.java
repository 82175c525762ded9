package dev.storyboard.ui.notice;

import dev.storyboard.ui.dialog.EditorDialogs.Choice;
import java.util.List;

/**
 * A message in the bar above the preview (ControlsFX NotificationPane): what happened and what can be
 * done about it, without a modal dialog.
 */
public record Notice(Kind kind, String text, List<Choice> actions) {
    public enum Kind { INFO, WARNING, ERROR }

    public Notice {
        actions = List.copyOf(actions);
    }

    public static Notice info(String text, Choice... actions) {
        return new Notice(Kind.INFO, text, List.of(actions));
    }

    public static Notice warning(String text, Choice... actions) {
        return new Notice(Kind.WARNING, text, List.of(actions));
    }

    public static Notice error(String text, Choice... actions) {
        return new Notice(Kind.ERROR, text, List.of(actions));
    }
}
