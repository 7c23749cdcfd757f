"""Text normalisation for matching questions against plan data.

Officers type with or without diacritics, in Vietnamese or English, with abbreviations
("ct14", "TP.HCM", "LĐTBXH"). Everything is compared in a *folded* form: lowercase ASCII
without diacritics (``đ`` → ``d``), punctuation turned into spaces, letters and digits split
("ct14" → "ct 14").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import pairwise

_NON_WORD = re.compile(r"[^a-z0-9]+")
_LETTER_DIGIT = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")
_SPACES = re.compile(r"\s+")
_LEADING_ZEROS = re.compile(r"\b0+(?=\d)")


@lru_cache(maxsize=4096)
def strip_diacritics(text: str) -> str:
    """``"Đuối nước"`` → ``"Duoi nuoc"`` (case kept)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lowercase ASCII words separated by single spaces: ``"CT14, TP.HCM"`` → ``"ct 14 tp hcm"``.

    Leading zeros are dropped from numbers ("06" → "6") so "trẻ 6 tuổi" finds "06 tuổi".
    """
    text = strip_diacritics(text.lower())
    text = _NON_WORD.sub(" ", text)
    text = _LETTER_DIGIT.sub(" ", text)
    text = _LEADING_ZEROS.sub("", text)  # "06 tuổi" → "6 tuoi"
    return _SPACES.sub(" ", text).strip()


def word_set(text: str) -> frozenset[str]:
    """The words of a space-separated list, as a set (vocabularies written as one string)."""
    return frozenset(text.split())


def tokens(text: str) -> list[str]:
    """Folded words of ``text``."""
    folded = fold(text)
    return folded.split() if folded else []


def bigrams(words: list[str]) -> list[str]:
    """Adjacent word pairs joined by a space (Vietnamese meaning lives in syllable pairs)."""
    return [f"{a} {b}" for a, b in pairwise(words)]


def contains_phrase(haystack: str, phrase: str) -> bool:
    """True when the folded ``phrase`` occurs in folded ``haystack`` on word boundaries."""
    if not phrase:
        return False
    return f" {phrase} " in f" {haystack} "


def find_phrase(haystack: str, phrase: str) -> int:
    """Word index where ``phrase`` starts in ``haystack`` (both folded), or -1."""
    padded = f" {haystack} "
    at = padded.find(f" {phrase} ")
    if at < 0:
        return -1
    return padded[:at].count(" ")
