package dev.storyboard.ui.selection;

import dev.storyboard.domain.Shot;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.ui.playback.Playback;
import dev.storyboard.ui.timeline.TimelineLayout;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableSet;

/**
 * What the creator is looking at: the selected shots (and the one the inspector shows), the playhead with
 * playback, and the timeline's zoom. It changes no storyboard and knows no node. UI thread only.
 */
public final class SelectionModel {
    public static final double MIN_ZOOM = 1;
    public static final double MAX_ZOOM = 64;
    public static final double DEFAULT_ZOOM = 12;

    private final Supplier<Storyboard> storyboard;
    private final Runnable userMovedPlayhead;
    private final ObservableSet<String> selection = FXCollections.observableSet(new LinkedHashSet<>());
    /** Read-only view, created once: a wrapper per call would lose its (weak) listeners to GC. */
    private final ObservableSet<String> selectionView = FXCollections.unmodifiableObservableSet(selection);
    private final ObjectProperty<String> primaryId = new SimpleObjectProperty<>(this, "primaryShotId");
    private final ReadOnlyObjectWrapper<Shot> selectedShot = new ReadOnlyObjectWrapper<>(this, "selectedShot");
    private String anchorId;
    private final IntegerProperty playhead = new SimpleIntegerProperty(this, "playhead", 0);
    private final DoubleProperty pixelsPerFrame = new SimpleDoubleProperty(this, "pixelsPerFrame", DEFAULT_ZOOM);
    private final Playback playback;

    /**
     * @param storyboard        the storyboard shown now
     * @param userMovedPlayhead called when the creator moves the playhead or starts playback (the live preview of
     *                          a running job then gives way to the frame under the playhead)
     */
    public SelectionModel(Supplier<Storyboard> storyboard, Runnable userMovedPlayhead) {
        this.storyboard = Objects.requireNonNull(storyboard, "storyboard");
        this.userMovedPlayhead = Objects.requireNonNull(userMovedPlayhead, "userMovedPlayhead");
        this.playback = new Playback(playhead, () -> storyboard().fps(),
                () -> new Playback.Range(0, layout().totalFrames()), this::selectedShotRange);
        primaryId.addListener((obs, old, now) -> refreshSelectedShot());
    }

    private Storyboard storyboard() {
        return storyboard.get();
    }

    private TimelineLayout layout() {
        return new TimelineLayout(storyboard());
    }

    /** The storyboard changed: deleted shots leave the selection, the playhead stays inside the scene. */
    public void storyboardChanged(Storyboard now) {
        Set<String> ids = new LinkedHashSet<>(now.shots().stream().map(Shot::id).toList());
        selection.retainAll(ids);
        if (primaryId.get() != null && !ids.contains(primaryId.get())) {
            primaryId.set(selection.isEmpty() ? null : selection.iterator().next());
        }
        refreshSelectedShot();
        int total = now.totalFrames();
        if (playhead.get() >= total) {
            playhead.set(Math.max(0, total - 1));
        }
    }

    private void refreshSelectedShot() {
        String id = primaryId.get();
        selectedShot.set(id == null ? null : storyboard().shot(id).orElse(null));
    }

    // ---- selection ------------------------------------------------------------------------------

    /** Ids of the selected shots, in the order they were selected. */
    public ObservableSet<String> selection() {
        return selectionView;
    }

    /** The shot the inspector shows (the last one clicked), or null. */
    public ReadOnlyObjectProperty<Shot> selectedShotProperty() {
        return selectedShot.getReadOnlyProperty();
    }

    public Shot selectedShot() {
        return selectedShot.get();
    }

    /** Selected shot ids in timeline order. */
    public List<String> selectedIdsInOrder() {
        return storyboard().shots().stream().map(Shot::id).filter(selection::contains).toList();
    }

    /** Selects just this shot. */
    public void select(String shotId) {
        if (shotId == null || storyboard().shot(shotId).isEmpty()) {
            clearSelection();
            return;
        }
        selection.retainAll(Set.of(shotId));
        selection.add(shotId);
        anchorId = shotId;
        primaryId.set(shotId);
        showSelectedInPreview();
    }

    /** Selects exactly {@code ids} (e.g. the copies of a duplicate); the last one is shown in the inspector. */
    public void selectAllOf(List<String> ids) {
        selection.clear();
        ids.forEach(selection::add);
        primaryId.set(ids.isEmpty() ? null : ids.get(ids.size() - 1));
        anchorId = primaryId.get();
    }

