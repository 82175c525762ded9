package dev.storyboard.media.timeline;

import dev.storyboard.domain.io.AtomicFiles;
import dev.storyboard.domain.project.IoMessages;
import dev.storyboard.domain.text.Printable;
import dev.storyboard.media.export.AtomicOutput;
import dev.storyboard.media.export.ExportException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a timeline file atomically ({@link AtomicFiles}); the previous file survives failures. */
public final class TimelineExporter {
    /**
     * Runs on the finished temporary timeline file before it is published. The default does nothing; tests
     * inject a full disk here.
     */
    @FunctionalInterface
    public interface BeforePublish {
        void accept(Path temp) throws IOException;
    }

    private final BeforePublish beforePublish;

    public TimelineExporter() {
        this(temp -> { });
    }

    /** An exporter whose finished temporary goes through {@code beforePublish} first (fault injection). */
    public TimelineExporter(BeforePublish beforePublish) {
        this.beforePublish = beforePublish;
    }

    public void export(EditTimeline timeline, TimelineFormat format, Path target) throws ExportException {
        Path temp = writeTemp(timeline, format, target);
        publish(temp, format, target);
    }

    /**
     * Writes the timeline into a hidden temporary beside {@code target}, complete and on disk, for a caller that
     * publishes it together with other outputs ({@link #publish}); on failure nothing is left.
     */
    public Path writeTemp(EditTimeline timeline, TimelineFormat format, Path target) throws ExportException {
        AtomicOutput.prepareFile(target, format.extension());
        String text = format.writer().write(timeline);
        Path temp = null;
        try {
            temp = AtomicFiles.newTemp(target);
            Files.writeString(temp, text);
            AtomicFiles.sync(temp); // a full disk may only show up here
            beforePublish.accept(temp);
            Path done = temp;
            temp = null;
            return done;
        } catch (IOException e) {
            throw new ExportException("cannot write " + format.name() + " timeline " + Printable.of(target) + ": "
                    + IoMessages.describe(e), e);
        } finally {
            AtomicFiles.deleteQuietly(temp);
        }
    }

    /** Replaces {@code target} with a temporary from {@link #writeTemp} (a rename: needs no space). */
    public void publish(Path temp, TimelineFormat format, Path target) throws ExportException {
        try {
            AtomicFiles.publish(temp, target);
        } catch (IOException e) {
            throw new ExportException("cannot write " + format.name() + " timeline " + Printable.of(target) + ": "
                    + IoMessages.describe(e), e);
        }
    }
}
