package dev.storyboard.domain.vocabulary;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a model was taught to draw and the words it was taught for it: {@code vocabulary.json} in the model
 * folder, written by training ({@code storyworld.vocab.vocabulary_document}, listed in the manifest). The one
 * vocabulary of the product: the editor's prompt completion offers its phrases, and the judge's perception
 * tables are tested against its labels and colour ranges.
 *
 * <p>Groups come in the order a prompt reads them ("kind", "colour", "pattern", "size", "setting", "action",
 * "camera", "shot size"); each class has the label that storyboard labels use ({@code "pan_left"}) and the
 * training wording (held-out wording is not shipped: it exists to measure generalisation).
 */
public record ModelVocabulary(List<Group> groups) {
    public static final String FILE_NAME = "vocabulary.json";
    public static final String FORMAT = "storyworld-vocabulary/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A closed interval, e.g. a hue range in degrees (the low end may be negative: red wraps around 0). */
    public record Range(double low, double high) {
    }

    /**
     * One class: its label and phrases; colours also carry the renderer's HSV ranges ({@code hue} is null for
     * achromatic colours; all three are null for other groups).
     */
    public record Entry(String label, List<String> phrases, Range hue, Range saturation, Range value) {
        public Entry {
            phrases = List.copyOf(phrases);
        }
    }

    /** A group of classes ("kind", "colour", ...). */
    public record Group(String name, List<Entry> classes) {
        public Group {
            classes = List.copyOf(classes);
        }

        public List<String> labels() {
            return classes.stream().map(Entry::label).toList();
        }
    }

    public ModelVocabulary {
        groups = List.copyOf(groups);
    }

    /** The group of that name, if the model has one. */
    public Optional<Group> group(String name) {
        return groups.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /** Reads {@code vocabulary.json}; an {@link IOException} names the file and what is wrong with it. */
    public static ModelVocabulary read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        }
    }

    /** Parses a vocabulary document; {@code source} names it in error messages. */
    public static ModelVocabulary parse(InputStream in, String source) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            throw new IOException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException(source + ": expected a JSON object");
        }
        String format = root.path("format").asText("");
        if (!FORMAT.equals(format)) {
            throw new IOException(source + ": format is \"" + format + "\", expected \"" + FORMAT + "\"");
        }
        JsonNode groupsNode = root.path("groups");
        if (!groupsNode.isArray() || groupsNode.isEmpty()) {
            throw new IOException(source + ": \"groups\" must be a non-empty array");
        }
        List<Group> groups = new ArrayList<>();
        Set<String> groupNames = new HashSet<>();
        for (JsonNode g : groupsNode) {
            String name = text(g, "name", source, "a group");
            if (!groupNames.add(name)) {
                throw new IOException(source + ": group \"" + name + "\" appears twice");
            }
            groups.add(new Group(name, entries(g, name, source)));
        }
        return new ModelVocabulary(groups);
    }

    private static List<Entry> entries(JsonNode group, String groupName, String source) throws IOException {
        JsonNode classes = group.path("classes");
        String where = "group \"" + groupName + "\"";
        if (!classes.isArray() || classes.isEmpty()) {
            throw new IOException(source + ": " + where + " has no \"classes\" array");
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> labels = new HashSet<>();
        for (JsonNode c : classes) {
            String label = text(c, "label", source, "a class of " + where);
            if (!labels.add(label)) {
                throw new IOException(source + ": " + where + " lists \"" + label + "\" twice");
            }
            String cls = "class \"" + label + "\" of " + where;
            JsonNode phrasesNode = c.path("phrases");
            if (!phrasesNode.isArray()) {
                throw new IOException(source + ": " + cls + " has no \"phrases\" array");
            }
            List<String> phrases = new ArrayList<>();
            for (JsonNode p : phrasesNode) {
                if (!p.isTextual() || p.asText().isBlank()) {
                    throw new IOException(source + ": " + cls + " has a phrase that is not text");
                }
                phrases.add(p.asText());
            }
            entries.add(new Entry(label, phrases, range(c, "hue", source, cls), range(c, "saturation", source, cls),
                    range(c, "value", source, cls)));
        }
        return entries;
    }

    private static String text(JsonNode node, String field, String source, String what) throws IOException {
        JsonNode v = node.path(field);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new IOException(source + ": " + what + " has no \"" + field + "\"");
        }
        return v.asText();
    }

    private static Range range(JsonNode node, String field, String source, String what) throws IOException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray() || v.size() != 2 || !v.get(0).isNumber() || !v.get(1).isNumber()
                || v.get(0).asDouble() > v.get(1).asDouble()) {
            throw new IOException(source + ": " + what + " has a \"" + field + "\" that is not [low, high]");
        }
        return new Range(v.get(0).asDouble(), v.get(1).asDouble());
    }
}
