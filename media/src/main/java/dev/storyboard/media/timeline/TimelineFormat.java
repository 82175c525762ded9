package dev.storyboard.media.timeline;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The interchange formats the exporter writes. */
public enum TimelineFormat {
    OTIO(".otio", new OtioWriter()),
    EDL(".edl", new EdlWriter()),
    FCPXML(".fcpxml", new FcpxmlWriter());

    private final String extension;
    private final TimelineWriter writer;

    TimelineFormat(String extension, TimelineWriter writer) {
        this.extension = extension;
        this.writer = writer;
    }

    public String extension() {
        return extension;
    }

    public TimelineWriter writer() {
        return writer;
    }

    /** Parses a user-given name (case-insensitive) with a clear error listing the choices. */
    public static TimelineFormat parse(String name) {
        for (TimelineFormat f : values()) {
            if (f.name().equalsIgnoreCase(name.strip())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown timeline format '" + name + "', expected one of "
                + Arrays.stream(values()).map(f -> f.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining("|")));
    }
}
