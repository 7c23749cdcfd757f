"""The words of a report message: tokens, known phrases (with typos), counts in digits or
words, and "none" phrases ("không có ca nào", "no cases")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import Levenshtein

from kernel.number_words import read_number
from reports.keywords import (
    CASE_NOUNS,
    LONG_PHRASES,
    MAX_PHRASE_WORDS,
    NONE_ALONE,
    NONE_VERBS,
    NONE_WORDS,
    PHRASES,
)
from reports.text import RECENT_TEXTS

_TOKEN = re.compile(r"(?P<num>\d+(?:[.,]\d+)*%?)|(?P<word>[^\W\d_]+)|(?P<punct>\S)")
_GROUPED = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")


class Token(NamedTuple):
    """One token of a folded text (a named tuple: quick to make, every message is read)."""

    kind: str  # "num" | "word" | "punct"
    text: str  # folded
    start: int
    end: int


@lru_cache(maxsize=RECENT_TEXTS)
def tokens(folded: str) -> tuple[Token, ...]:
    """Tokens of a folded text (cached: the report filter and the parser read the same text)."""
    return tuple(
        Token(m.lastgroup or "punct", m.group(), m.start(), m.end())
        for m in _TOKEN.finditer(folded)
    )


def phrase_at(tokens: Sequence[Token], i: int, folded: str) -> tuple[str | None, int]:
    """The longest known phrase starting at token ``i``: (field or marker, word count).

    A field phrase of two or three words typed with one letter wrong ("xâm hạ", "tảo hôm")
    is read as that phrase."""
    words = words_at(tokens, i, folded, MAX_PHRASE_WORDS)
    for n in range(len(words), 0, -1):
        found = PHRASES.get(tuple(words[:n]))
        if found is not None:
            return found, n
    for n in (3, 2):
        if len(words) >= n:
            typed = " ".join(words[:n])
            near = _near_phrase(typed) if len(typed) >= MIN_TYPO_CHARS else None
            if near is not None:
                return near, n
    return None, 0


#: Phrases this long or longer are read with one letter wrong.
MIN_TYPO_CHARS = 6


@lru_cache(maxsize=1024)
def _near_phrase(typed: str) -> str | None:
    """The field of the one long phrase within one edit of ``typed`` (same first letter)."""
    found = {
        field for phrase, field in LONG_PHRASES.items()
        if phrase[0] == typed[0] and phrase.count(" ") == typed.count(" ")
        and Levenshtein.distance(phrase, typed, score_cutoff=1) <= 1
    }
    return found.pop() if len(found) == 1 else None


def read_count_token(tok: Token, folded: str) -> tuple[int | None, str]:
    """(value, shown text) for a number token; value None when not a whole number."""
    text = tok.text
    negative = (
        tok.start > 0
        and folded[tok.start - 1] == "-"
        and (tok.start == 1 or folded[tok.start - 2] in " \t\n:=(")
    )
    shown = "-" + text if negative else text
    if text.endswith("%") or negative:
        return None, shown
    if text.isdigit():
        return int(text), shown
    if _GROUPED.fullmatch(text):  # thousands separators: 1.000 / 1,000
        return int(re.sub(r"[.,]", "", text)), shown
    return None, shown


def resolve(field_name: str, last_total: str | None) -> str | None:
    """ "khác"/"other" belongs to abuse; it means nothing after the injury total."""
    if field_name == "abuse_other" and last_total == "injury":
        return None
    return field_name


def words_at(tokens: Sequence[Token], i: int, folded: str, limit: int) -> list[str]:
    """Up to ``limit`` folded words from token ``i``, stopping at anything but a space."""
    words: list[str] = []
    for j in range(i, min(len(tokens), i + limit)):
        tok = tokens[j]
        if tok.kind != "word" or (words and not folded[tokens[j - 1].end : tok.start].isspace()):
            break
        words.append(tok.text)
    return words


def skip_phrases(words: Sequence[str], at: int, phrases: Sequence[tuple[str, ...]]) -> int:
    """``at`` moved past any of ``phrases`` found there, repeatedly."""
    moved = True
    while moved:
        moved = False
        for phrase in phrases:
            if tuple(words[at : at + len(phrase)]) == phrase:
                at += len(phrase)
                moved = True
                break
    return at


def none_at(tokens: Sequence[Token], i: int, folded: str) -> tuple[int, bool]:
    """A "none" phrase at token ``i``: (tokens used, whether it says so on its own).

    "không" → (1, False): a count only after a category; "không có ca nào", "ko phát sinh",
    "0 ca", "no cases", "nothing" → strong: a month (or the rest of it) without cases.
    """
    tok = tokens[i]
    if tok.kind == "num":
        if tok.text.strip("0") or not tok.text.isdigit():
            return 0, False
        words = words_at(tokens, i + 1, folded, 4)
        used = skip_phrases(words, 0, CASE_NOUNS)
        return (1 + used, True) if used else (0, False)
    if tok.kind != "word" or tok.text not in NONE_WORDS:
        return 0, False
    words = words_at(tokens, i, folded, 8)
    after_verb = skip_phrases(words, 1, NONE_VERBS)
    after_noun = skip_phrases(words, after_verb, CASE_NOUNS)
    strong = tok.text in NONE_ALONE or after_noun > after_verb or (
        after_verb > 1 and words[1] != "co")  # "không phát sinh", not a bare "không có"
    return after_noun, strong


def number_words_at(tokens: Sequence[Token], i: int, folded: str) -> tuple[int, int] | None:
    """(value, tokens used) of a count written in words at token ``i`` ("hai", "mười hai",
    "không", "two"); "năm 2025" is a year, not five."""
    words = words_at(tokens, i, folded, 4)
    if not words:
        return None
    if words[0] in NONE_WORDS:
        return 0, 1
    if words[0] == "single":
        return 1, 1
    read = read_number(words)
    if read is None:
        return None
    value, used = read
    following = tokens[i + used] if i + used < len(tokens) else None
    if words[0] == "nam" and used == 1 and following is not None and following.kind == "num":
        return None
    return value, used
