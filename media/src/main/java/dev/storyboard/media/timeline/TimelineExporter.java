package dev.storyboard.media.timeline;

import dev.storyboard.domain.project.IoMessages;
import dev.storyboard.domain.text.Printable;
import dev.storyboard.media.export.AtomicOutput;
import dev.storyboard.media.export.ExportException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a timeline file atomically (temporary sibling, then rename); the previous file survives failures. */
public final class TimelineExporter {

    public void export(EditTimeline timeline, TimelineFormat format, Path target) throws ExportException {
        AtomicOutput.prepareFile(target, format.extension());
        String text = format.writer().write(timeline);
        Path temp = null;
        try {
            temp = AtomicOutput.tempSibling(target, "");
            Files.deleteIfExists(temp);
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (IOException e) {
            throw new ExportException("cannot write " + format.name() + " timeline " + Printable.of(target) + ": "
                    + IoMessages.describe(e), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // hidden .part file; the target is untouched either way
                }
            }
        }
    }
}
