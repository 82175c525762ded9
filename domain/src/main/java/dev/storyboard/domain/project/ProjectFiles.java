package dev.storyboard.domain.project;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.io.AtomicFiles;
import dev.storyboard.domain.text.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes {@code .storyboard} project files (JSON).
 *
 * <p>Writes are atomic ({@link AtomicFiles}): the new content goes to a temporary file in the same folder, is
 * flushed to disk, then renamed over the old file. Whatever fails, the previous project file is left intact.
 */
public final class ProjectFiles {
    /** Format tag written into every project; bump on incompatible change. */
    public static final String FORMAT = "storyboard-project/1";
    public static final String EXTENSION = ".storyboard";

    private static final Pattern VERSIONED = Pattern.compile("storyboard-project/(\\d{1,9})");

    /**
     * Strict: one document and nothing after it, no duplicate keys, no coercion (16.5 or "16" is not an int;
     * 1.5 is not a seed), no unknown fields, no null for numbers.
     */
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Wraps the stream a save writes to; tests put a full disk here. */
    private final UnaryOperator<OutputStream> disk;

    public ProjectFiles() {
        this(out -> out);
    }

    /** A project store whose saves write through {@code disk} (fault injection: a disk that fills part-way). */
    public ProjectFiles(UnaryOperator<OutputStream> disk) {
        this.disk = disk;
    }

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
            throw new ProjectFileException(file, "cannot read: " + IoMessages.describe(e), e);
        }
    }

    /**
     * Reads a project from a stream; {@code source} names it in error messages. Messages name the file and
     * the JSON path (or line and column) of the problem; they never quote the file's content.
     */
    public Storyboard read(InputStream in, Path source) throws ProjectFileException {
        JsonNode tree;
        try {
            tree = mapper.readTree(in);
        } catch (JsonProcessingException e) {
            String what = String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field")
                    ? "duplicate key " + duplicateKey(e) : "not valid JSON";
            throw new ProjectFileException(source, "not a valid project file: " + what + locationOf(e), e);
        } catch (IOException e) {
            throw new ProjectFileException(source, "cannot read: " + IoMessages.describe(e), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new ProjectFileException(source, "not a valid project file: expected a JSON object", null);
        }
        JsonNode format = tree.get("format");
        if (format == null || !format.isTextual() || !FORMAT.equals(format.asText())) {
            throw new ProjectFileException(source, formatProblem(format), null);
        }
        ProjectDocument doc;
        try {
            doc = mapper.treeToValue(tree, ProjectDocument.class);
        } catch (ValueInstantiationException e) {
            Throwable root = e.getCause() != null ? e.getCause() : e;
            throw new ProjectFileException(source, "invalid project: " + Printable.of(root.getMessage())
                    + " (at " + jsonPath(e) + ")", e);
        } catch (UnrecognizedPropertyException e) {
            throw new ProjectFileException(source, "not a valid project file: unknown field "
                    + Printable.of(e.getPropertyName(), 40) + " at " + jsonPath(e), e);
        } catch (JsonMappingException e) {
            throw new ProjectFileException(source, "not a valid project file: wrong type or value at " + jsonPath(e), e);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ProjectFileException(source, "not a valid project file", e);
        }
        if (doc == null || doc.storyboard() == null) {
            throw new ProjectFileException(source, "missing 'storyboard'", null);
        }
        return doc.storyboard();
    }

    /** What is wrong with the "format" field: absent, from a newer version, or unknown. */
    private static String formatProblem(JsonNode format) {
        if (format == null || !format.isTextual()) {
            return "unsupported format: the 'format' field is missing or not text, expected '" + FORMAT + "'";
        }
        String shown = Printable.of(format.asText(), 60);
        Matcher m = VERSIONED.matcher(format.asText());
        if (m.matches() && Long.parseLong(m.group(1)) > 1) {
            return "unsupported format '" + shown + "': this project was saved by a newer version of Storyboard; "
                    + "this version opens " + FORMAT + ". Nothing was changed.";
        }
        return "unsupported format '" + shown + "', expected '" + FORMAT + "'";
    }

    /** $.storyboard.shots[0].durationFrames: where in the document a mapping problem is. */
    private static String jsonPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder("$");
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append('.').append(Printable.of(r.getFieldName(), 40));
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String duplicateKey(JsonProcessingException e) {
        Matcher m = Pattern.compile("Duplicate field '(.*)'", Pattern.DOTALL).matcher(String.valueOf(e.getOriginalMessage()));
        return m.find() ? "'" + Printable.of(m.group(1), 40) + "'" : "";
    }

    /**
     * Atomically replaces {@code file} with the given storyboard ({@link AtomicFiles}). A link is written through
     * (the link stays, its target is replaced); the replaced file's permissions are kept; temporary files that an
     * earlier, killed save left beside it are removed.
     */
    public void write(Storyboard storyboard, Path file) throws ProjectFileException {
        try {
            Path target = AtomicFiles.throughLinks(file);
            byte[] bytes = mapper.writeValueAsBytes(new ProjectDocument(FORMAT, storyboard));
            Files.createDirectories(target.toAbsolutePath().getParent());
            AtomicFiles.removeStaleTemps(target);
            AtomicFiles.write(target, out -> disk.apply(out).write(bytes));
        } catch (IOException e) {
            throw new ProjectFileException(file, "cannot save: " + IoMessages.describe(e), e);
        }
    }

    /**
     * Removes the temporary files that earlier, killed saves of {@code file} left beside it (its target, when it is
     * a link): hidden, of this file's own temporary naming, older than {@link AtomicFiles#STALE_TEMP_AGE}. Best
     * effort, never fails.
     */
    public static void removeStaleTemps(Path file) {
        try {
            AtomicFiles.removeStaleTemps(AtomicFiles.throughLinks(file));
        } catch (IOException | RuntimeException e) {
            // a temporary left behind costs disk space, never correctness
        }
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
