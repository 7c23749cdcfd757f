"""Text folding shared by the parsers: strip Vietnamese diacritics, keeping character offsets."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Texts whose folding/tokens are remembered: enough for one message's filter and parser to
#: share the work, few enough that messages do not linger in memory.
RECENT_TEXTS = 16

_SPECIAL = {
    "đ": "d",
    "Đ": "D",
    "ð": "d",
    "Ð": "D",
    "\u2212": "-",  # minus sign
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\uff1a": ":",  # full-width colon
    "\uff0c": ",",  # full-width comma
    "\uff1b": ";",
    "\uff1d": "=",
    "\u00a0": " ",
}
_STRAY_MARKS = re.compile(r"[\u0300-\u036f]")


@lru_cache(maxsize=8192)
def _fold_char(ch: str, lower: bool) -> str:
    out = _SPECIAL.get(ch)
    if out is None:
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        out = base or ch
    if lower:
        out = out.lower()
    return out[0] if out else ch


def clean(text: str) -> str:
    """NFC-normalise and drop combining marks that did not compose (keeps folding 1:1)."""
    text = unicodedata.normalize("NFC", text)
    return _STRAY_MARKS.sub("", text) if _STRAY_MARKS.search(text) else text


def fold(text: str, *, lower: bool = True) -> str:
    """``"Xâm Hại"`` → ``"xam hai"``: same length as ``clean(text)``, so offsets carry over."""
    return "".join([_fold_char(ch, lower) for ch in text])


@lru_cache(maxsize=RECENT_TEXTS)
def fold_clean(text: str) -> tuple[str, str]:
    """``(cleaned original, folded lower-case)``, aligned character by character."""
    cleaned = clean(text)
    return cleaned, fold(cleaned)
