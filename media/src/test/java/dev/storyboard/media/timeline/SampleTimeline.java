package dev.storyboard.media.timeline;

import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import dev.storyboard.domain.export.EditorialRate;
import java.util.List;

/** The 3-shot sample scene of the golden files. */
final class SampleTimeline {
    private SampleTimeline() {
    }

    static Storyboard storyboard(int fps) {
        Shot s1 = new Shot("shot-1", "a red striped ball bounces in a sunny meadow", 2 * fps, CameraMove.STATIC, ShotSize.WIDE,
                1001, 4.0, List.of(new Take("take-1", 1001, 2 * fps, "")), "take-1");
        Shot s2 = new Shot("shot-2", "the red ball rolls to the left", 3 * fps, CameraMove.PAN_LEFT, ShotSize.MEDIUM,
                1002, 4.0, List.of(new Take("take-2", 1002, 3 * fps, "")), "take-2");
        Shot s3 = new Shot("shot-3", "the red ball spins — \"close\" & <fast>", fps + fps / 2, CameraMove.ZOOM_IN,
                ShotSize.CLOSE_UP, 1003, 4.0, List.of(), null);
        return new Storyboard("The red ball", "a red striped ball in a sunny meadow", fps, 64, 64, List.of(s1, s2, s3));
    }

    /** The 8 fps sample (shots of 16, 24 and 12 frames) at an editorial rate. */
    static EditTimeline atRate(EditorialRate rate) {
        return EditTimeline.of(storyboard(8), rate, shot -> "media/" + shot.id() + ".mp4");
    }

    /** The scene of issue 23's acceptance: shots of 8, 12 and 20 frames at 8 fps (1.0, 1.5 and 2.5 s). */
    static Storyboard acceptance() {
        List<Shot> shots = List.of(
                new Shot("s1", "a red ball & <a> \"box\"\tgo", 8, CameraMove.STATIC, ShotSize.WIDE, 1, 4.0,
                        List.of(new Take("t1", 1, 8, "")), "t1"),
                new Shot("s2", "красный мяч 赤いボール", 12, CameraMove.PAN_LEFT, ShotSize.MEDIUM, 2, 4.0,
                        List.of(new Take("t2", 2, 12, "")), "t2"),
                new Shot("s3", "it spins", 20, CameraMove.ZOOM_IN, ShotSize.CLOSE_UP, 3, 4.0,
                        List.of(new Take("t3", 3, 20, "")), "t3"));
        return new Storyboard("Ball & <Cube> \"quoted\"", "", 8, 64, 64, shots);
    }

    static EditTimeline timeline(int fps) {
        return EditTimeline.of(storyboard(fps), shot -> "media/" + shot.id() + ".mp4");
    }
}
