package dev.storyboard.media.export;

import dev.storyboard.domain.generation.VideoFrame;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;

/**
 * Writes frames as {@code frame_000000.png …} into a folder. The folder appears only when complete
 * (written as a hidden {@code .part} sibling, then renamed); an existing folder of the same name is replaced.
 */
public final class PngSequenceExporter {
    public static String fileName(int index) {
        return String.format(Locale.ROOT, "frame_%06d.png", index);
    }

    public void export(FrameSequence frames, Path targetFolder, ExportProgress progress, BooleanSupplier cancelled)
            throws ExportException {
        if (frames.size() == 0) {
            throw new ExportException("nothing to export to " + targetFolder + ": no frames");
        }
        AtomicOutput.prepareFolder(targetFolder, true);
        Path temp = AtomicOutput.tempSibling(targetFolder, "");
        AtomicOutput.deleteQuietly(temp);
        Path old = null;
        try {
            Files.createDirectory(temp);
            BufferedImage image = new BufferedImage(frames.width(), frames.height(), BufferedImage.TYPE_INT_RGB);
            for (int i = 0; i < frames.size(); i++) {
                if (cancelled.getAsBoolean()) {
                    throw new ExportCancelledException("PNG export to " + targetFolder + " cancelled after " + i + " frames");
                }
                VideoFrame f = frames.frame(i);
                image.setRGB(0, 0, f.width(), f.height(), f.argb(), 0, f.width());
                if (!ImageIO.write(image, "png", temp.resolve(fileName(i)).toFile())) {
                    throw new ExportException("no PNG writer available in this Java runtime");
                }
                progress.framesWritten(i + 1, frames.size());
            }
            if (Files.exists(targetFolder)) {
                // Folders cannot be renamed over each other: move the old one aside first, drop it after.
                old = AtomicOutput.tempSibling(targetFolder, ".old");
                AtomicOutput.deleteQuietly(old);
                Files.move(targetFolder, old);
            }
            Files.move(temp, targetFolder);
            temp = null;
        } catch (ExportException e) {
            throw e;
        } catch (IOException e) {
            throw new ExportException("cannot write PNG frames to " + targetFolder + ": " + e.getMessage(), e);
        } finally {
            AtomicOutput.deleteQuietly(temp);
            if (old != null && Files.exists(targetFolder)) {
                AtomicOutput.deleteQuietly(old);
            } else if (old != null) {
                try {
                    Files.move(old, targetFolder); // put the previous export back
                } catch (IOException ignored) {
                    // the previous export stays at its .old name; nothing is lost
                }
            }
        }
    }
}
