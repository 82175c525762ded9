package dev.storyboard.ui.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandStackTest {
    private final StoryboardDocument doc = new StoryboardDocument(TimelineFixtures.threeShots());
    private final TimelineCommands commands = new TimelineCommands(doc);
    private final CommandStack stack = new CommandStack();

    @Test
    void undoRedoAvailabilityAndDescriptionsAreObservable() {
        List<Boolean> canUndoChanges = new ArrayList<>();
        stack.canUndoProperty().addListener((o, a, b) -> canUndoChanges.add(b));
        assertThat(stack.canUndo()).isFalse();
        stack.execute(commands.setPrompt("b", "the ball rolls right"));
        assertThat(stack.canUndo()).isTrue();
        assertThat(stack.undoDescriptionProperty().get()).isEqualTo("Change prompt of Shot 2");
        stack.undo();
        assertThat(stack.canRedo()).isTrue();
        assertThat(stack.redoDescriptionProperty().get()).isEqualTo("Change prompt of Shot 2");
        assertThat(canUndoChanges).containsExactly(true, false);
    }

    @Test
    void dirtyFollowsTheSavePointThroughUndoAndRedo() {
        assertThat(stack.isDirty()).isFalse();
        stack.execute(commands.setSeed("a", 99));
        assertThat(stack.isDirty()).isTrue();
        stack.markSaved();
        assertThat(stack.isDirty()).isFalse();
        stack.undo();
        assertThat(stack.isDirty()).isTrue();
        stack.redo();
        assertThat(stack.isDirty()).isFalse();
        stack.undo();
        stack.execute(commands.setSeed("a", 5)); // the saved state is gone from the history
        assertThat(stack.isDirty()).isTrue();
        stack.undo();
        assertThat(stack.isDirty()).isTrue();
    }

    @Test
    void aSaveThatFinishesAfterMoreEditsMarksTheStateItWrote() {
        stack.execute(commands.setSeed("a", 1));
        Object point = stack.savePoint();
        stack.execute(commands.setSeed("a", 2)); // edited while the save was being written
        stack.markSaved(point);
        assertThat(stack.isDirty()).isTrue();
        stack.undo();
        assertThat(stack.isDirty()).isFalse();
    }

    @Test
    void aCommandThatChangesNothingIsNotRecorded() {
        boolean recorded = stack.execute(commands.setPrompt("a", doc.get().shots().get(0).prompt()));
        assertThat(recorded).isFalse();
        assertThat(stack.canUndo()).isFalse();
        assertThat(stack.isDirty()).isFalse();
    }

    @Test
    void aRefusedCommandChangesNothingAndIsNotRecorded() {
        Storyboard before = doc.get();
        assertThatThrownBy(() -> stack.execute(commands.deleteShots(List.of("a", "nope"))))
                .hasMessageContaining("no shot nope");
        assertThat(doc.get()).isSameAs(before);
        assertThat(stack.canUndo()).isFalse();
        assertThatThrownBy(() -> stack.execute(commands.setDuration("b", 0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> stack.execute(commands.setGuidance("b", 25))).isInstanceOf(IllegalArgumentException.class);
        assertThat(doc.get()).isSameAs(before);
    }

    @Test
    void batchIsOneEntryAndAllOrNothing() {
        Storyboard before = doc.get();
        BatchCommand ok = new BatchCommand("Tidy", List.of(commands.setSeed("a", 7), commands.setPrompt("b", "x")));
        stack.execute(ok);
        assertThat(stack.undoHistory()).containsExactly("Tidy");
        stack.undo();
        assertThat(doc.get()).isEqualTo(before);

        BatchCommand failing = new BatchCommand("Half", List.of(commands.setSeed("a", 8), commands.setPrompt("zzz", "x")));
        assertThatThrownBy(() -> stack.execute(failing)).hasMessageContaining("no shot zzz");
        assertThat(doc.get()).isEqualTo(before);
        assertThat(stack.canUndo()).isFalse();
        assertThat(stack.canRedo()).isTrue(); // the earlier undone batch is still redoable
    }

    @Test
    void undoRefusesWhenTheDocumentWasChangedBehindItsBack() {
        stack.execute(commands.setSeed("a", 9));
        StoryboardDocument other = doc;
        other.set(TimelineFixtures.threeShots()); // package-private: simulates a rogue write
        assertThatThrownBy(stack::undo).hasMessageContaining("outside the undo history");
    }

    @Test
    void depthIsBoundedAndTheOldestEntriesGo() {
        CommandStack small = new CommandStack(3);
        for (int i = 0; i < 5; i++) {
            small.execute(commands.setSeed("a", 100 + i));
        }
        assertThat(small.undoHistory()).hasSize(3);
        small.undo();
        small.undo();
        small.undo();
        assertThat(small.canUndo()).isFalse();
        assertThat(doc.get().shot("a").orElseThrow().seed()).isEqualTo(101);
        assertThat(small.isDirty()).isTrue();
    }

    @Test
    void listenersHearExecuteUndoRedo() {
        List<String> events = new ArrayList<>();
        stack.addListener((e, c) -> events.add(e + " " + c.description()));
        stack.execute(commands.setSeed("b", 3));
        stack.undo();
        stack.redo();
        assertThat(events).containsExactly("EXECUTED Set seed of Shot 2", "UNDONE Set seed of Shot 2", "REDONE Set seed of Shot 2");
    }

    @Test
    void aListenerThatRunsAnotherCommandIsRefusedAndTheHistoryStaysWhole() {
        stack.addListener((event, command) -> {
            if (event == CommandStack.Event.EXECUTED && command.description().startsWith("Change prompt")) {
                stack.execute(commands.setSeed("a", 5)); // a job pushing another job
            }
        });
        assertThatThrownBy(() -> stack.execute(commands.setPrompt("b", "x")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("while busy with");
        assertThat(stack.undoHistory()).containsExactly("Change prompt of Shot 2");
        stack.undo(); // the guard was released
        assertThat(doc.get()).isEqualTo(TimelineFixtures.threeShots());
    }

    @Test
    void aCommandThatRunsAnotherCommandIsRefusedAndNothingIsRecorded() {
        Command nested = new Command() {
            @Override
            public void execute() {
                stack.execute(commands.setSeed("a", 5)); // a job pushing another job, from inside a command
            }

            @Override
            public void undo() {
            }

            @Override
            public void redo() {
            }

            @Override
            public String description() {
                return "Nested";
            }

            @Override
            public boolean changedAnything() {
                return true;
            }
        };
        assertThatThrownBy(() -> stack.execute(nested))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("while busy with: execute Nested");
        assertThat(stack.undoHistory()).isEmpty();
        assertThat(doc.get()).isEqualTo(TimelineFixtures.threeShots());
        assertThat(stack.execute(commands.setSeed("a", 5))).as("the guard was released").isTrue();
    }

    @Test
    void aListenerThatUndoesIsRefusedToo() {
        stack.addListener((event, command) -> {
            if (event == CommandStack.Event.EXECUTED) {
                stack.undo();
            }
        });
        assertThatThrownBy(() -> stack.execute(commands.setSeed("b", 3)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("while busy with");
        assertThat(stack.undoHistory()).containsExactly("Set seed of Shot 2");
    }

    @Test
    void amendFoldsALateResultIntoItsEntryAndEveryLaterState() {
        Take longer = new Take("a-t1", 1, 24, "a/a-t1");
        StoryboardEdit drag = commands.setDuration("a", 24);
        stack.execute(drag);
        stack.execute(commands.setPrompt("c", "later"));
        stack.markSaved();
        assertThat(doc.amend(stack, drag, TimelineCommands.takeArrived("a", longer, false))).isEqualTo(CommandStack.Position.DONE);
        assertThat(doc.get().shot("a").orElseThrow().takes()).containsExactly(longer);
        assertThat(stack.undoHistory()).containsExactly("Extend Shot 1 to 24 frames", "Change prompt of Shot 3");
        assertThat(stack.isDirty()).as("the saved state did not have the frames").isTrue();
        stack.undo();
        assertThat(doc.get().shot("a").orElseThrow().takes()).containsExactly(longer);
        stack.undo();
        assertThat(doc.get()).isEqualTo(TimelineFixtures.threeShots());
        stack.redo();
        stack.redo();
        assertThat(doc.get().shot("a").orElseThrow().takes()).containsExactly(longer);
        assertThat(doc.get().shot("c").orElseThrow().prompt()).isEqualTo("later");
    }

    @Test
    void amendOfAnUndoneEntryChangesOnlyItsRedo() {
        StoryboardEdit drag = commands.setDuration("a", 24);
        stack.execute(drag);
        stack.undo();
        Storyboard before = doc.get();
        Take longer = new Take("a-t1", 1, 24, "a/a-t1");
        assertThat(doc.amend(stack, drag, TimelineCommands.takeArrived("a", longer, false))).isEqualTo(CommandStack.Position.UNDONE);
        assertThat(doc.get()).isSameAs(before);
        stack.redo();
        assertThat(doc.get().shot("a").orElseThrow().takes()).containsExactly(longer);
    }
}
