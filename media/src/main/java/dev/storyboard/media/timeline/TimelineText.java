package dev.storyboard.media.timeline;

/**
 * Every text field of a timeline (title, prompts, ids, names, paths) made safe for one format. A project
 * can hold any Java string, including lone surrogates and control characters; none of them may break a
 * file's syntax or forge structure (a newline in a take id must not start a new EDL event).
 */
final class TimelineText {
    static final char REPLACEMENT = '\ufffd';

    private TimelineText() {
    }

    /** Valid Unicode: lone surrogates become U+FFFD (JSON, and any UTF-8 file). */
    static String unicode(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else {
                sb.append(Character.isSurrogate(c) ? REPLACEMENT : c);
            }
        }
        return sb.toString();
    }

    /** Characters XML 1.0 allows (tab, newline, carriage return, U+0020.., no U+FFFE/U+FFFF); others become U+FFFD. */
    static String xml(String s) {
        String u = unicode(s);
        StringBuilder sb = new StringBuilder(u.length());
        for (int i = 0; i < u.length(); i++) {
            char c = u.charAt(i);
            boolean allowed = c == '\t' || c == '\n' || c == '\r' || c >= 0x20 && c != 0xFFFE && c != 0xFFFF;
            sb.append(allowed ? c : REPLACEMENT);
        }
        return sb.toString();
    }

    /** EDL readers expect printable ASCII on one line: line breaks become a space, anything else '?'. */
    static String edl(String s) {
        return s.replaceAll("[\\r\\n\\u0085\\u2028\\u2029]+", " ").replaceAll("[^\\x20-\\x7E]", "?");
    }
}
