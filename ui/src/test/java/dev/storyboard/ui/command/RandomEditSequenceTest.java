package dev.storyboard.ui.command;

import static dev.storyboard.ui.command.TimelineFixtures.assertConsistent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Long random sequences of edits, undos and redos (including refused ones): the timeline stays consistent
 * after every step, and undoing everything returns exactly the first storyboard.
 */
class RandomEditSequenceTest {

    @Property(tries = 150)
    void anySequenceKeepsTheTimelineConsistentAndUndoesToTheStart(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int steps) {
        Random random = new Random(seed);
        StoryboardDocument doc = new StoryboardDocument(TimelineFixtures.threeShots());
        CommandStack stack = new CommandStack();
        TimelineCommands c = new TimelineCommands(doc);
        Storyboard start = doc.get();

        for (int step = 0; step < steps; step++) {
            int action = random.nextInt(10);
            if (action == 0 && stack.canUndo()) {
                stack.undo();
            } else if (action == 1 && stack.canRedo()) {
                stack.redo();
            } else {
                Command command = randomCommand(random, c, doc.get());
                Storyboard before = doc.get();
                try {
                    stack.execute(command);
                } catch (RuntimeException refused) {
                    assertThat(doc.get()).as("a refused command changes nothing").isSameAs(before);
                }
            }
            assertConsistent(doc.get());
        }
        while (stack.canUndo()) {
            stack.undo();
            assertConsistent(doc.get());
        }
        assertThat(doc.get()).isEqualTo(start);
    }

    private static Command randomCommand(Random r, TimelineCommands c, Storyboard sb) {
        List<Shot> shots = sb.shots();
        String any = shots.isEmpty() ? "missing" : shots.get(r.nextInt(shots.size())).id();
        String id = r.nextInt(20) == 0 ? "missing" : any;
        String fresh = Shots.nextShotId(sb, List.of());
        return switch (r.nextInt(14)) {
            case 0 -> c.addShot(Shot.planned(fresh, "shot " + fresh, 1 + r.nextInt(40), CameraMove.STATIC, ShotSize.WIDE, r.nextInt()));
            case 1 -> c.insertShot(r.nextInt(shots.size() + 2), Shot.planned(fresh, "x", 1 + r.nextInt(40), CameraMove.PAN_LEFT, ShotSize.MEDIUM, 1));
            case 2 -> c.duplicateShots(List.of(id), List.of(fresh));
            case 3 -> c.deleteShots(List.of(id));
            case 4 -> c.moveShots(List.of(id), r.nextInt(shots.size() + 2) - (r.nextInt(10) == 0 ? 1 : 0));
            case 5 -> c.setPrompt(id, "prompt " + r.nextInt(5));
            case 6 -> c.setCamera(id, CameraMove.values()[r.nextInt(CameraMove.values().length)]);
            case 7 -> c.setShotSize(id, ShotSize.values()[r.nextInt(ShotSize.values().length)]);
            case 8 -> c.setDuration(id, r.nextInt(60) - 5);
            case 9 -> c.setGuidance(id, r.nextInt(25));
            case 10 -> c.addTake(id, new Take("t" + r.nextInt(1000), 1, r.nextInt(50), "x/t"), r.nextBoolean());
            case 11 -> {
                Shot s = sb.shot(id).orElse(null);
                String take = s == null || s.takes().isEmpty() ? "none" : s.takes().get(r.nextInt(s.takes().size())).id();
                yield r.nextBoolean() ? c.selectTake(id, take) : c.deleteTake(id, take);
            }
            case 12 -> new BatchCommand("batch", List.of(c.setSeed(any, r.nextLong()), c.setDuration(id, r.nextInt(30) - 2)));
            default -> c.setScenePrompt("scene " + r.nextInt(3));
        };
    }
}
