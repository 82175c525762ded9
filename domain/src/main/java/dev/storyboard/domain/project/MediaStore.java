package dev.storyboard.domain.project;

import dev.storyboard.domain.generation.VideoFrame;
import dev.storyboard.domain.io.AtomicFiles;
import dev.storyboard.domain.text.Printable;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A take's frames on disk: one PNG per frame, {@code <media folder>/<shot>/<take>/frame-000000.png}
 * ({@link FrameFileName#TAKE_MEDIA}).
 * Every PNG is written atomically ({@link AtomicFiles}), so a frame file is either complete or absent;
 * a take read back stops at its first missing frame. Blocking: call from a background thread.
 */
public final class MediaStore {
    private MediaStore() {
    }

    /** Writes frames [first, first + frames.size()) of the take in {@code takeDir}. */
    public static void writeFrames(Path takeDir, int first, List<VideoFrame> frames) throws IOException {
        Files.createDirectories(takeDir);
        for (int i = 0; i < frames.size(); i++) {
            writeFrame(takeDir.resolve(FrameFileName.TAKE_MEDIA.of(first + i)), frames.get(i));
        }
    }

    static void writeFrame(Path target, VideoFrame frame) throws IOException {
        BufferedImage image = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, frame.width(), frame.height(), frame.argb(), 0, frame.width());
        AtomicFiles.write(target, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    /**
     * Reads up to {@code max} frames from frame 0, stopping at the first missing one.
     *
     * @throws IOException naming the file when a frame is not a regular file (a link, a pipe) or not a PNG image
     */
    public static List<VideoFrame> readFrames(Path takeDir, int max) throws IOException {
        List<VideoFrame> frames = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            Path file = takeDir.resolve(FrameFileName.TAKE_MEDIA.of(i));
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                break;
            }
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(Printable.of(file) + ": not a regular file (frames must be PNG files inside the media folder)");
            }
            BufferedImage image;
            try {
                image = ImageIO.read(file.toFile());
            } catch (IOException | RuntimeException e) {
                throw new IOException(Printable.of(file) + ": not a PNG image that can be read", e);
            }
            if (image == null) {
                throw new IOException(Printable.of(file) + ": not a PNG image");
            }
            int w = image.getWidth();
            int h = image.getHeight();
            int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
            for (int p = 0; p < argb.length; p++) {
                argb[p] |= 0xFF000000;
            }
            frames.add(new VideoFrame(w, h, argb));
        }
        return frames;
    }

    /** Number of frame files present from frame 0 without a hole. */
    public static int countFrames(Path takeDir) {
        int n = 0;
        while (Files.isRegularFile(takeDir.resolve(FrameFileName.TAKE_MEDIA.of(n)))) {
            n++;
        }
        return n;
    }

    /** Copies a take folder (frame files only) to another media folder; existing files are replaced. */
    public static void copyTake(Path fromTakeDir, Path toTakeDir) throws IOException {
        if (!Files.isDirectory(fromTakeDir)) {
            return;
        }
        Files.createDirectories(toTakeDir);
        try (Stream<Path> files = Files.list(fromTakeDir)) {
            for (Path f : files.filter(p -> FrameFileName.TAKE_MEDIA.matches(p.getFileName().toString())).toList()) {
                AtomicFiles.write(toTakeDir.resolve(f.getFileName().toString()), out -> Files.copy(f, out));
            }
        }
    }

    /** Removes frame files from index {@code keep} on (a cancelled extension). */
    public static void truncate(Path takeDir, int keep) throws IOException {
        for (int i = keep; ; i++) {
            Path f = takeDir.resolve(FrameFileName.TAKE_MEDIA.of(i));
            try {
                Files.delete(f);
            } catch (NoSuchFileException e) {
                return;
            }
        }
    }

    /**
     * Removes what a take wrote into a media folder: the frame files of its folder {@code takeFolder} (a take's
     * media file, {@code <shot>/<take>}), then that folder and the folders above it, up to the media folder, that
     * are empty then. Anything else in them stays (a file that is not a frame, a link), and nothing is removed
     * when the folder leads out of the media folder.
     *
     * @throws IllegalArgumentException when {@code takeFolder} is not a media path ({@link MediaPaths#problem})
     */
    public static void deleteTakeFrames(Path mediaDir, String takeFolder) throws IOException {
        Path takeDir = MediaPaths.resolve(mediaDir, takeFolder);
        if (!Files.isDirectory(takeDir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        MediaPaths.requireInside(mediaDir, takeDir);
        try (Stream<Path> files = Files.list(takeDir)) {
            for (Path f : files.filter(p -> FrameFileName.TAKE_MEDIA.matches(p.getFileName().toString())
                    && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                Files.delete(f);
            }
        }
        Path base = mediaDir.toAbsolutePath().normalize();
        for (Path folder = takeDir; !folder.equals(base) && folder.startsWith(base); folder = folder.getParent()) {
            try (Stream<Path> left = Files.list(folder)) {
                if (left.findAny().isPresent()) {
                    return;
                }
            }
            Files.delete(folder);
        }
    }

    /** Deletes a take folder (a cancelled or failed new take). */
    public static void deleteTake(Path takeDir) throws IOException {
        if (!Files.isDirectory(takeDir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(takeDir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
