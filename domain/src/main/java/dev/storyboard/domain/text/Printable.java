package dev.storyboard.domain.text;

/**
 * Text that came from a file or the command line, made safe to print in a terminal or a log: control
 * characters become escapes ({@code \n}, {@code \e}, {@code \u0007}), lone surrogates become {@code \ud800}
 * and long values are clipped. Every error message that quotes a name, id or path goes through here.
 */
public final class Printable {
    /** Characters shown before a value is clipped. */
    public static final int MAX_CHARS = 200;

    private Printable() {
    }

    /** {@code s} escaped and clipped to {@link #MAX_CHARS}; "null" for null. */
    public static String of(Object s) {
        return of(s, MAX_CHARS);
    }

    public static String of(Object value, int max) {
        if (value == null) {
            return "null";
        }
        String s = value.toString();
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (; i < s.length() && sb.length() < max; i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c == 0x1B) {
                sb.append("\\e");
            } else if (c < 0x20 || c >= 0x7F && c < 0xA0 || c == 0x2028 || c == 0x2029 || c == '\u200E' || c == '\u200F'
                    || c >= '\u202A' && c <= '\u202E' || c >= '\u2066' && c <= '\u2069') {
                sb.append(String.format("\\u%04x", (int) c));
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return i < s.length() ? sb + "… (" + s.length() + " characters)" : sb.toString();
    }
}
