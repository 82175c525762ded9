package dev.storyboard.ui.timeline;

import dev.storyboard.domain.Shot;
import dev.storyboard.domain.Take;
import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.domain.quality.QualityFlag;
import dev.storyboard.ui.generation.FrameCache;
import dev.storyboard.ui.generation.FrameImages;
import dev.storyboard.ui.generation.JobEntry;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javafx.beans.binding.Bindings;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.Cursor;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;

/**
 * One shot on the timeline: number, duration, a live thumbnail strip of its active take, prompt,
 * camera/framing/seed, takes or the running job's progress, and a handle on its right edge to drag the
 * length. Appearance only: the skin decides what a drag means.
 */
public final class ShotCard extends StackPane {
    public static final String STYLE_CLASS = "shot-card";
    public static final String SELECTED_PSEUDO = "selected";
    public static final String EDGE_STYLE_CLASS = "shot-edge-handle";
    private static final PseudoClass STALE = PseudoClass.getPseudoClass("stale");
    private static final PseudoClass GENERATING = PseudoClass.getPseudoClass("generating");
    private static final PseudoClass EXTENDING = PseudoClass.getPseudoClass("extending");
    private static final PseudoClass TRIMMING = PseudoClass.getPseudoClass("trimming");
    private static final PseudoClass MISSING = PseudoClass.getPseudoClass("missing");
    private static final double THUMB_HEIGHT = 40;
    /** Below this a thumbnail shows nothing useful: a card shorter than its text and this hides its strip. */
    private static final double MIN_THUMB_HEIGHT = 12;
    /** The strip's padding above and below its thumbnails (editor.css {@code .thumbnail-strip}). */
    private static final double STRIP_INSETS = 4;

    private final Shot shot;
    private final int number;
    private final int fps;
    private final Label duration = new Label();
    private final HBox strip = new HBox(2);
    private final VBox content = new VBox(3);
    private final Label status = new Label();
    private final ProgressBar progress = new ProgressBar(0);
    private final Label staleBadge = new Label("stale");
    private final Label checkBadge = new Label();
    private final Tooltip checkTip = new Tooltip();
    private final Region edge = new Region();
    private int shownFrames;
    private String shownTake;
    private double thumbWidth = THUMB_HEIGHT;
    private double thumbHeight = THUMB_HEIGHT;
    /** What the strip last showed, to show it again at another thumbnail height. */
    private FrameCache shownFrom;
    private double stripWidth;
    private double frameAspect = 1;

    public int fps() {
        return fps;
    }

    public ShotCard(int number, Shot shot, int fps, double pixelsPerFrame) {
        this.shot = shot;
        this.number = number;
        this.fps = fps;
        this.shownFrames = shot.durationFrames();
        getStyleClass().add(STYLE_CLASS);
        setId("shot-card-" + shot.id());
        setAlignment(Pos.TOP_LEFT);

        Label title = new Label("Shot " + number);
        title.getStyleClass().add("shot-title");
        title.setMinWidth(Region.USE_PREF_SIZE);
        staleBadge.getStyleClass().add("stale-badge");
        staleBadge.setVisible(false);
        staleBadge.managedProperty().bind(staleBadge.visibleProperty());
        staleBadge.setTooltip(new Tooltip("Generated against an earlier version of a previous shot: regenerate to match"));
        checkBadge.getStyleClass().add("check-badge");
        checkBadge.setId("shot-check-" + shot.id());
        checkBadge.setVisible(false);
        checkBadge.managedProperty().bind(checkBadge.visibleProperty());
        checkBadge.setMinWidth(Region.USE_PREF_SIZE);
        checkBadge.setTooltip(checkTip);
        duration.getStyleClass().add("shot-meta");
        duration.setId("shot-duration-" + shot.id());
        duration.setMinWidth(Region.USE_PREF_SIZE);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(6, title, spacer, duration);
        header.setAlignment(Pos.CENTER_LEFT);

        strip.getStyleClass().add("thumbnail-strip");
        setStripHeight(THUMB_HEIGHT + STRIP_INSETS);
        strip.setMinWidth(0);

        Label prompt = new Label(shot.prompt().isBlank() ? "(no prompt yet)" : shot.prompt());
        prompt.getStyleClass().add("shot-prompt");
        prompt.setId("shot-prompt-" + shot.id());
        if (shot.prompt().isBlank()) {
            prompt.getStyleClass().add("shot-prompt-empty");
        }
        prompt.setWrapText(true);
        prompt.setMaxHeight(36);
        prompt.setMinHeight(0);

        Label meta = new Label(cameraLabel(shot) + " · seed " + shot.seed());
        meta.getStyleClass().add("shot-meta");
        meta.setId("shot-meta-" + shot.id());

        status.getStyleClass().add("shot-meta");
        status.setId("shot-status-" + shot.id());
        progress.getStyleClass().add("shot-progress");
        progress.setMaxWidth(Double.MAX_VALUE);
        progress.setPrefHeight(6);
        progress.setVisible(false);
        progress.managedProperty().bind(progress.visibleProperty());
        progress.setId("shot-progress-" + shot.id());

        // the status shares the meta line: one line less for a card in a short timeline (1280×720)
        CardMetaLine metaRow = new CardMetaLine(meta, List.of(staleBadge, checkBadge), status);
        content.getChildren().addAll(header, strip, prompt, metaRow, progress);
        content.getStyleClass().add("shot-card-content");
        content.setMinWidth(0);

        edge.getStyleClass().add(EDGE_STYLE_CLASS);
        edge.setId("shot-edge-" + shot.id());
        edge.setCursor(Cursor.H_RESIZE);
        edge.setPrefWidth(8);
        edge.setMaxWidth(8);
        edge.setMaxHeight(Double.MAX_VALUE);
        StackPane.setAlignment(edge, Pos.CENTER_RIGHT);
        Tooltip.install(edge, new Tooltip("Drag to change the length: longer generates only the new frames, "
                + "shorter trims without losing frames (Esc cancels)"));

        getChildren().addAll(content, edge);
        setMinWidth(0);
        setPrefWidth(shot.durationFrames() * pixelsPerFrame);
        setMaxWidth(Region.USE_PREF_SIZE);
        setMinHeight(0);
        setClipToRounded();
        showDuration(shot.durationFrames());
        showStatus(null);
    }

