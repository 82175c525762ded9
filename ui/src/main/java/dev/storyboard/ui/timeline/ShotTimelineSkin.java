package dev.storyboard.ui.timeline;

import dev.storyboard.domain.Shot;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.quality.QualityFlag;
import dev.storyboard.ui.command.Shots;
import dev.storyboard.ui.generation.JobEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.beans.InvalidationListener;
import javafx.beans.Observable;
import javafx.collections.ListChangeListener;
import javafx.collections.MapChangeListener;
import javafx.collections.SetChangeListener;
import javafx.css.PseudoClass;
import javafx.event.EventHandler;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SkinBase;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.shape.LineTo;
import javafx.scene.shape.MoveTo;
import javafx.scene.shape.Path;
import javafx.scene.text.Text;

/**
 * Look and gestures of {@link ShotTimeline}. Cards sit at x = start frame × zoom; while an edge is dragged
 * the layout is recomputed with the dragged length (nothing is committed until release), so the shots
 * after it move live. Rebuilds are deferred while a drag is in progress.
 */
final class ShotTimelineSkin extends SkinBase<ShotTimeline> {
    static final double PAD = 8;
    static final double RULER_HEIGHT = 24;
    static final double CARD_GAP = 3;
    static final double DRAG_THRESHOLD = 5;
    private static final PseudoClass SELECTED = PseudoClass.getPseudoClass(ShotCard.SELECTED_PSEUDO);
    private static final PseudoClass DRAGGED = PseudoClass.getPseudoClass("dragged");

    private final ShotTimeline timeline;
    private final BorderPane root = new BorderPane();
    private final ScrollPane scroll = new ScrollPane();
    private final Pane content = new Pane();
    private final Pane ruler = new Pane();
    private final Pane track = new Pane();
    private final Region playhead = new Region();
    private final Region playheadKnob = new Region();
    private final Region insertionMarker = new Region();
    private final Label empty = new Label("No shots yet: add one to start directing.");
    private final Map<String, ShotCard> cards = new LinkedHashMap<>();
    private final Map<String, Integer> overrides = new HashMap<>();
    private TimelineLayout layout;
    private Drag drag;
    private boolean rebuildPending;
    private double builtAtZoom = Double.NaN;
    private String rulerKey = "";
    /** Removes a listener this skin added to something that outlives it: all of them run in dispose(). */
    private final List<Runnable> removals = new ArrayList<>();
    /** The listener on each job's state, removed when the job leaves the list or the skin is disposed. */
    private final Map<JobEntry, InvalidationListener> jobListeners = new IdentityHashMap<>();

    /** A drag in progress: an edge (length) or cards (order). */
    private static final class Drag {
        enum Kind { EDGE, MOVE }

        final Kind kind;
        final String shotId;
        final double pressX;
        final int originalFrames;
        int frames;
        boolean active;
        boolean cancelled;
        List<String> moving = List.of();
        int gap = -1;
        final boolean shortcut;
        final boolean shift;
        final boolean wasSelected;

        Drag(Kind kind, String shotId, double pressX, int originalFrames, boolean shortcut, boolean shift, boolean wasSelected) {
            this.kind = kind;
            this.shotId = shotId;
            this.pressX = pressX;
            this.originalFrames = originalFrames;
            this.frames = originalFrames;
            this.shortcut = shortcut;
            this.shift = shift;
            this.wasSelected = wasSelected;
        }
    }

