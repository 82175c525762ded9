package dev.storyboard.media.timeline;

import dev.storyboard.domain.io.AtomicFiles;
import dev.storyboard.domain.project.IoMessages;
import dev.storyboard.domain.text.Printable;
import dev.storyboard.media.export.AtomicOutput;
import dev.storyboard.media.export.ExportException;
import java.io.IOException;
import java.nio.file.Path;

/** Writes a timeline file atomically ({@link AtomicFiles}); the previous file survives failures. */
public final class TimelineExporter {

    public void export(EditTimeline timeline, TimelineFormat format, Path target) throws ExportException {
        AtomicOutput.prepareFile(target, format.extension());
        String text = format.writer().write(timeline);
        try {
            AtomicFiles.writeString(target, text);
        } catch (IOException e) {
            throw new ExportException("cannot write " + format.name() + " timeline " + Printable.of(target) + ": "
                    + IoMessages.describe(e), e);
        }
    }
}