    @Override
    protected void layoutChildren() {
        fitThumbnailsToHeight();
        super.layoutChildren();
    }

    /**
     * A card shorter than it would like (a short timeline, a 1280×720 window) gives up thumbnail height first and
     * never a line of text: the strip gets the height the text leaves, at most {@link #THUMB_HEIGHT}; below
     * {@link #MIN_THUMB_HEIGHT} it is hidden.
     */
    private void fitThumbnailsToHeight() {
        double height = getHeight();
        if (height <= 0) {
            return;
        }
        double stripShare = strip.isManaged() ? strip.prefHeight(-1) + content.getSpacing() : 0;
        double text = content.prefHeight(getWidth()) - stripShare;
        double fitted = Math.min(THUMB_HEIGHT, Math.floor(height - text - content.getSpacing() - STRIP_INSETS));
        boolean shown = fitted >= MIN_THUMB_HEIGHT;
        strip.setVisible(shown);
        strip.setManaged(shown);
        if (shown && fitted != thumbHeight) {
            thumbHeight = fitted;
            setStripHeight(thumbHeight + STRIP_INSETS);
            strip.getChildren().clear(); // slots of the new size
            if (shownFrom != null) {
                refreshThumbnails(shownFrom, shownTake, stripWidth, frameAspect);
            }
        }
    }

    private void setStripHeight(double height) {
        strip.setMinHeight(height);
        strip.setPrefHeight(height);
        strip.setMaxHeight(height);
    }

    private void setClipToRounded() {
        Rectangle clip = new Rectangle();
        clip.widthProperty().bind(widthProperty());
        clip.heightProperty().bind(heightProperty());
        clip.setArcWidth(12);
        clip.setArcHeight(12);
        setClip(clip);
    }

    static String cameraLabel(Shot shot) {
        return switch (shot.camera()) {
            case STATIC -> "static";
            case PAN_LEFT -> "pan ←";
            case PAN_RIGHT -> "pan →";
            case ZOOM_IN -> "zoom in";
            case ZOOM_OUT -> "zoom out";
        } + " · " + shot.shotSize().promptPhrase();
    }

    public Shot shot() {
        return shot;
    }

    public int number() {
        return number;
    }

    /** The right-edge drag handle. */
    public Region edgeHandle() {
        return edge;
    }

    /** Duration label, with the change while an edge is dragged ("24 f (+8)"). */
    public void showDuration(int frames) {
        shownFrames = frames;
        int delta = frames - shot.durationFrames();
        int have = shot.activeTake().map(Take::generatedFrames).orElse(0);
        String text = String.format(Locale.ROOT, "%.1f s · %d f", frames / (double) fps, frames);
        if (delta != 0) {
            text += String.format(Locale.ROOT, " (%+d)", delta);
        }
        duration.setText(text);
        pseudoClassStateChanged(EXTENDING, delta > 0);
        pseudoClassStateChanged(TRIMMING, delta < 0);
        String tip = shot.activeTakeId() == null ? "no take yet"
                : frames > have ? (frames - have) + " frames to generate"
                : frames < have ? "trimmed: the take keeps all " + have + " frames" : "the whole take";
        duration.setTooltip(new Tooltip(tip));
    }

