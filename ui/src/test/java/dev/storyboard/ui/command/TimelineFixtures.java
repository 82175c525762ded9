package dev.storyboard.ui.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import dev.storyboard.domain.TimelineInvariants;
import dev.storyboard.ui.timeline.TimelineLayout;
import java.util.List;

/** Storyboards and the whole-timeline consistency check shared by command tests. */
public final class TimelineFixtures {
    private TimelineFixtures() {
    }

    public static Storyboard threeShots() {
        Shot a = new Shot("a", "a red ball bounces in a meadow", 16, CameraMove.STATIC, ShotSize.WIDE, 1, 4.0,
                List.of(new Take("a-t1", 1, 16, "a/a-t1")), "a-t1");
        Shot b = Shot.planned("b", "the red ball rolls left", 24, CameraMove.PAN_LEFT, ShotSize.MEDIUM, 2);
        Shot c = new Shot("c", "close on the red ball", 8, CameraMove.ZOOM_IN, ShotSize.CLOSE_UP, 3, 5.0,
                List.of(new Take("c-t1", 3, 8, "c/c-t1"), new Take("c-t2", 4, 12, "c/c-t2")), "c-t2");
        return new Storyboard("Test scene", "a red striped ball in a sunny meadow", 8, 64, 64, List.of(a, b, c));
    }

    /** No overlaps or gaps, positive durations, unique ids, active takes present, within limits. */
    public static void assertConsistent(Storyboard sb) {
        assertThat(TimelineInvariants.problems(sb)).as("timeline invariants").isEmpty();
        TimelineLayout layout = new TimelineLayout(sb);
        assertThat(layout.isConsistent()).as("shots laid end to end").isTrue();
        assertThat(layout.totalFrames()).isEqualTo(sb.totalFrames());
        for (int i = 0; i < layout.size(); i++) {
            assertThat(layout.duration(i)).isPositive();
            if (i > 0) {
                assertThat(layout.start(i)).isEqualTo(layout.end(i - 1));
            }
            int mid = layout.start(i) + layout.duration(i) / 2;
            assertThat(layout.at(mid).orElseThrow().index()).isEqualTo(i);
        }
    }
}
