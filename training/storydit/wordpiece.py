"""BERT WordPiece tokenization read from a HuggingFace tokenizer.json, in plain Python.

The product's Java encoder tokenizes with DJL's HuggingFace tokenizer; the GPU box has the `tokenizers` package
but Debian does not. This is the same pipeline for the file MiniLM ships (`BertNormalizer` with lowercase,
accent stripping, control-character cleaning and spaces around CJK ideographs; `BertPreTokenizer`, which
splits on whitespace and isolates punctuation; greedy longest-match WordPiece with `##` continuations; [CLS] ..
[SEP] with right truncation), checked token for token against the Java encoder in the tests.

    tok = WordPieceTokenizer.from_json(path)
    tok.encode("a red ball bounces", max_length=32)  ->  [101, 1037, 2417, 3608, 29139, 102]
"""
from __future__ import annotations

import json
import unicodedata
from typing import Dict, List


def _is_control(ch: str) -> bool:
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch) in ("Cc", "Cf", "Cn", "Co", "Cs")


def _is_whitespace(ch: str) -> bool:
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


class WordPieceTokenizer:
    def __init__(self, vocab: Dict[str, int], unk: str = "[UNK]", prefix: str = "##", max_word_chars: int = 100,
                 lowercase: bool = True, strip_accents: bool = True, cls: str = "[CLS]", sep: str = "[SEP]"):
        self.vocab, self.prefix, self.max_word_chars = vocab, prefix, max_word_chars
        self.lowercase, self.strip_accents = lowercase, strip_accents
        self.unk_id, self.cls_id, self.sep_id = vocab[unk], vocab[cls], vocab[sep]

    @staticmethod
    def from_json(path: str) -> "WordPieceTokenizer":
        with open(path, encoding="utf-8") as f:
            spec = json.load(f)
        model, norm = spec["model"], spec.get("normalizer") or {}
        if model.get("type") != "WordPiece" or norm.get("type") != "BertNormalizer" \
                or (spec.get("pre_tokenizer") or {}).get("type") != "BertPreTokenizer":
            raise ValueError(f"{path}: not a BERT WordPiece tokenizer")
        lowercase = bool(norm.get("lowercase", True))
        strip = norm.get("strip_accents")
        return WordPieceTokenizer(model["vocab"], model.get("unk_token", "[UNK]"),
                                  model.get("continuing_subword_prefix", "##"),
                                  int(model.get("max_input_chars_per_word", 100)), lowercase,
                                  lowercase if strip is None else bool(strip))

    # 1. normalizer
    def normalize(self, text: str) -> str:
        out = []
        for ch in text:
            cp = ord(ch)
            if cp == 0 or cp == 0xFFFD or _is_control(ch):
                continue
            if _is_whitespace(ch):
                out.append(" ")
            elif _is_cjk(cp):
                out.append(f" {ch} ")
            else:
                out.append(ch)
        text = "".join(out)
        if self.strip_accents:
            text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
        return text.lower() if self.lowercase else text

    # 2. pre-tokenizer
    @staticmethod
    def pre_tokenize(text: str) -> List[str]:
        words: List[str] = []
        for chunk in text.split():
            current = ""
            for ch in chunk:
                if _is_punctuation(ch):
                    if current:
                        words.append(current)
                    words.append(ch)
                    current = ""
                else:
                    current += ch
            if current:
                words.append(current)
        return words

    # 3. WordPiece
    def word_ids(self, word: str) -> List[int]:
        if len(word) > self.max_word_chars:
            return [self.unk_id]
        ids, start = [], 0
        while start < len(word):
            end, found = len(word), None
            while start < end:
                piece = word[start:end] if start == 0 else self.prefix + word[start:end]
                if piece in self.vocab:
                    found = self.vocab[piece]
                    break
                end -= 1
            if found is None:
                return [self.unk_id]
            ids.append(found)
            start = end
        return ids

    def encode(self, text: str, max_length: int) -> List[int]:
        """[CLS] + pieces + [SEP], the pieces cut on the right so that the whole is at most max_length."""
        pieces = [i for word in self.pre_tokenize(self.normalize(text)) for i in self.word_ids(word)]
        return [self.cls_id] + pieces[:max(0, max_length - 2)] + [self.sep_id]