    public int shownFrames() {
        return shownFrames;
    }

    /** The take whose frames the strip shows: the active one, or the new take being generated. */
    public String shownTake() {
        return shownTake;
    }

    /**
     * Marks what the live chunk check found in the shown take (nothing: no mark). The badge names the kind, or
     * the count when there are several; the tooltip says what was found and at which frame.
     */
    public void setQualityFlags(List<QualityFlag> flags) {
        checkBadge.setVisible(!flags.isEmpty());
        if (flags.isEmpty()) {
            return;
        }
        checkBadge.setText("\u26A0 " + (flags.size() == 1 ? flags.get(0).kind() : flags.size() + " flags"));
        checkTip.setText(flags.stream()
                .map(f -> "Frame " + f.frame() + " (" + String.format(Locale.ROOT, "%.1f", f.frame() / (double) fps)
                        + " s): " + f.kind() + " \u2014 " + f.message())
                .collect(Collectors.joining("\n")));
    }

    /** The badge's text and tooltip (tests). */
    public String qualityMark() {
        return checkBadge.isVisible() ? checkBadge.getText() + "\n" + checkTip.getText() : "";
    }

    public void setStale(boolean stale) {
        staleBadge.setVisible(stale);
        pseudoClassStateChanged(STALE, stale);
    }

    /** Shows a job's progress (bar + step counter), or the takes summary when {@code job} is null. */
    public void showStatus(JobEntry job) {
        progress.progressProperty().unbind();
        status.textProperty().unbind();
        if (job != null && job.isActive()) {
            progress.setVisible(true);
            progress.progressProperty().bind(Bindings.createDoubleBinding(
                    () -> job.fractionProperty().get(),
                    job.fractionProperty(), job.stateProperty()));
            status.textProperty().bind(Bindings.createStringBinding(
                    () -> job.state() == JobEntry.State.QUEUED ? "queued"
                            : (job.isExtension() ? "extending · " : "generating · ") + job.stepTextProperty().get(),
                    job.stepTextProperty(), job.stateProperty()));
            pseudoClassStateChanged(GENERATING, true);
        } else {
            progress.setVisible(false);
            pseudoClassStateChanged(GENERATING, false);
            int takes = shot.takes().size();
            int have = shot.activeTake().map(Take::generatedFrames).orElse(0);
            String s = takes == 0 ? "not generated" : takes == 1 ? "1 take" : takes + " takes";
            if (takes > 0 && shot.durationFrames() < have) {
                s += " · trimmed (" + have + " f in take)";
            } else if (takes > 0 && shot.durationFrames() > have) {
                s += " · " + (shot.durationFrames() - have) + " f missing";
            }
            status.setText(s);
        }
    }

    /**
     * Shows the frames in memory on the thumbnail strip, sampled across the shown length. Slots are reused:
     * a new chunk only swaps images, it does not create nodes.
     */
    public void refreshThumbnails(FrameCache frames, String takeId, double width, double frameAspect) {
        shownFrom = frames;
        stripWidth = width;
        this.frameAspect = frameAspect;
        thumbWidth = Math.max(8, thumbHeight * frameAspect);
        double inner = Math.max(0, width - 16);
        int count = Math.max(1, (int) Math.floor((inner + 2) / (thumbWidth + 2)));
        if (strip.getChildren().size() != count) {
            strip.getChildren().clear();
            for (int i = 0; i < count; i++) {
                ImageView view = new ImageView();
                view.setFitHeight(thumbHeight);
                view.setFitWidth(thumbWidth);
                view.setSmooth(true);
                Pane slot = new Pane(view);
                slot.getStyleClass().add("thumb-slot");
                slot.setMinSize(thumbWidth, thumbHeight);
                slot.setPrefSize(thumbWidth, thumbHeight);
                slot.setMaxSize(thumbWidth, thumbHeight);
                strip.getChildren().add(slot);
            }
        }
        int frameCount = Math.max(1, shownFrames);
        shownTake = takeId;
        for (int i = 0; i < count; i++) {
            int index = (int) Math.min(frameCount - 1, Math.floor((i + 0.5) * frameCount / count));
            VideoFrame frame = frames.frame(takeId, index);
            Pane slot = (Pane) strip.getChildren().get(i);
            ImageView view = (ImageView) slot.getChildren().get(0);
            view.setImage(frame == null ? null : FrameImages.image(frame));
            slot.pseudoClassStateChanged(MISSING, frame == null);
        }
    }

    /** Number of thumbnails showing a frame (tests). */
    public long thumbnailsShown() {
        return strip.getChildren().stream()
                .filter(slot -> ((ImageView) ((Pane) slot).getChildren().get(0)).getImage() != null).count();
    }
}
