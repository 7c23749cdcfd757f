"""Words as officers type them: matched with their diacritics when typed with them, folded when
typed without ("cháu" is not "châu"; "chau" may be either).

A word without marks in a text that has them elsewhere is taken as written: in "theo yêu cầu
Trung tâm" the writer uses diacritics, so "Trung" is "trung", not "trùng". A text mostly
without marks ("nhap nham, trùng ca") is read folded, but for the words that carry marks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from reports.text import fold

TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


@lru_cache(maxsize=16384)
def accent_key(word: str) -> str:
    """A lower-case word with its tone mark set apart, so that "hoà" equals "hòa" (the mark
    placed on either vowel) while "huế" and "huệ" stay different."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = "".join(ch for ch in decomposed if ch in TONES)
    base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in TONES))
    return f"{base}|{tones}"


#: Share of words with diacritics from which a text counts as written with them.
ACCENTED_SHARE = 0.3


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # as typed (normalised)
    key: str  # accent_key
    folded: str  # lower case, no diacritics
    start: int
    end: int
    #: Compared with its diacritics: it has some, or the text around it is written with them.
    exact: bool = False

    @property
    def accented(self) -> bool:
        """Typed with diacritics."""
        return self.text.lower() != self.folded

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()

    @property
    def acronym(self) -> bool:
        letters = [ch for ch in self.text if ch.isalpha()]
        return len(letters) >= 2 and all(ch.isupper() for ch in letters)

    @property
    def word(self) -> bool:
        return self.text.isalpha() or "'" in self.text or "’" in self.text


WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def tokens(text: str) -> list[Token]:
    """The words (and numbers) of a normalised text, with their offsets."""
    folded = fold(text)  # same length as text (reports.text.fold keeps offsets)
    found = [
        (m.group(), folded[m.start() : m.end()], m.start(), m.end()) for m in WORD.finditer(text)
    ]
    words = [w for w, f, _, _ in found if not w.isdigit()]
    marked = sum(w.lower() != f for w, f, _, _ in found if not w.isdigit())
    with_marks = bool(words) and marked >= 2 and marked / len(words) >= ACCENTED_SHARE
    return [
        Token(w, accent_key(w), f, start, end, with_marks or w.lower() != f)
        for w, f, start, end in found
    ]


class WordSet:
    """A set of words matched with diacritics when typed with them, folded otherwise.

    ``by_text``: a word without marks in a text written with them must match as written
    (:attr:`Token.exact`); else only the word's own marks count (names are often typed
    without marks in a text that has them)."""

    __slots__ = ("_by_text", "_folded", "_keys")

    def __init__(self, words: Iterable[str], *, by_text: bool = False) -> None:
        words = list(words)
        self._keys = frozenset(accent_key(w) for w in words)
        self._folded = frozenset(fold(w) for w in words)
        self._by_text = by_text

    def __contains__(self, token: object) -> bool:
        assert isinstance(token, Token)
        if token.exact if self._by_text else token.accented:
            return token.key in self._keys
        return token.folded in self._folded


class Phrases:
    """Phrases of one or more words, indexed by their first word's folded form, so that
    finding those at a token costs a dictionary look-up, not a pass over every phrase."""

    __slots__ = ("_by_first",)

    def __init__(self, phrases: Iterable[str]) -> None:
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            words = tuple(phrase.split())
            by_first.setdefault(fold(words[0]), []).append(words)
        for candidates in by_first.values():
            candidates.sort(key=len, reverse=True)
        self._by_first = by_first

    def match(self, tokens: Sequence[Token], i: int, *, by_text: bool = False) -> int:
        """Length of the longest phrase at token ``i`` (diacritics compared when typed;
        ``by_text`` as for :class:`WordSet`); 0 when none starts there."""
        if i >= len(tokens):
            return 0
        for phrase in self._by_first.get(tokens[i].folded, ()):
            n = len(phrase)
            if i + n <= len(tokens) and all(
                same_word(tokens[i + k], phrase[k], by_text=by_text) for k in range(n)
            ):
                return n
        return 0


def phrases(*phrases: str) -> Phrases:
    return Phrases(phrases)


def match_any(tokens: Sequence[Token], i: int, phrases: Phrases, *, by_text: bool = False) -> int:
    """Length of the longest of ``phrases`` at token ``i`` (see :meth:`Phrases.match`)."""
    return phrases.match(tokens, i, by_text=by_text)


@lru_cache(maxsize=1024)
def word_forms(word: str) -> tuple[str, str]:
    return accent_key(word), fold(word)


def same_word(token: Token, word: str, *, by_text: bool = False) -> bool:
    key, folded = word_forms(word)
    if token.folded != folded:
        return False
    return not (token.exact if by_text else token.accented) or token.key == key


