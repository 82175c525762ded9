package dev.storyboard.ui.notice;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

/**
 * The one notice the editor shows at a time (the bar above the preview). Every feature model reports through
 * it; the view shows and closes it. UI thread only.
 */
public final class NoticeBoard {
    private final ReadOnlyObjectWrapper<Notice> notice = new ReadOnlyObjectWrapper<>(this, "notice");

    public ReadOnlyObjectProperty<Notice> noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    public Notice current() {
        return notice.get();
    }

    public void show(Notice n) {
        notice.set(n);
    }

    public void dismiss() {
        notice.set(null);
    }

    /** Closes {@code n} if it is still the one shown (a later notice stays). */
    public void dismissIfShown(Notice n) {
        if (n != null && notice.get() == n) {
            notice.set(null);
        }
    }

    /** A short, printable message of {@code e} for a notice or a dialog. */
    public static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
