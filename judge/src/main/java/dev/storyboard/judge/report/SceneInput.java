package dev.storyboard.judge.report;

import dev.storyboard.judge.storyworld.StoryworldExport;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One scene to judge: the shots of one storyboard (or one video file, as a single shot).
 *
 * @param id         scene id in reports
 * @param sourceFile the file or folder it came from, or null (frames from the engine)
 * @param shots      its shots, in order
 * @param labels     storyworld labels of the whole scene, or null
 * @param segments   the "shots" are consecutive pieces of one continuous shot (no cuts are intended between
 *                   them), as {@link SegmentedSceneSource} makes
 */
public record SceneInput(String id, Path sourceFile, List<ShotInput> shots, StoryworldExport.SceneLabels labels,
                         boolean segments) {
    public SceneInput {
        Objects.requireNonNull(id, "id");
        shots = List.copyOf(shots);
    }

    /** A scene of real shots (cuts intended between them). */
    public SceneInput(String id, Path sourceFile, List<ShotInput> shots, StoryworldExport.SceneLabels labels) {
        this(id, sourceFile, shots, labels, false);
    }
}
