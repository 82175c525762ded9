package dev.storyboard.inference.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reading {@code config.json}: the one rule for a field every model config must have, and for a list of names. */
public final class ConfigJson {
    private ConfigJson() {
    }

    /** The field's value; an {@link IllegalArgumentException} names the field when it is missing or null. */
    public static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("model config is missing field '" + field + "'");
        }
        return v;
    }

    /**
     * The field's list of names (the label vocabularies); {@code defaults} when it is absent or null, or, with null
     * defaults, an error naming the field. A value that is not a list of non-blank strings is an error naming it.
     */
    public static List<String> names(JsonNode n, String field, List<String> defaults) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (defaults == null) {
                throw new IllegalArgumentException("model config is missing field '" + field + "'");
            }
            return defaults;
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException("invalid model config: " + field + " must be a list of names");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual() || e.asText().isBlank()) {
                throw new IllegalArgumentException("invalid model config: " + field + " holds a non-name " + e);
            }
            out.add(e.asText());
        }
        return out;
    }
}
