package dev.storyboard.judge.report;

import java.util.List;

/**
 * Where the scenes of one evaluation run come from. {@link FileSceneSource} reads videos, frame folders and
 * storyworld exports from disk; a generating source (the engine rendering a set of storyboards, later
 * {@code storyboard eval --generate}) implements the same two methods and hands over its frames as
 * {@link dev.storyboard.judge.video.Clip#ofVideoFrames}.
 */
public interface SceneSource {
    /** The run's label in reports ("model", "baseline-independent", a folder name). */
    String label();

    /** Ids of the scenes, in report order. */
    List<String> sceneIds();

    /**
     * Loads (or generates) one scene.
     *
     * @throws dev.storyboard.judge.JudgeException when the scene cannot be read; the run records the error and
     *                                             goes on with the next scene
     */
    SceneInput load(String id);
}
