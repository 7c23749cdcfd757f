"""Text as the parsers and the privacy screen read it: normalised, then folded (no diacritics)
with character offsets kept."""

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
}
_STRAY_MARKS = re.compile(r"[\u0300-\u036f]")
#: Characters that change nothing a reader sees: zero-width spaces and joiners, the soft
#: hyphen, direction marks and embeddings (they can hide a phone number or a name).
_INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e" \
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
_TYPED = {
    **dict.fromkeys(map(ord, _INVISIBLE)),
    # Unicode spaces, and full-width ASCII forms (digits, letters, punctuation) folded.
    **{cp: " " for cp in (0x00A0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000)},
    **{cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)},
}


@lru_cache(maxsize=8192)
def _fold_char(ch: str, lower: bool) -> str:
    out = _SPECIAL.get(ch)
    if out is None:
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        out = base or ch
    if lower:
        out = out.lower()
    return out[0] if out else ch


def normalize_typed(text: str) -> str:
    """What a reader sees: invisible characters removed, Unicode spaces and full-width forms
    folded to ASCII, NFC (so "Nguyễn" typed with combining marks equals the composed form)."""
    return unicodedata.normalize("NFC", text.translate(_TYPED))


def clean(text: str) -> str:
    """:func:`normalize_typed`, then combining marks that did not compose dropped (keeps
    folding 1:1)."""
    text = normalize_typed(text)
    return _STRAY_MARKS.sub("", text) if _STRAY_MARKS.search(text) else text


def fold(text: str, *, lower: bool = True) -> str:
    """``"Xâm Hại"`` → ``"xam hai"``: same length as ``clean(text)``, so offsets carry over."""
    return "".join([_fold_char(ch, lower) for ch in text])


@lru_cache(maxsize=RECENT_TEXTS)
def fold_clean(text: str) -> tuple[str, str]:
    """``(cleaned original, folded lower-case)``, aligned character by character."""
    cleaned = clean(text)
    return cleaned, fold(cleaned)
