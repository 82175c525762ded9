"""The planner's lexicon (storydit/lexicon.py): everyday words per colour and kind, never the storyworld's held-out
words, never one word under two classes, swapped into a prompt as whole words."""
import re

import numpy as np
import pytest

from storydit.box_planner import BoxExamples, reworded_examples
from storydit.lexicon import COLOUR_WORDS, KIND_WORDS, SETTING_PHRASES, reworded
from storyworld import vocab


def tokens(phrase):
    return set(re.findall(r"[a-z]+", phrase.lower()))


def test_the_lexicon_covers_every_class_and_holds_no_held_out_word():
    assert set(COLOUR_WORDS) == {c.name for c in vocab.COLOURS}
    assert set(KIND_WORDS) == {k.name for k in vocab.ACTOR_KINDS}
    held_out = {w for c in vocab.COLOURS for w in c.adjectives.heldout} | \
               {w for k in vocab.ACTOR_KINDS for w in k.nouns.heldout}
    held_out_tokens = set().union(*(tokens(w) for w in held_out))
    for table in (COLOUR_WORDS, KIND_WORDS):
        for name, words in table.items():
            assert len(words) >= 4 and len(set(words)) == len(words), name
            for w in words:
                assert not tokens(w) & held_out_tokens, f"{w!r} ({name}) shares a word with a held-out phrase"


def test_no_word_names_two_classes():
    """No word of one class (split on spaces; a hyphenated "blue-green" is one word, teal) is a word of another
    class, colours and kinds together: a "salmon" or a "canary" would teach both."""
    classes = {("colour", c.name): COLOUR_WORDS[c.name] + c.adjectives.train + c.adjectives.heldout
               for c in vocab.COLOURS}
    classes.update({("kind", k.name): KIND_WORDS[k.name] + k.nouns.train + k.nouns.heldout for k in vocab.ACTOR_KINDS})
    generic = {"shape", "shaped", "figure", "a", "royal"}
    words = {key: {w for phrase in phrases for w in phrase.split()} - generic for key, phrases in classes.items()}
    for a in words:
        for b in words:
            if a < b:
                assert not words[a] & words[b], f"{a} and {b} share {words[a] & words[b]}"


def test_reworded_swaps_whole_words_once_per_prompt():
    rng = np.random.RandomState(0)
    out = reworded("a crimson ball and a red star shape beneath the stars", ["red", "crimson"], ["navy"], rng)
    assert out == "a navy ball and a navy star shape beneath the stars"
    out = reworded("a star shape spins beneath the stars", ["star", "star shape"], ["starburst"], rng)
    assert out == "a starburst spins beneath the stars"                  # the longest phrase, "stars" untouched
    assert reworded("a blue-green ring", ["blue"], ["cobalt"], rng) == "a blue-green ring"
    assert reworded("a plain ring", ["red"], ["navy"], rng) == "a plain ring"


def test_reworded_examples_name_the_same_actor_in_lexicon_words():
    ex = BoxExamples(["a small red ball bounces on the grass", "a crimson cube moves left at night", "a fish swims"],
                     None, None, None, [], kinds=["ball", "cube", "fish"], colours=["red", "red", "blue"])
    out = reworded_examples(ex, seed=3)
    assert len(out) == 3
    for before, after, kind, colour in zip(ex.prompts, out, ex.kinds, ex.colours):
        words = tokens(after)
        assert words & set().union(*(tokens(w) for w in KIND_WORDS[kind])), after
        if colour == "red":
            assert words & set().union(*(tokens(w) for w in COLOUR_WORDS["red"])), after
            assert not words & {"red", "crimson"} - set().union(*(tokens(w) for w in COLOUR_WORDS["red"])), after
    assert out[2] == "a " + out[2].split()[1] + " swims"                # no colour word: only the kind swapped


# function words a place phrase needs; every other word of a lexicon place must be new to the held-out places
PLACE_GLUE = {"in", "on", "at", "by", "the", "a", "an", "under", "among", "near", "beneath"}


def test_the_setting_phrases_cover_every_setting_and_share_no_word_with_a_held_out_place():
    assert set(SETTING_PHRASES) == {s.name for s in vocab.SETTINGS}
    held_out = set().union(*(tokens(p) for s in vocab.SETTINGS for p in s.places.heldout)) - PLACE_GLUE
    assert "stars" in held_out and "tundra" in held_out
    for name, phrases in SETTING_PHRASES.items():
        assert len(phrases) >= 4 and len(set(phrases)) == len(phrases), name
        for phrase in phrases:
            assert not (tokens(phrase) - PLACE_GLUE) & held_out, f"{phrase!r} ({name}) shares a held-out word"
    kinds = set().union(*(tokens(w) for k in vocab.ACTOR_KINDS for w in k.nouns.train + k.nouns.heldout))
    for phrases in SETTING_PHRASES.values():
        for phrase in phrases:
            assert not tokens(phrase) & kinds, f"{phrase!r} names a kind"


def test_reworded_examples_reword_only_the_parts_asked():
    ex = BoxExamples(["a small red ball bounces on the grass", "a crimson cube moves left at night"],
                     None, None, None, [], kinds=["ball", "cube"], colours=["red", "red"], settings=["meadow", "night"])
    out = reworded_examples(ex, seed=1, parts=("setting",))
    assert out[0].startswith("a small red ball bounces ") and "on the grass" not in out[0]
    assert out[0][len("a small red ball bounces "):] in SETTING_PHRASES["meadow"]
    assert out[1].startswith("a crimson cube moves left ") and out[1].endswith(tuple(SETTING_PHRASES["night"]))
    assert reworded_examples(ex, seed=1, parts=()) == ex.prompts
    with pytest.raises(ValueError, match="cannot reword \\['weather'\\]"):
        reworded_examples(ex, parts=("weather",))
