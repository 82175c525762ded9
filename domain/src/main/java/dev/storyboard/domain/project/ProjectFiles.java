package dev.storyboard.domain.project;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.storyboard.domain.Storyboard;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Reads and writes {@code .storyboard} project files (JSON).
 *
 * <p>Writes are atomic: the new content goes to a temporary file in the same folder, is flushed to
 * disk, then renamed over the old file. Whatever fails, the previous project file is left intact.
 */
public final class ProjectFiles {
    /** Format tag written into every project; bump on incompatible change. */
    public static final String FORMAT = "storyboard-project/1";
    public static final String EXTENSION = ".storyboard";

    private final ObjectMapper mapper = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** On-disk envelope: a format tag, then the storyboard. */
    record ProjectDocument(String format, Storyboard storyboard) {}

    public Storyboard read(Path file) throws ProjectFileException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file);
        } catch (NoSuchFileException e) {
            throw new ProjectFileException(file, "file does not exist", e);
        } catch (ProjectFileException e) {
            throw e;
        } catch (IOException e) {
            throw new ProjectFileException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads a project from a stream; {@code source} names it in error messages. */
    public Storyboard read(InputStream in, Path source) throws ProjectFileException {
        ProjectDocument doc;
        try {
            doc = mapper.readValue(in, ProjectDocument.class);
        } catch (ValueInstantiationException e) {
            Throwable root = e.getCause() != null ? e.getCause() : e;
            throw new ProjectFileException(source, "invalid project: " + root.getMessage()
                    + " (at " + e.getPathReference() + ")", e);
        } catch (JsonProcessingException e) {
            throw new ProjectFileException(source, "not a valid project file: " + e.getOriginalMessage()
                    + locationOf(e), e);
        } catch (IOException e) {
            throw new ProjectFileException(source, "cannot read: " + e.getMessage(), e);
        }
        if (doc == null || !FORMAT.equals(doc.format())) {
            throw new ProjectFileException(source, "unsupported format '" + (doc == null ? null : doc.format())
                    + "', expected '" + FORMAT + "'", null);
        }
        if (doc.storyboard() == null) {
            throw new ProjectFileException(source, "missing 'storyboard'", null);
        }
        return doc.storyboard();
    }

    /** Atomically replaces {@code file} with the given storyboard. */
    public void write(Storyboard storyboard, Path file) throws ProjectFileException {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            byte[] bytes = mapper.writeValueAsBytes(new ProjectDocument(FORMAT, storyboard));
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                var buffer = java.nio.ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (IOException e) {
            throw new ProjectFileException(file, "cannot save: " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The temp file is hidden and harmless; the original project is untouched either way.
                }
            }
        }
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
