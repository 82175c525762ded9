package dev.storyboard.media.export;

import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.domain.io.AtomicFiles;
import dev.storyboard.domain.project.FrameFileName;
import dev.storyboard.domain.project.IoMessages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;

/**
 * Writes frames as {@code frame_000000.png …} ({@link FrameFileName#PNG_EXPORT}) into a folder. The folder appears only when complete
 * (written as a hidden temporary sibling, then renamed: {@link AtomicFiles#replaceDirectory}); an existing folder of the same name is replaced
 * only if it holds nothing but frame files ({@link dev.storyboard.domain.project.OutputGuard}).
 */
public final class PngSequenceExporter {
    /**
     * Runs on every frame file right after it was written into the hidden temporary folder. The default does
     * nothing; tests inject a full disk here (a write error part-way through the sequence).
     */
    @FunctionalInterface
    public interface AfterFrame {
        void accept(Path frameFile) throws IOException;
    }

    private final AfterFrame afterFrame;

    public PngSequenceExporter() {
        this(file -> { });
    }

    /** An exporter whose frame files each go through {@code afterFrame} once written (fault injection). */
    public PngSequenceExporter(AfterFrame afterFrame) {
        this.afterFrame = afterFrame;
    }

    public void export(FrameSequence frames, Path targetFolder, ExportProgress progress, BooleanSupplier cancelled)
            throws ExportException {
        if (frames.size() == 0) {
            throw new ExportException("nothing to export to " + targetFolder + ": no frames");
        }
        AtomicOutput.prepareFolder(targetFolder, FrameFileName.PNG_EXPORT::matches, "PNG frames");
        Path temp = null;
        try {
            temp = AtomicFiles.newTempDirectory(targetFolder);
            BufferedImage image = new BufferedImage(frames.width(), frames.height(), BufferedImage.TYPE_INT_RGB);
            for (int i = 0; i < frames.size(); i++) {
                if (cancelled.getAsBoolean()) {
                    throw new ExportCancelledException("PNG export to " + targetFolder + " cancelled after " + i + " frames");
                }
                VideoFrame f = frames.frame(i);
                image.setRGB(0, 0, f.width(), f.height(), f.argb(), 0, f.width());
                Path file = temp.resolve(FrameFileName.PNG_EXPORT.of(i));
                if (!ImageIO.write(image, "png", file.toFile())) {
                    throw new ExportException("no PNG writer available in this Java runtime");
                }
                afterFrame.accept(file);
                progress.framesWritten(i + 1, frames.size());
            }
            AtomicFiles.replaceDirectory(temp, targetFolder);
            temp = null;
        } catch (ExportException e) {
            throw e;
        } catch (IOException e) {
            throw new ExportException("cannot write PNG frames to " + targetFolder + ": " + IoMessages.describe(e), e);
        } finally {
            AtomicFiles.deleteQuietly(temp);
        }
    }
}
