package dev.storyboard.ui.playback;

import java.util.function.IntSupplier;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * Playback of the scene or of one shot at the scene's fps, as pure state: a driver (an AnimationTimer in
 * the view) calls {@link #tick} with the current time and the playhead follows the clock, so a slow
 * frame skips ahead instead of slowing playback down.
 */
public final class Playback {
    public enum Scope { SCENE, SHOT }

    /** Frames [start, end) that playback covers. */
    public record Range(int start, int end) {
        public int length() {
            return end - start;
        }
    }

    private final IntegerProperty playhead;
    private final IntSupplier fps;
    private final Supplier<Range> sceneRange;
    private final Supplier<Range> shotRange;
    private final BooleanProperty playing = new SimpleBooleanProperty(this, "playing");
    private final BooleanProperty loop = new SimpleBooleanProperty(this, "loop", true);
    private final ObjectProperty<Scope> scope = new SimpleObjectProperty<>(this, "scope", Scope.SCENE);
    private long startNanos;
    private int startFrame;
    private boolean started;

    public Playback(IntegerProperty playhead, IntSupplier fps, Supplier<Range> sceneRange, Supplier<Range> shotRange) {
        this.playhead = playhead;
        this.fps = fps;
        this.sceneRange = sceneRange;
        this.shotRange = shotRange;
    }

    public BooleanProperty playingProperty() {
        return playing;
    }

    public boolean isPlaying() {
        return playing.get();
    }

    public BooleanProperty loopProperty() {
        return loop;
    }

    public ObjectProperty<Scope> scopeProperty() {
        return scope;
    }

    public Range range() {
        Range r = scope.get() == Scope.SHOT ? shotRange.get() : sceneRange.get();
        return r == null || r.length() <= 0 ? sceneRange.get() : r;
    }

    public void play() {
        Range r = range();
        if (r.length() <= 0) {
            return;
        }
        int at = playhead.get();
        if (at < r.start() || at >= r.end() - 1) {
            playhead.set(r.start());
        }
        started = false;
        playing.set(true);
    }

    public void pause() {
        playing.set(false);
    }

    public void toggle() {
        if (playing.get()) {
            pause();
        } else {
            play();
        }
    }

    /** Advances the playhead to where the clock says it is. */
    public void tick(long nowNanos) {
        if (!playing.get()) {
            return;
        }
        if (!started) {
            started = true;
            startNanos = nowNanos;
            startFrame = playhead.get();
            return;
        }
        Range r = range();
        if (r.length() <= 0) {
            pause();
            return;
        }
        long elapsed = Math.max(0, nowNanos - startNanos);
        long frame = startFrame + elapsed * fps.getAsInt() / 1_000_000_000L;
        if (frame >= r.end()) {
            if (loop.get()) {
                frame = r.start() + (frame - r.start()) % r.length();
            } else {
                playhead.set(r.end() - 1);
                pause();
                return;
            }
        }
        if (frame < r.start()) {
            frame = r.start();
        }
        playhead.set((int) frame);
    }
}