    ShotTimelineSkin(ShotTimeline control) {
        super(control);
        this.timeline = control;

        content.getStyleClass().add("timeline-content");
        ruler.getStyleClass().add("timeline-ruler");
        ruler.setId("timeline-ruler");
        ruler.setLayoutY(0);
        ruler.setPrefHeight(RULER_HEIGHT);
        track.getStyleClass().add("timeline-track");
        track.setLayoutY(RULER_HEIGHT);
        playhead.getStyleClass().add("playhead");
        playhead.setId("playhead");
        playhead.setMouseTransparent(true);
        playheadKnob.getStyleClass().add("playhead-knob");
        playheadKnob.setMouseTransparent(true);
        insertionMarker.getStyleClass().add("insertion-marker");
        insertionMarker.setVisible(false);
        insertionMarker.setMouseTransparent(true);
        empty.getStyleClass().add("timeline-empty");
        for (Region overlay : new Region[] {insertionMarker, playhead, playheadKnob}) {
            overlay.setManaged(false); // sized and placed by relayout()/placePlayhead()
        }
        content.getChildren().addAll(ruler, track, insertionMarker, playhead, playheadKnob);
        scroll.setContent(content);
        scroll.setFitToHeight(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.AS_NEEDED);
        scroll.setVbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.getStyleClass().add("timeline-scroll");
        scroll.setPannable(false);
        root.setCenter(scroll);
        getChildren().add(root);

        ruler.setOnMousePressed(this::seek);
        ruler.setOnMouseDragged(this::seek);
        track.setOnMousePressed(e -> {
            if (e.getTarget() == track) {
                getSkinnable().requestFocus();
                seek(e);
            }
        });
        content.heightProperty().addListener(o -> relayout());
        scroll.addEventFilter(ScrollEvent.SCROLL, e -> {
            if (e.isShortcutDown()) {
                if (e.getDeltaY() != 0) {
                    timeline.fireEvent(ShotTimelineEvent.zoom(e.getDeltaY() > 0 ? 1 : -1));
                }
                e.consume();
            } else if (e.getDeltaX() == 0 && e.getDeltaY() != 0 && content.getWidth() > scroll.getViewportBounds().getWidth()) {
                double span = content.getWidth() - scroll.getViewportBounds().getWidth();
                scroll.setHvalue(Math.max(0, Math.min(1, scroll.getHvalue() - e.getDeltaY() / span)));
                e.consume();
            }
        });
        EventHandler<KeyEvent> escape = e -> {
            if (e.getCode() == KeyCode.ESCAPE && isDragging()) {
                cancelDrag();
                e.consume();
            }
        };
        control.addEventHandler(KeyEvent.KEY_PRESSED, escape);
        removals.add(() -> control.removeEventHandler(KeyEvent.KEY_PRESSED, escape));

        listen(control.storyboardProperty(), o -> requestRebuild());
        listen(control.pixelsPerFrameProperty(), o -> requestRebuild());
        SetChangeListener<String> selectionListener = c -> refreshSelection();
        control.selectionProperty().addListener(selectionListener);
        removals.add(() -> control.selectionProperty().removeListener(selectionListener));
        SetChangeListener<String> staleListener = c -> refreshStale();
        control.staleShotsProperty().addListener(staleListener);
        removals.add(() -> control.staleShotsProperty().removeListener(staleListener));
        MapChangeListener<String, List<QualityFlag>> marksListener = c -> refreshQualityMarks();
        control.qualityMarks().byTake().addListener(marksListener);
        removals.add(() -> control.qualityMarks().byTake().removeListener(marksListener));
        listen(control.playheadProperty(), o -> placePlayhead(true));
        ListChangeListener<JobEntry> jobsListener = c -> {
            while (c.next()) {
                c.getRemoved().forEach(this::unwatchJob);
                c.getAddedSubList().forEach(this::watchJob);
            }
            refreshStatuses();
        };
        control.jobsProperty().addListener(jobsListener);
        removals.add(() -> control.jobsProperty().removeListener(jobsListener));
        control.jobsProperty().forEach(this::watchJob);
        Consumer<String> frameListener = takeId -> cards.values().stream()
                .filter(card -> takeId.equals(displayedTake(card)))
                .forEach(this::refreshThumbnails);
        control.frames().addListener(frameListener);
        removals.add(() -> control.frames().removeListener(frameListener));
        rebuild();
    }

    private void listen(Observable observable, InvalidationListener listener) {
        observable.addListener(listener);
        removals.add(() -> observable.removeListener(listener));
    }

    private void watchJob(JobEntry job) {
        if (!jobListeners.containsKey(job)) {
            InvalidationListener l = o -> refreshStatuses();
            jobListeners.put(job, l);
            job.stateProperty().addListener(l);
        }
    }

    private void unwatchJob(JobEntry job) {
        if (!timeline.jobsProperty().contains(job)) {
            InvalidationListener l = jobListeners.remove(job);
            if (l != null) {
                job.stateProperty().removeListener(l);
            }
        }
    }

    /** The number of listeners this skin holds on things that outlive it (tests: none after dispose()). */
    int listenersHeld() {
        return removals.size() + jobListeners.size();
    }

    /** Width for the whole scene to fit the visible part of the timeline. */
    double fitWidth() {
        double viewport = scroll.getViewportBounds().getWidth();
        return viewport > 0 ? viewport - 2 * PAD : Math.max(200, timeline.getWidth() - 40);
    }

    // ---- building and layout --------------------------------------------------------------------

    private void requestRebuild() {
        if (drag != null && drag.active) {
            rebuildPending = true;
        } else {
            rebuild();
        }
    }

