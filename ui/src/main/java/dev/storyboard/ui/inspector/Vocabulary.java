package dev.storyboard.ui.inspector;

import dev.storyboard.domain.vocabulary.ModelVocabulary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The loaded model's vocabulary (the phrases it was taught, {@link ModelVocabulary}) and prompt completion
 * over it: given the text and the caret, which phrases continue what is being typed. Pure logic; the popup is
 * {@link PromptCompletion}.
 */
public final class Vocabulary {
    /** A phrase and its group ("colour", "setting", ...). */
    public record Phrase(String text, String group) {}

    /** Replace characters [start, end) of the text with {@code phrase.text()}. */
    public record Completion(int start, int end, Phrase phrase) {
        public String apply(String text) {
            return text.substring(0, start) + phrase.text() + text.substring(end);
        }

        /** Caret position after applying. */
        public int caretAfter() {
            return start + phrase.text().length();
        }
    }

    private static final int MAX_WORDS_BACK = 4;
    private final List<Phrase> phrases;

    public Vocabulary(List<Phrase> phrases) {
        this.phrases = List.copyOf(phrases);
    }

    /** No phrases: no model is ready, or it ships no vocabulary. */
    public static final Vocabulary NONE = new Vocabulary(List.of());

    /** Every phrase of the model's vocabulary, grouped as the model groups them; {@link #NONE} for null. */
    public static Vocabulary of(ModelVocabulary model) {
        if (model == null) {
            return NONE;
        }
        List<Phrase> list = new ArrayList<>();
        for (ModelVocabulary.Group group : model.groups()) {
            for (ModelVocabulary.Entry entry : group.classes()) {
                entry.phrases().forEach(p -> list.add(new Phrase(p, group.name())));
            }
        }
        return new Vocabulary(list);
    }

    public List<Phrase> phrases() {
        return phrases;
    }

    /**
     * Completions for the text before {@code caret}: phrases that start with the last 1..4 words typed
     * (the partial word at the caret included), longest match first, at most {@code limit}. Nothing when the
     * caret is not at the end of a word; a single word needs 2 typed characters.
     */
    public List<Completion> complete(String text, int caret, int limit) {
        if (caret < 0 || caret > text.length()) {
            return List.of();
        }
        if (caret < text.length() && isWordChar(text.charAt(caret))) {
            return List.of(); // in the middle of a word
        }
        int wordStart = caret;
        while (wordStart > 0 && isWordChar(text.charAt(wordStart - 1))) {
            wordStart--;
        }
        if (caret - wordStart < 1) {
            return List.of();
        }
        boolean shortWord = caret - wordStart < 2; // one letter: only multi-word phrases are specific enough
        List<Integer> starts = new ArrayList<>();
        starts.add(wordStart);
        int at = wordStart;
        for (int w = 1; w < MAX_WORDS_BACK; w++) {
            int i = at;
            while (i > 0 && text.charAt(i - 1) == ' ') {
                i--;
            }
            if (i == at || i == 0) {
                break;
            }
            int s = i;
            while (s > 0 && isWordChar(text.charAt(s - 1))) {
                s--;
            }
            if (s == i) {
                break;
            }
            starts.add(s);
            at = s;
        }
        Set<String> seen = new LinkedHashSet<>();
        List<Completion> result = new ArrayList<>();
        for (int k = starts.size() - 1; k >= 0; k--) { // longest fragment first
            if (k == 0 && shortWord) {
                continue;
            }
            int start = starts.get(k);
            String fragment = text.substring(start, caret).toLowerCase(Locale.ROOT);
            phrases.stream()
                    .filter(p -> p.text().toLowerCase(Locale.ROOT).startsWith(fragment) && p.text().length() > fragment.length())
                    .sorted(Comparator.comparingInt((Phrase p) -> p.text().length()))
                    .forEach(p -> {
                        if (seen.add(p.text())) {
                            result.add(new Completion(start, caret, p));
                        }
                    });
        }
        return result.size() > limit ? result.subList(0, limit) : result;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '-';
    }
}
