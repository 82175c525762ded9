package dev.storyboard.ui.command;

import dev.storyboard.domain.Storyboard;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Several commands as one undo entry: one gesture (a drag, "delete 3 shots", "generate with a new
 * seed") is one step back. All or nothing: when a part fails, the parts already applied are undone in
 * reverse order and the failure is rethrown.
 */
public final class BatchCommand implements Command, Amendable {
    private final String description;
    private final List<Command> parts;

    public BatchCommand(String description, List<? extends Command> parts) {
        this.description = Objects.requireNonNull(description, "description");
        this.parts = List.copyOf(parts);
        if (this.parts.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one command");
        }
    }

    @Override
    public String description() {
        return description;
    }

    public List<Command> parts() {
        return parts;
    }

    @Override
    public void execute() {
        forward(false);
    }

    @Override
    public void redo() {
        forward(true);
    }

    private void forward(boolean redo) {
        List<Command> done = new ArrayList<>();
        try {
            for (Command part : parts) {
                if (redo) {
                    part.redo();
                } else {
                    part.execute();
                }
                done.add(part);
            }
        } catch (RuntimeException e) {
            for (int i = done.size() - 1; i >= 0; i--) {
                try {
                    done.get(i).undo();
                } catch (RuntimeException rollback) {
                    e.addSuppressed(rollback);
                }
            }
            throw e;
        }
    }

    @Override
    public void undo() {
        List<Command> undone = new ArrayList<>();
        try {
            for (int i = parts.size() - 1; i >= 0; i--) {
                parts.get(i).undo();
                undone.add(parts.get(i));
            }
        } catch (RuntimeException e) {
            for (int i = undone.size() - 1; i >= 0; i--) {
                try {
                    undone.get(i).redo();
                } catch (RuntimeException rollback) {
                    e.addSuppressed(rollback);
                }
            }
            throw e;
        }
    }

    @Override
    public boolean changedAnything() {
        return parts.stream().anyMatch(Command::changedAnything);
    }

    @Override
    public void amendResult(UnaryOperator<Storyboard> change) {
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i) instanceof Amendable a) {
                if (i == 0) {
                    a.amendResult(change);
                } else {
                    a.amendAll(change);
                }
            }
        }
    }

    @Override
    public void amendAll(UnaryOperator<Storyboard> change) {
        for (Command part : parts) {
            if (part instanceof Amendable a) {
                a.amendAll(change);
            }
        }
    }
}
