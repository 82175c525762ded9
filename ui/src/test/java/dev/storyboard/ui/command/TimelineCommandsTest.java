package dev.storyboard.ui.command;

import static dev.storyboard.ui.command.TimelineFixtures.assertConsistent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every timeline operation: apply, check the whole timeline, undo → exactly before, redo → exactly after. */
class TimelineCommandsTest {

    static Stream<Arguments> operations() {
        return Stream.of(
                op("add shot", c -> c.addShot(Shot.planned("d", "a new shot", 10, CameraMove.STATIC, ShotSize.WIDE, 4))),
                op("insert shot first", c -> c.insertShot(0, Shot.planned("d", "x", 5, CameraMove.STATIC, ShotSize.WIDE, 4))),
                op("insert shot middle", c -> c.insertShot(2, Shot.planned("d", "x", 5, CameraMove.STATIC, ShotSize.WIDE, 4))),
                op("duplicate one", c -> c.duplicateShots(List.of("a"), List.of("shot-9"))),
                op("duplicate two", c -> c.duplicateShots(List.of("a", "c"), List.of("shot-9", "shot-10"))),
                op("delete one", c -> c.deleteShots(List.of("b"))),
                op("delete all", c -> c.deleteShots(List.of("a", "b", "c"))),
                op("move first to end", c -> c.moveShots(List.of("a"), 3)),
                op("move last to start", c -> c.moveShots(List.of("c"), 0)),
                op("move two", c -> c.moveShots(List.of("a", "c"), 2)),
                op("prompt", c -> c.setPrompt("b", "the ball rolls right")),
                op("camera", c -> c.setCamera("b", CameraMove.ZOOM_OUT)),
                op("shot size", c -> c.setShotSize("a", ShotSize.CLOSE_UP)),
                op("seed", c -> c.setSeed("c", 123456789L)),
                op("guidance", c -> c.setGuidance("a", 7.5)),
                op("extend", c -> c.setDuration("a", 40)),
                op("trim", c -> c.setDuration("c", 3)),
                op("add take", c -> c.addTake("b", new Take("b-t1", 2, 24, "b/b-t1"), true)),
                op("add take inactive", c -> c.addTake("a", new Take("a-t2", 2, 16, "a/a-t2"), false)),
                op("replace take", c -> c.replaceTake("a", new Take("a-t1", 1, 24, "a/a-t1"))),
                op("select take", c -> c.selectTake("c", "c-t1")),
                op("delete active take", c -> c.deleteTake("c", "c-t2")),
                op("delete only take", c -> c.deleteTake("a", "a-t1")),
                op("scene prompt", c -> c.setScenePrompt("a blue cube in the snow")),
                op("title", c -> c.setTitle("Renamed")));
    }

    private static Arguments op(String name, Function<TimelineCommands, Command> f) {
        return Arguments.of(name, f);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void undoRedoRoundTrip(String name, Function<TimelineCommands, Command> operation) {
        StoryboardDocument doc = new StoryboardDocument(TimelineFixtures.threeShots());
        CommandStack stack = new CommandStack();
        Storyboard before = doc.get();

        assertThat(stack.execute(operation.apply(new TimelineCommands(doc)))).as(name + " changes something").isTrue();
        Storyboard after = doc.get();
        assertThat(after).isNotEqualTo(before);
        assertConsistent(after);

        stack.undo();
        assertThat(doc.get()).isEqualTo(before);
        assertConsistent(doc.get());

        stack.redo();
        assertThat(doc.get()).isEqualTo(after);
        assertConsistent(doc.get());

        stack.undo();
        assertThat(doc.get()).isEqualTo(before);
    }

    @Test
    void moveKeepsTheOrderOfTheOthersAndOfTheMovedShots() {
        StoryboardDocument doc = new StoryboardDocument(TimelineFixtures.threeShots());
        new CommandStack().execute(new TimelineCommands(doc).moveShots(List.of("c", "a"), 2));
        assertThat(doc.get().shots()).extracting(Shot::id).containsExactly("b", "a", "c");
    }

    @Test
    void trimKeepsTheTakesFramesAndExtendBackRestoresThem() {
        StoryboardDocument doc = new StoryboardDocument(TimelineFixtures.threeShots());
        CommandStack stack = new CommandStack();
        TimelineCommands c = new TimelineCommands(doc);
        stack.execute(c.setDuration("c", 4));
        Shot trimmed = doc.get().shot("c").orElseThrow();
        assertThat(trimmed.durationFrames()).isEqualTo(4);
        assertThat(trimmed.activeTake().orElseThrow().generatedFrames()).isEqualTo(12);
        assertThat(stack.undoDescriptionProperty().get()).isEqualTo("Trim Shot 3 to 4 frames");
    }

    @Test
    void duplicateCopiesSettingsButNotTakes() {
        StoryboardDocument doc = new StoryboardDocument(TimelineFixtures.threeShots());
        new CommandStack().execute(new TimelineCommands(doc).duplicateShots(List.of("c"), List.of("shot-4")));
        Shot copy = doc.get().shots().get(3);
        assertThat(copy.id()).isEqualTo("shot-4");
        assertThat(copy.prompt()).isEqualTo("close on the red ball");
        assertThat(copy.guidance()).isEqualTo(5.0);
        assertThat(copy.takes()).isEmpty();
        assertThat(copy.activeTakeId()).isNull();
    }

    @Test
    void deletingTheActiveTakeActivatesTheNewestRemaining() {
        StoryboardDocument doc = new StoryboardDocument(TimelineFixtures.threeShots());
        new CommandStack().execute(new TimelineCommands(doc).deleteTake("c", "c-t2"));
        assertThat(doc.get().shot("c").orElseThrow().activeTakeId()).isEqualTo("c-t1");
    }
}