    /**
     * Brings the cards in line with the storyboard. A card whose shot value and number are unchanged is kept
     * (no new nodes, no CSS pass); only changed shots get new cards.
     */
    private void rebuild() {
        rebuildPending = false;
        Storyboard sb = timeline.getStoryboard();
        if (sb.shots().isEmpty()) {
            if (!track.getChildren().contains(empty)) {
                empty.relocate(PAD, PAD);
                track.getChildren().add(empty);
            }
        } else {
            track.getChildren().remove(empty);
        }
        double ppf = timeline.getPixelsPerFrame();
        boolean zoomChanged = ppf != builtAtZoom;
        builtAtZoom = ppf;
        Map<String, ShotCard> next = new LinkedHashMap<>();
        List<ShotCard> added = new ArrayList<>();
        int number = 1;
        for (Shot shot : sb.shots()) {
            ShotCard old = cards.get(shot.id());
            ShotCard card;
            if (old != null && !zoomChanged && old.number() == number && old.shot().equals(shot) && old.fps() == sb.fps()) {
                card = old;
            } else {
                card = new ShotCard(number, shot, sb.fps(), ppf);
                card.setManaged(false); // positioned by relayout(), not by the Pane
                wire(card);
                added.add(card);
            }
            next.put(shot.id(), card);
            number++;
        }
        List<Node> gone = new ArrayList<>();
        cards.forEach((id, card) -> {
            if (next.get(id) != card) {
                gone.add(card);
            }
        });
        track.getChildren().removeAll(gone);
        track.getChildren().addAll(added);
        cards.clear();
        cards.putAll(next);
        relayout();
        refreshSelection();
        refreshStale();
        refreshQualityMarks();
        refreshStatuses();
        added.forEach(this::refreshThumbnails);
    }

    /** Positions cards, ruler and playhead from the storyboard plus any drag override. */
    private void relayout() {
        Storyboard sb = timeline.getStoryboard();
        layout = new TimelineLayout(sb, overrides);
        double ppf = timeline.getPixelsPerFrame();
        double cardHeight = Math.max(60, content.getHeight() - RULER_HEIGHT - PAD);
        for (int i = 0; i < layout.size(); i++) {
            ShotCard card = cards.get(layout.shot(i).id());
            if (card == null) {
                continue;
            }
            double width = Math.max(4, layout.duration(i) * ppf - CARD_GAP);
            card.setPrefWidth(width);
            card.setMinWidth(width);
            card.setMaxWidth(width);
            card.resizeRelocate(PAD + layout.start(i) * ppf, 4, width, cardHeight - 4);
            if (card.shownFrames() != layout.duration(i)) {
                card.showDuration(layout.duration(i));
                refreshThumbnails(card);
            }
        }
        double width = PAD * 2 + Math.max(layout.totalFrames(), 1) * ppf + 200;
        content.setPrefWidth(width);
        content.setMinWidth(width);
        track.setPrefSize(width, cardHeight);
        track.resize(width, cardHeight);
        drawRuler(width, ppf, sb.fps());
        placePlayhead(false);
    }

    private void drawRuler(double width, double ppf, int fps) {
        String key = width + "/" + ppf + "/" + fps + "/" + layout.totalFrames();
        if (key.equals(rulerKey)) {
            return;
        }
        rulerKey = key;
        ruler.getChildren().clear();
        ruler.setPrefWidth(width);
        ruler.resize(width, RULER_HEIGHT);
        Path ticks = new Path();
        ticks.getStyleClass().add("ruler-ticks");
        int total = layout.totalFrames();
        int labelEvery = ppf * fps >= 60 ? 1 : ppf * fps >= 24 ? 2 : ppf * fps >= 10 ? 5 : 10;
        for (int f = 0; f <= total + (int) (200 / ppf); f++) {
            double x = PAD + f * ppf;
            boolean second = f % fps == 0;
            if (second) {
                ticks.getElements().addAll(new MoveTo(x, RULER_HEIGHT - 12), new LineTo(x, RULER_HEIGHT));
                int s = f / fps;
                if (s % labelEvery == 0) {
                    Text label = new Text(s + "s");
                    label.getStyleClass().add("ruler-label");
                    label.setX(x + 3);
                    label.setY(11);
                    ruler.getChildren().add(label);
                }
            } else if (ppf >= 4) {
                ticks.getElements().addAll(new MoveTo(x, RULER_HEIGHT - 5), new LineTo(x, RULER_HEIGHT));
            }
        }
        ruler.getChildren().add(0, ticks);
    }

