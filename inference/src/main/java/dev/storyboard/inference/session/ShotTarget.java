package dev.storyboard.inference.session;

import dev.storyboard.inference.dit.SceneLayout;
import dev.storyboard.inference.dit.Segment;

/**
 * The shot an operation writes: its index, its working entry (job-owned until the operation commits) and the real
 * layout of shots 0..index (positions need no later shots).
 */
record ShotTarget(SceneLayout real, int index, SessionShot entry) {

    /** The segment of the shot's frames [start, start + n): a span that starts the shot carries its caption. */
    Segment segment(int start, int n) {
        return start == 0 ? Segment.wholeShot(index, n) : Segment.frames(index, start, n);
    }
}
