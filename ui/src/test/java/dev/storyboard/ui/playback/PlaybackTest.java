package dev.storyboard.ui.playback;

import static org.assertj.core.api.Assertions.assertThat;

import javafx.beans.property.SimpleIntegerProperty;
import org.junit.jupiter.api.Test;

/** Playback follows the clock at the scene's fps (a fake clock: no sleeps, no dependence on machine load). */
class PlaybackTest {
    private static final long SECOND = 1_000_000_000L;
    private final SimpleIntegerProperty playhead = new SimpleIntegerProperty();
    private final Playback playback = new Playback(playhead, () -> 8, () -> new Playback.Range(0, 48),
            () -> new Playback.Range(16, 40));

    @Test
    void thePlayheadIsWhereTheClockSaysAtTheScenesFps() {
        playback.play();
        playback.tick(5 * SECOND);                 // the first tick starts the clock
        assertThat(playhead.get()).isZero();
        playback.tick(5 * SECOND + SECOND / 2);
        assertThat(playhead.get()).isEqualTo(4);   // 0.5 s at 8 fps
        playback.tick(7 * SECOND);                 // a slow frame skips ahead instead of slowing down
        assertThat(playhead.get()).isEqualTo(16);
        playback.pause();
        playback.tick(9 * SECOND);
        assertThat(playhead.get()).isEqualTo(16);
    }

    @Test
    void theEndLoopsOrStops() {
        playback.play();
        playback.tick(0);
        playback.tick(7 * SECOND);                 // 56 frames into a 48-frame scene
        assertThat(playhead.get()).isEqualTo(8);
        playback.loopProperty().set(false);
        playback.play();
        playback.tick(0);
        playback.tick(10 * SECOND);
        assertThat(playhead.get()).isEqualTo(47);
        assertThat(playback.isPlaying()).isFalse();
    }

    @Test
    void shotScopePlaysTheShotsFrames() {
        playback.scopeProperty().set(Playback.Scope.SHOT);
        playback.play();
        assertThat(playhead.get()).isEqualTo(16);
        playback.tick(0);
        playback.tick(SECOND);
        assertThat(playhead.get()).isEqualTo(24);
    }
}