    private void placePlayhead(boolean follow) {
        if (layout == null) {
            return;
        }
        double ppf = timeline.getPixelsPerFrame();
        double x = playheadX();
        double height = Math.max(content.getHeight(), RULER_HEIGHT + 60);
        playhead.resizeRelocate(x - 1, 0, 2, height);
        playheadKnob.resizeRelocate(x - 5, 0, 10, 8);
        if (follow && timeline.playingProperty().get()) {
            double viewport = scroll.getViewportBounds().getWidth();
            double span = content.getWidth() - viewport;
            double left = scroll.getHvalue() * Math.max(0, span);
            if (span > 0 && (x < left || x > left + viewport - 20)) {
                scroll.setHvalue(Math.max(0, Math.min(1, (x - 40) / span)));
            }
        }
    }

    double playheadX() {
        return PAD + timeline.playheadProperty().get() * timeline.getPixelsPerFrame();
    }

    /** A new take being generated is shown as it arrives; otherwise the active take. */
    private String displayedTake(ShotCard card) {
        return timeline.activeJob(card.shot().id())
                .filter(j -> !j.isExtension() && j.takeId() != null)
                .map(JobEntry::takeId)
                .orElse(card.shot().activeTakeId());
    }

    private void refreshThumbnails(ShotCard card) {
        Storyboard sb = timeline.getStoryboard();
        card.refreshThumbnails(timeline.frames(), displayedTake(card), card.getPrefWidth(), sb.width() / (double) sb.height());
    }

    private void refreshSelection() {
        cards.forEach((id, card) -> card.pseudoClassStateChanged(SELECTED, timeline.selectionProperty().contains(id)));
    }

    private void refreshStale() {
        cards.forEach((id, card) -> card.setStale(timeline.staleShotsProperty().contains(id)));
    }

    private void refreshQualityMarks() {
        cards.values().forEach(card -> card.setQualityFlags(timeline.qualityMarks().of(displayedTake(card))));
    }

    private void refreshStatuses() {
        cards.forEach((id, card) -> {
            card.showStatus(timeline.activeJob(id).orElse(null));
            if (!Objects.equals(card.shownTake(), displayedTake(card))) {
                refreshThumbnails(card);
                card.setQualityFlags(timeline.qualityMarks().of(displayedTake(card)));
            }
        });
    }

    Optional<ShotCard> card(String shotId) {
        return Optional.ofNullable(cards.get(shotId));
    }

    // ---- gestures ---------------------------------------------------------------------------------

    private void seek(MouseEvent e) {
        if (e.getButton() != MouseButton.PRIMARY) {
            return;
        }
        double local = e.getSceneX() - content.localToScene(0, 0).getX();
        int frame = (int) Math.floor((local - PAD) / timeline.getPixelsPerFrame());
        timeline.fireEvent(ShotTimelineEvent.seek(frame, e.isShiftDown(), true));
        e.consume();
    }

