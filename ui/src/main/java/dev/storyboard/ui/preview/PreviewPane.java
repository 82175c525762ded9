package dev.storyboard.ui.preview;

import dev.storyboard.domain.Shot;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.ui.EditorViewModel;
import dev.storyboard.ui.playback.Playback;
import dev.storyboard.ui.timeline.TimelineLayout;
import java.util.Locale;
import javafx.animation.AnimationTimer;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import org.controlsfx.control.SegmentedButton;

/**
 * The preview: the frame under the playhead (or, while a job runs and nothing plays, the frame just
 * decoded), scaled up without smoothing so the model's native pixels stay honest, and the transport bar
 * (play/pause, loop, scene/shot scope, scrub).
 */
public final class PreviewPane extends BorderPane {
    public static final String ID = "preview";

    private final ImageView frameView = new ImageView();
    private final Label placeholder = new Label();
    private final Label caption = new Label();
    private final Label missing = new Label();
    private final EditorViewModel model;
    private final Slider scrub = new Slider();
    private final AnimationTimer timer;
    private boolean updatingScrub;

    /** A preview with a placeholder text only (no model): kept for simple embedding. */
    public PreviewPane(ObservableValue<String> placeholderText) {
        this(null, placeholderText);
    }

    public PreviewPane(EditorViewModel model, ObservableValue<String> placeholderText) {
        this.model = model;
        setId(ID);
        getStyleClass().add("preview-pane");
        frameView.setPreserveRatio(true);
        frameView.setSmooth(false);
        frameView.setId("preview-image");
        StackPane stage = new StackPane(frameView, missing, placeholder, caption);
        stage.getStyleClass().add("preview-stage");
        stage.setMinSize(0, 0);
        frameView.fitWidthProperty().bind(stage.widthProperty().subtract(24));
        frameView.fitHeightProperty().bind(stage.heightProperty().subtract(24));
        placeholder.getStyleClass().add("preview-placeholder");
        placeholder.textProperty().bind(placeholderText);
        placeholder.setWrapText(true);
        missing.getStyleClass().add("preview-missing");
        missing.setWrapText(true);
        missing.setVisible(false);
        caption.getStyleClass().add("preview-caption");
        caption.setId("preview-caption");
        StackPane.setAlignment(caption, Pos.BOTTOM_LEFT);
        setCenter(stage);
        if (model == null) {
            placeholder.visibleProperty().bind(Bindings.isNull(frameView.imageProperty()));
            caption.setVisible(false);
            timer = null;
            return;
        }
        setBottom(transport());
        Observable[] deps = {model.playheadProperty(), model.storyboardProperty(), model.liveFrameProperty(),
                model.liveCaptionProperty(), model.playback().playingProperty()};
        for (Observable o : deps) {
            o.addListener(x -> refresh());
        }
        model.frames().addListener(takeId -> refresh());
        timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                model.playback().tick(now);
            }
        };
        model.playback().playingProperty().addListener((o, was, playing) -> {
            if (playing) {
                timer.start();
            } else {
                timer.stop();
            }
        });
        refresh();
    }

    private HBox transport() {
        Button play = new Button();
        play.setId("play-button");
        play.getStyleClass().add("transport-button");
        play.textProperty().bind(Bindings.when(model.playback().playingProperty()).then("❚❚").otherwise("▶"));
        play.setTooltip(new Tooltip("Play / pause (Space)"));
        play.setOnAction(e -> model.togglePlay());
        play.setFocusTraversable(false);

        ToggleButton loop = new ToggleButton("⟲ Loop");
        loop.setId("loop-button");
        loop.selectedProperty().bindBidirectional(model.playback().loopProperty());
        loop.setTooltip(new Tooltip("Loop playback (L)"));
        loop.setFocusTraversable(false);

        ToggleButton scene = new ToggleButton("Scene");
        ToggleButton shot = new ToggleButton("Shot");
        scene.setUserData(Playback.Scope.SCENE);
        shot.setUserData(Playback.Scope.SHOT);
        scene.setTooltip(new Tooltip("Play the whole scene"));
        shot.setTooltip(new Tooltip("Play the selected shot only"));
        SegmentedButton scope = new SegmentedButton(scene, shot);
        scope.setId("scope-buttons");
        scope.getStyleClass().add(SegmentedButton.STYLE_CLASS_DARK);
        scene.setSelected(true);
        scope.getToggleGroup().selectedToggleProperty().addListener((o, was, now) -> {
            if (now == null) {
                was.setSelected(true); // one is always selected
            } else {
                model.playback().scopeProperty().set((Playback.Scope) now.getUserData());
            }
        });
        scene.setFocusTraversable(false);
        shot.setFocusTraversable(false);

        scrub.setId("scrub");
        scrub.setMin(0);
        scrub.setFocusTraversable(false);
        HBox.setHgrow(scrub, Priority.ALWAYS);
        scrub.valueProperty().addListener((o, a, b) -> {
            if (!updatingScrub) {
                model.playback().pause();
                model.movePlayhead((int) Math.round(b.doubleValue()), false);
            }
        });
        Label time = new Label();
        time.setId("time-label");
        time.getStyleClass().add("time-label");
        time.textProperty().bind(Bindings.createStringBinding(() -> timecode(model.playheadProperty().get(),
                model.storyboard()), model.playheadProperty(), model.storyboardProperty()));
        HBox bar = new HBox(8, play, loop, scope, scrub, time);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("transport-bar");
        return bar;
    }

    /** "00:01.25 · frame 10 / 52". */
    public static String timecode(int frame, Storyboard sb) {
        int fps = sb.fps();
        int total = sb.totalFrames();
        int seconds = frame / fps;
        return String.format(Locale.ROOT, "%02d:%02d.%02d · frame %d / %d", seconds / 60, seconds % 60, frame % fps, frame,
                Math.max(0, total - 1));
    }

    private void refresh() {
        Storyboard sb = model.storyboard();
        TimelineLayout layout = new TimelineLayout(sb);
        updatingScrub = true;
        scrub.setMax(Math.max(0, layout.totalFrames() - 1));
        scrub.setValue(model.playheadProperty().get());
        updatingScrub = false;

        VideoFrame live = model.liveFrameProperty().get();
        if (live != null && !model.playback().isPlaying()) {
            show(FrameImages.image(live), model.liveCaptionProperty().get(), null);
            return;
        }
        var pos = layout.at(model.playheadProperty().get());
        if (pos.isEmpty()) {
            show(null, "", null);
            return;
        }
        Shot shot = pos.get().shot();
        int local = pos.get().localFrame();
        String label = "Shot " + (pos.get().index() + 1) + " · frame " + local;
        VideoFrame frame = model.frames().frame(shot.activeTakeId(), local);
        if (frame != null) {
            show(FrameImages.image(frame), label, null);
        } else {
            String why = shot.activeTakeId() == null ? "not generated yet"
                    : local >= shot.activeTake().map(t -> t.generatedFrames()).orElse(0) ? "frame not generated yet (extension pending)"
                    : "loading…";
            show(null, label, label + "\n" + why);
        }
    }

    private void show(Image image, String captionText, String missingText) {
        frameView.setImage(image);
        caption.setText(captionText);
        caption.setVisible(captionText != null && !captionText.isEmpty());
        missing.setText(missingText == null ? "" : missingText);
        boolean noShots = model.storyboard().shots().isEmpty();
        missing.setVisible(image == null && missingText != null && !noShots);
        placeholder.setVisible(image == null && (missingText == null || noShots)
                || image == null && model.storyboard().shots().stream().allMatch(s -> s.takes().isEmpty()));
        if (placeholder.isVisible()) {
            missing.setVisible(false);
        }
    }

    /** Shows a frame; call on the FX thread. {@code null} clears the preview. */
    public void showFrame(Image frame) {
        frameView.setImage(frame);
    }

    public Image currentImage() {
        return frameView.getImage();
    }
}
