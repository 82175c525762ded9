package dev.storyboard.inference.config;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading {@code config.json}: the one rule for a field every model config must have. */
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
}
