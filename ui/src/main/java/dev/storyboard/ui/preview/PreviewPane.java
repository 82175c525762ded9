package dev.storyboard.ui.preview;

import dev.storyboard.domain.Shot;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.ui.generation.FrameImages;
import dev.storyboard.ui.generation.GenerationModel;
import dev.storyboard.ui.playback.Playback;
import dev.storyboard.ui.selection.SelectionModel;
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
    private final SelectionModel selection;
    private final GenerationModel generation;
    private final ObservableValue<Storyboard> storyboard;
    private final Slider scrub = new Slider();
    private final AnimationTimer timer;
    private boolean updatingScrub;

    /**
     * @param selection       the playhead and playback it shows and drives
     * @param generation      the frames it shows, and the live frame of a running job
     * @param storyboard      the storyboard shown
     * @param placeholderText what it says while there is nothing to show
     */
    public PreviewPane(SelectionModel selection, GenerationModel generation, ObservableValue<Storyboard> storyboard,
                       ObservableValue<String> placeholderText) {
        this.selection = selection;
        this.generation = generation;
        this.storyboard = storyboard;
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
        setBottom(transport());
        Observable[] deps = {selection.playheadProperty(), storyboard, generation.liveFrameProperty(),
                generation.liveCaptionProperty(), selection.playback().playingProperty()};
        for (Observable o : deps) {
            o.addListener(x -> refresh());
        }
        generation.frames().addListener(takeId -> refresh());
        timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                selection.playback().tick(now);
            }
        };
        selection.playback().playingProperty().addListener((o, was, playing) -> {
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
        play.textProperty().bind(Bindings.when(selection.playback().playingProperty()).then("❚❚").otherwise("▶"));
        play.setTooltip(new Tooltip("Play / pause (Space)"));
        play.setOnAction(e -> selection.togglePlay());
        play.setFocusTraversable(false);

        ToggleButton loop = new ToggleButton("⟲ Loop");
        loop.setId("loop-button");
        loop.selectedProperty().bindBidirectional(selection.playback().loopProperty());
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
                selection.playback().scopeProperty().set((Playback.Scope) now.getUserData());
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
                selection.playback().pause();
                selection.movePlayhead((int) Math.round(b.doubleValue()), false);
            }
        });
        Label time = new Label();
        time.setId("time-label");
        time.getStyleClass().add("time-label");
        time.textProperty().bind(Bindings.createStringBinding(() -> timecode(selection.playheadProperty().get(),
                storyboard.getValue()), selection.playheadProperty(), storyboard));
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
        Storyboard sb = storyboard.getValue();
        TimelineLayout layout = new TimelineLayout(sb);
        updatingScrub = true;
        scrub.setMax(Math.max(0, layout.totalFrames() - 1));
        scrub.setValue(selection.playheadProperty().get());
        updatingScrub = false;

        VideoFrame live = generation.liveFrameProperty().get();
        if (live != null && !selection.playback().isPlaying()) {
            show(FrameImages.image(live), generation.liveCaptionProperty().get(), null);
            return;
        }
        var pos = layout.at(selection.playheadProperty().get());
        if (pos.isEmpty()) {
            show(null, "", null);
            return;
        }
        Shot shot = pos.get().shot();
        int local = pos.get().localFrame();
        String label = "Shot " + (pos.get().index() + 1) + " · frame " + local;
        VideoFrame frame = generation.frames().frame(shot.activeTakeId(), local);
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
        boolean noShots = storyboard.getValue().shots().isEmpty();
        missing.setVisible(image == null && missingText != null && !noShots);
        placeholder.setVisible(image == null && (missingText == null || noShots)
                || image == null && storyboard.getValue().shots().stream().allMatch(s -> s.takes().isEmpty()));
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
