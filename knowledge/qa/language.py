"""Which language a question is written in: Vietnamese, English, or not clear.

Words with Vietnamese letters or tone marks are Vietnamese. Other words count for the
language whose vocabulary has them and the other's does not (the plans' Vietnamese text,
folded, against their English labels and the glossary's English terms); English function
words count more, since Vietnamese written without diacritics shares many short forms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from knowledge.normalize import fold, strip_diacritics, word_set

Language = Literal["vi", "en"]

#: English words that settle it (function and question words, the words of the domain).
ENGLISH_MARKERS = word_set(
    "the what which who whom whose does did is are was were of for how when where why "
    "please tell show list about with from this that these there any all each every "
    "target targets goal goals plan plans office offices department responsible report "
    "reports reporting deadline deadlines budget funding funds fund duties tasks task "
    "children child lead leads value values year years city province district committee "
    "health education police justice culture labour labor what's whats s my our your can "
    "could would should must need does do done has have had get give purpose purposes "
    "requirements solutions measures money pays pay who's thanks thank hello hi bye goodbye "
    "lot much great good")
#: Folded Vietnamese forms that look English (never count them for English).
_SHARED = word_set("do to an in con ban me ma the hay nam long sang chi cho")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
MARKER_WEIGHT = 1.5


class LanguageGuess:
    """Guesses the language of a question from two vocabularies (folded words)."""

    def __init__(self, vietnamese: Iterable[str], english: Iterable[str],
                 names: Iterable[str] = ()) -> None:
        #: Words of place and plan names ("Trà Vinh", "Rạch Giá"): in no language.
        self.names = frozenset(w for text in names for w in fold(text).split())
        self.vi = frozenset(w for text in vietnamese for w in fold(text).split() if w.isalpha())
        english_words = {w for text in english for w in fold(text).split() if w.isalpha()}
        self.en = frozenset((english_words - self.vi) | ENGLISH_MARKERS) - _SHARED

    def __call__(self, text: str) -> Language | None:
        vi = en = 0.0
        for word in _WORD.findall(text):
            if fold(word) in self.names:
                continue
            if strip_diacritics(word) != word:
                vi += 1
                continue
            folded = word.lower()
            if folded in _SHARED:  # "the" (thể), "do" (do, đó): either language
                continue
            if folded in ENGLISH_MARKERS:
                en += MARKER_WEIGHT
            elif folded in self.en:
                en += 1
            elif folded in self.vi:
                vi += 1
        if en > vi:
            return "en"
        if vi > en:
            return "vi"
        return None