    /** A shot picked while playback is stopped is shown: the playhead moves to its start unless already in it. */
    private void showSelectedInPreview() {
        if (playback.isPlaying()) {
            return;
        }
        Playback.Range r = selectedShotRange();
        if (r != null && (playhead.get() < r.start() || playhead.get() >= r.end())) {
            playhead.set(r.start());
            userMovedPlayhead.run();
        }
    }

    /** Ctrl+click: adds or removes the shot. */
    public void toggleSelection(String shotId) {
        if (storyboard().shot(shotId).isEmpty()) {
            return;
        }
        if (selection.contains(shotId)) {
            selection.remove(shotId);
            if (shotId.equals(primaryId.get())) {
                primaryId.set(selection.isEmpty() ? null : selection.iterator().next());
            }
        } else {
            selection.add(shotId);
            primaryId.set(shotId);
        }
        anchorId = shotId;
    }

    /** Shift+click: selects every shot from the anchor to this one. */
    public void extendSelection(String shotId) {
        TimelineLayout layout = layout();
        int to = layout.indexOf(shotId);
        int from = anchorId == null ? -1 : layout.indexOf(anchorId);
        if (to < 0) {
            return;
        }
        if (from < 0) {
            select(shotId);
            return;
        }
        selection.clear();
        for (int i = Math.min(from, to); i <= Math.max(from, to); i++) {
            selection.add(layout.shot(i).id());
        }
        primaryId.set(shotId);
    }

    public void selectAll() {
        storyboard().shots().forEach(s -> selection.add(s.id()));
        if (primaryId.get() == null && !selection.isEmpty()) {
            primaryId.set(selection.iterator().next());
        }
    }

    public void clearSelection() {
        selection.clear();
        primaryId.set(null);
        anchorId = null;
    }

    // ---- playhead and playback ------------------------------------------------------------------

    /** Scene frame under the playhead (an integer: the playhead snaps to frames). */
    public IntegerProperty playheadProperty() {
        return playhead;
    }

    /**
     * Moves the playhead to {@code frame} (clamped to the scene); with {@code snapToSeconds} it snaps to the
     * nearest whole second. User moves end the live preview.
     */
    public void movePlayhead(int frame, boolean snapToSeconds) {
        int total = layout().totalFrames();
        int f = frame;
        if (snapToSeconds) {
            int fps = storyboard().fps();
            f = Math.round(f / (float) fps) * fps;
        }
        f = Math.max(0, Math.min(f, Math.max(0, total - 1)));
        playhead.set(f);
        userMovedPlayhead.run();
    }

    /** Arrow keys: {@code delta} frames (or seconds with {@code seconds}). */
    public void stepPlayhead(int delta, boolean seconds) {
        playback.pause();
        movePlayhead(playhead.get() + delta * (seconds ? storyboard().fps() : 1), false);
    }

    public void playheadToStart() {
        movePlayhead(0, false);
    }

    public void playheadToEnd() {
        movePlayhead(layout().totalFrames() - 1, false);
    }

    public Playback playback() {
        return playback;
    }

    public void togglePlay() {
        userMovedPlayhead.run();
        playback.toggle();
    }

    private Playback.Range selectedShotRange() {
        Shot s = selectedShot.get();
        if (s == null) {
            return null;
        }
        TimelineLayout layout = layout();
        int i = layout.indexOf(s.id());
        return i < 0 ? null : new Playback.Range(layout.start(i), layout.end(i));
    }

    /** A different project: nothing selected, playback stopped, the playhead at the start. */
    public void reset() {
        playback.pause();
        clearSelection();
    }

    // ---- zoom -----------------------------------------------------------------------------------

    /** Zoom of the timeline in pixels per frame. */
    public DoubleProperty pixelsPerFrameProperty() {
        return pixelsPerFrame;
    }

    public void zoomIn() {
        pixelsPerFrame.set(Math.min(MAX_ZOOM, pixelsPerFrame.get() * 1.25));
    }

    public void zoomOut() {
        pixelsPerFrame.set(Math.max(MIN_ZOOM, pixelsPerFrame.get() / 1.25));
    }

    /** Zoom so that the whole scene fits {@code widthPixels}. */
    public void zoomToFit(double widthPixels) {
        int total = Math.max(1, layout().totalFrames());
        pixelsPerFrame.set(Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, widthPixels / total)));
    }
}