    private void wire(ShotCard card) {
        String id = card.shot().id();
        Node edge = card.edgeHandle();
        edge.setOnMousePressed(e -> {
            if (e.getButton() != MouseButton.PRIMARY) {
                return;
            }
            getSkinnable().requestFocus();
            drag = new Drag(Drag.Kind.EDGE, id, e.getSceneX(), card.shot().durationFrames(), false, false, true);
            drag.active = true;
            timeline.setResizing(true);
            if (!timeline.selectionProperty().contains(id)) {
                timeline.fireEvent(ShotTimelineEvent.select(id, ShotTimelineEvent.SelectMode.ONLY));
            }
            e.consume();
        });
        edge.setOnMouseDragged(e -> {
            if (drag == null || drag.kind != Drag.Kind.EDGE || drag.cancelled) {
                e.consume();
                return;
            }
            double ppf = timeline.getPixelsPerFrame();
            int frames = drag.originalFrames + (int) Math.round((e.getSceneX() - drag.pressX) / ppf);
            frames = Math.max(1, Math.min(Shots.maxShotFrames(timeline.getStoryboard()), frames));
            if (frames != drag.frames) {
                drag.frames = frames;
                overrides.put(id, frames);
                relayout();
            }
            e.consume();
        });
        edge.setOnMouseReleased(e -> {
            Drag d = drag;
            finishDrag();
            if (d != null && d.kind == Drag.Kind.EDGE && !d.cancelled && d.frames != d.originalFrames) {
                timeline.fireEvent(ShotTimelineEvent.resize(id, d.frames));
            }
            e.consume();
        });

        card.setOnMousePressed(e -> {
            if (e.getButton() != MouseButton.PRIMARY) {
                return;
            }
            getSkinnable().requestFocus();
            boolean wasSelected = timeline.selectionProperty().contains(id);
            drag = new Drag(Drag.Kind.MOVE, id, e.getSceneX(), card.shot().durationFrames(), e.isShortcutDown(),
                    e.isShiftDown(), wasSelected);
            if (e.isShortcutDown()) {
                timeline.fireEvent(ShotTimelineEvent.select(id, ShotTimelineEvent.SelectMode.TOGGLE));
            } else if (e.isShiftDown()) {
                timeline.fireEvent(ShotTimelineEvent.select(id, ShotTimelineEvent.SelectMode.EXTEND));
            } else if (!wasSelected) {
                timeline.fireEvent(ShotTimelineEvent.select(id, ShotTimelineEvent.SelectMode.ONLY));
            }
            e.consume();
        });
        card.setOnMouseDragged(e -> {
            if (drag == null || drag.kind != Drag.Kind.MOVE || drag.cancelled || drag.shortcut || drag.shift) {
                return;
            }
            double dx = e.getSceneX() - drag.pressX;
            if (!drag.active && Math.abs(dx) < DRAG_THRESHOLD) {
                return;
            }
            if (!drag.active) {
                drag.active = true;
                drag.moving = timeline.selectionProperty().contains(id) ? selectedIdsInOrder() : List.of(id);
                drag.moving.forEach(m -> Optional.ofNullable(cards.get(m)).ifPresent(Node::toFront));
            }
            for (String m : drag.moving) {
                ShotCard c = cards.get(m);
                if (c != null) {
                    c.setTranslateX(dx);
                    c.pseudoClassStateChanged(DRAGGED, true);
                }
            }
            double local = e.getSceneX() - content.localToScene(0, 0).getX();
            double frame = (local - PAD) / timeline.getPixelsPerFrame();
            drag.gap = layout.gapNearest(frame);
            double gx = PAD + (drag.gap == layout.size() ? layout.totalFrames() : layout.start(drag.gap))
                    * timeline.getPixelsPerFrame() - CARD_GAP / 2 - 2;
            insertionMarker.resizeRelocate(gx, RULER_HEIGHT, 4, Math.max(40, content.getHeight() - RULER_HEIGHT));
            insertionMarker.setVisible(true);
            e.consume();
        });
        card.setOnMouseReleased(e -> {
            Drag d = drag;
            finishDrag();
            if (d == null || d.kind != Drag.Kind.MOVE || d.cancelled) {
                return;
            }
            if (d.active && d.gap >= 0) {
                timeline.fireEvent(ShotTimelineEvent.move(d.moving, d.gap));
            } else if (!d.active && d.wasSelected && !d.shortcut && !d.shift && e.isStillSincePress()) {
                timeline.fireEvent(ShotTimelineEvent.select(id, ShotTimelineEvent.SelectMode.ONLY)); // keep just this one
            }
            e.consume();
        });
        card.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2 && e.getButton() == MouseButton.PRIMARY) {
                int i = layout.indexOf(id);
                if (i >= 0) {
                    timeline.fireEvent(ShotTimelineEvent.seek(layout.start(i), false, false));
                }
            }
        });
    }

    boolean isDragging() {
        return drag != null && drag.active && !drag.cancelled;
    }

    void cancelDrag() {
        if (drag != null) {
            drag.cancelled = true;
        }
        timeline.setResizing(false);
        resetDragVisuals();
    }

    private List<String> selectedIdsInOrder() {
        return timeline.getStoryboard().shots().stream().map(Shot::id).filter(timeline.selectionProperty()::contains).toList();
    }

    private void finishDrag() {
        resetDragVisuals();
        drag = null;
        timeline.setResizing(false);
        if (rebuildPending) {
            rebuild();
        }
    }

    private void resetDragVisuals() {
        insertionMarker.setVisible(false);
        for (ShotCard c : new ArrayList<>(cards.values())) {
            c.setTranslateX(0);
            c.pseudoClassStateChanged(DRAGGED, false);
        }
        if (!overrides.isEmpty()) {
            overrides.clear();
            relayout();
        }
    }

    @Override
    public void dispose() {
        removals.forEach(Runnable::run);
        removals.clear();
        jobListeners.forEach((job, l) -> job.stateProperty().removeListener(l));
        jobListeners.clear();
        super.dispose();
    }
}
