"""Which plans a question names: aliases, exactly or with a small typo ("tra vin")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from knowledge.normalize import fold
from knowledge.qa.parse import TARGET_WORDS
from knowledge.schema import Plan

#: Typo tolerance for aliases of at least MIN_FUZZY_LEN characters; every word must keep
#: its first letter ("tra vin", "ho chi mnh" but not "trach gi" for "rach gia").
FUZZY_CUTOFF = 85
MIN_FUZZY_LEN = 6


@dataclass(frozen=True)
class PlanMention:
    plan_ids: frozenset[str]
    start: int  # first word index
    end: int  # one past the last word index


def _aliases(plan: Plan) -> set[str]:
    names = {fold(a) for a in plan.aliases} | {fold(plan.jurisdiction)}
    if plan.document.number:
        # "4063/QĐ-UBND" → "4063": officers cite plans by their number.
        digits = re.match(r"\s*(\d{3,})", plan.document.number)
        if digits:
            names.add(digits.group(1))
    return {n for n in names if n}


class PlanMatcher:
    """Finds plan names in folded questions; built once for a set of plans."""

    def __init__(self, plans: dict[str, Plan]) -> None:
        owners: dict[str, set[str]] = {}
        for plan in plans.values():
            for alias in _aliases(plan):
                owners.setdefault(alias, set()).add(plan.id)
        self._owners = {a: frozenset(ids) for a, ids in owners.items()}
        by_len: dict[int, list[str]] = {}
        for alias in self._owners:
            if len(alias) >= MIN_FUZZY_LEN and not alias.isdigit():
                by_len.setdefault(alias.count(" ") + 1, []).append(alias)
        self._fuzzy = by_len

    def mentions(self, folded: str) -> list[PlanMention]:
        """Plan names in a folded question, longest first, without overlaps."""
        words = folded.split()
        found: list[PlanMention] = []
        padded = f" {folded} "
        for alias, ids in self._owners.items():
            at = padded.find(f" {alias} ")
            while at >= 0:
                start = padded.count(" ", 0, at)
                found.append(PlanMention(ids, start, start + alias.count(" ") + 1))
                at = padded.find(f" {alias} ", at + 1)
        exact = list(found)
        for n, aliases in self._fuzzy.items():
            for i in range(len(words) - n + 1):
                if any(i < m.end and m.start < i + n for m in exact):
                    continue
                gram = " ".join(words[i : i + n])
                if TARGET_WORDS.search(gram):  # "chỉ tiêu 28" is no typo of "chỉ thị 28"
                    continue
                initials = _initials(gram)
                candidates = [a for a in aliases if _initials(a) == initials]
                if not candidates:
                    continue
                hit = process.extractOne(gram, candidates, scorer=fuzz.ratio,
                                         score_cutoff=FUZZY_CUTOFF)
                if hit is not None:
                    found.append(PlanMention(self._owners[hit[0]], i, i + n))
        return _without_overlaps(found)

    def match(self, text: str) -> list[str]:
        """Plan ids a free text names (for ``/plan rach gia``)."""
        return named_plans(self.mentions(fold(text)))


def _initials(words: str) -> str:
    return "".join(w[0] for w in words.split())


def _without_overlaps(found: list[PlanMention]) -> list[PlanMention]:
    """Keep the longest mention where two overlap ("tra vinh 2024" over "tra vinh")."""
    kept: list[PlanMention] = []
    for m in sorted(found, key=lambda m: (-(m.end - m.start), m.start)):
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


def named_plans(mentions: list[PlanMention]) -> list[str]:
    """Plan ids in order of first mention."""
    ids: dict[str, None] = {}
    for m in mentions:
        for plan_id in sorted(m.plan_ids):
            ids[plan_id] = None
    return list(ids)
