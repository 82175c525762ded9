package dev.storyboard.judge.report;

import dev.storyboard.judge.JudgeException;
import dev.storyboard.judge.video.Clip;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits every shot of another source into consecutive segments of a fixed length, each judged as a shot of
 * its own with the shot's labels: the drift curve of a long (extended) shot is then the per-segment verdicts
 * and luma/saturation in report order. Segment ids are {@code <shot>@<first frame>}; a last segment shorter
 * than two frames is dropped (no frame pair to judge).
 */
public final class SegmentedSceneSource implements SceneSource {
    private final SceneSource inner;
    private final int segmentFrames;

    public SegmentedSceneSource(SceneSource inner, int segmentFrames) {
        if (segmentFrames < 2) {
            throw new JudgeException("segments need at least 2 frames, got " + segmentFrames);
        }
        this.inner = inner;
        this.segmentFrames = segmentFrames;
    }

    @Override
    public String label() {
        return inner.label();
    }

    @Override
    public List<String> sceneIds() {
        return inner.sceneIds();
    }

    @Override
    public SceneInput load(String id) {
        SceneInput scene = inner.load(id);
        List<ShotInput> segments = new ArrayList<>();
        for (ShotInput shot : scene.shots()) {
            Clip clip = shot.clip();
            for (int start = 0; start + 2 <= clip.frameCount(); start += segmentFrames) {
                int end = Math.min(clip.frameCount(), start + segmentFrames);
                String segId = shot.id() + "@" + start;
                segments.add(new ShotInput(segId, clip.slice(start, end, segId),
                        boundariesIn(shot.chunkBoundaries(), start, end), shot.labels()));
            }
        }
        return new SceneInput(scene.id(), scene.sourceFile(), segments, scene.labels(), true);
    }

    private static int[] boundariesIn(int[] boundaries, int start, int end) {
        return Arrays.stream(boundaries).filter(b -> b > start && b < end).map(b -> b - start).toArray();
    }
}
