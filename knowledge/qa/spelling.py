"""Small typos in folded questions: "chi tiue" → "chi tieu", "trach nhim" → "trach nhiem".

A word is corrected only when it is unknown (not in the plans, the glossary or the question
keywords) and one known word one edit away (a letter dropped, added, changed or two letters
swapped) forms known word pairs with its neighbours better than any other. Long words
(≥ 6 letters) may also be corrected on their own when the correction is unique. Numbers and
first letters are never touched.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from knowledge.normalize import fold

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
MIN_LEN = 3  # shorter words are left alone ("ct", "vs")
MIN_LEN_ALONE = 6  # a word this long may be corrected without a neighbour
MIN_SPLIT = 2  # words typed together split into parts at least this long
MIN_JOINED = 5  # … when together they are at least this long

#: Everyday question words that are not in the plans (so they are never "corrected").
COMMON_WORDS = (
    "cho hoi em muon biet xin vui long giup minh toi anh chi oi a nhe nha vay sao the nao gi "
    "bao nhieu may phan tram ty le ti le nam thang ngay dau duoc khong co phai la con thi "
    "chi tiet xem file gui nhan dang ky ki lam viec hom nay "
    "what which who how when where is are the of for in to by and or please tell me show "
    "percent percentage much many due report plan plans target targets goal goals"
)


def _edits(word: str) -> set[str]:
    """Every string one edit away from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return (deletes | swaps | replaces | inserts) - {word}


class Speller:
    """Corrects unknown words of folded questions against a known vocabulary."""

    def __init__(self, texts: Iterable[str]) -> None:
        words: set[str] = set(COMMON_WORDS.split())
        pairs: set[tuple[str, str]] = set()
        for text in texts:
            folded = fold(text).split()
            words.update(folded)
            pairs.update(pairwise(folded))
        self.words = frozenset(words)
        self.pairs = frozenset(pairs)

    def _candidates(self, word: str) -> list[str]:
        """Known words one edit away that keep the first letter (typos rarely hit it)."""
        return sorted(w for w in _edits(word) if w in self.words and w[0] == word[0])

    def segment(self, folded: str) -> str:
        """Words typed together split into known ones: "hcmct" → "hcm ct", "konray" →
        "kon ray". Only unknown words, only into two known words of two letters or more."""
        out = []
        for word in folded.split():
            if len(word) < MIN_JOINED or word in self.words or not word.isalpha():
                out.append(word)
                continue
            splits = [(word[:i], word[i:]) for i in range(MIN_SPLIT, len(word) - MIN_SPLIT + 1)
                      if word[:i] in self.words and word[i:] in self.words]
            if splits:  # the most even split ("chi tieu" rather than "ch itieu")
                head, tail = min(splits, key=lambda s: abs(len(s[0]) - len(s[1])))
                out += [head, tail]
            else:
                out.append(word)
        return " ".join(out)

    def correct(self, folded: str) -> str:
        """``folded`` with unknown words replaced by their unique likely correction."""
        words = folded.split()
        out = list(words)
        for i, word in enumerate(words):
            if len(word) < MIN_LEN or word in self.words or not word.isalpha():
                continue
            candidates = self._candidates(word)
            if not candidates:
                continue
            before = out[i - 1] if i else None
            after = words[i + 1] if i + 1 < len(words) else None
            # A known pair with the word before counts more than one with the word after.
            support = {c: 2 * ((before, c) in self.pairs) + ((c, after) in self.pairs)
                       for c in candidates}
            best = max(support.values())
            winners = [c for c, n in support.items() if n == best]
            if best and len(winners) == 1:
                out[i] = winners[0]
            elif not best and len(candidates) == 1 and len(word) >= MIN_LEN_ALONE:
                out[i] = candidates[0]
        return " ".join(out)
