"""Which office a question names: "so y te", "Phòng LĐTBXH", "city police", "Thanh Doan"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.normalize import bigrams, fold
from knowledge.qa.glossary import Glossary
from knowledge.schema import Office, Plan

#: Office type words, as folded prefixes of office names.
TYPES = ("so", "phong", "trung tam", "ban", "hoi")
#: English type words → folded Vietnamese type.
TYPE_WORDS = {
    "department": "so", "dept": "so", "office": "phong", "centre": "trung tam",
    "center": "trung tam", "board": "ban", "association": "hoi",
}
#: Words that say where an office sits, not what it is ("Công an thành phố" ≈ "công an").
PLACE_WORDS = ("thanh pho", "tinh", "huyen", "quan", "thi xa", "cac")
MIN_SCORE = 0.5
#: Administrative levels: "UBND tỉnh" is not "UBND các huyện".
LEVELS = ("thanh pho", "thi xa", "thi tran", "tinh", "huyen", "quan", "xa", "phuong")


#: An office that exists at every level, with the level asked: "ubnd tinh", "cong an huyen".
OFFICE_AT_LEVEL = re.compile(
    r"\b(?:ubnd|uy ban nhan dan|cong an)\s+(?:cac\s+)?(" + "|".join(LEVELS) + r")\b")


def _levels(folded: str) -> tuple[str, ...]:
    """The level words of a folded text, in order ("thi xa" is not "xa")."""
    found: list[tuple[int, str]] = []
    padded = f" {folded} "
    taken: set[int] = set()
    for level in LEVELS:
        at = padded.find(f" {level} ")
        while at >= 0:
            if at not in taken:
                found.append((at, level))
                taken |= set(range(at, at + len(level) + 1))
            at = padded.find(f" {level} ", at + 1)
    return tuple(level for _at, level in sorted(found))


@dataclass(frozen=True)
class OfficeKey:
    office: Office
    type: str | None
    elements: frozenset[str]  # core bigrams (or the single core word)
    first: str = ""  # the first core element: "Sở Văn hóa" names "Sở Văn hóa, Thể thao và Du lịch"
    levels: frozenset[str] = frozenset()  # "Ủy ban nhân dân các huyện, thị xã": huyen, thi xa

    @property
    def size(self) -> int:
        return len(self.elements) + (1 if self.type else 0)


def _strip_va(words: list[str]) -> list[str]:
    return [w for w in words if w != "va"]


#: Word pairs in many names and questions ("Hội Bảo trợ trẻ em"): they identify no office.
GENERIC = frozenset({"tre em"})


def _elements(words: list[str]) -> set[str]:
    words = _strip_va(words)
    if len(words) == 1:
        return {words[0]}
    return set(bigrams(words)) - GENERIC


def office_key(office: Office) -> OfficeKey | None:
    folded = fold(office.name)
    kind = next((t for t in TYPES if folded == t or folded.startswith(t + " ")), None)
    core = folded[len(kind) :].strip() if kind else folded
    padded = f" {core} "
    for place in PLACE_WORDS:
        padded = padded.replace(f" {place} ", " ")
    words = padded.split()
    if not words:
        return None
    elements = _elements(words)
    first = " ".join(_strip_va(words)[:2]) if len(elements) > 1 else next(iter(elements))
    return OfficeKey(office, kind, frozenset(elements), first, frozenset(_levels(folded)))


def plan_offices(plan: Plan) -> list[Office]:
    """Every office a plan names: its office list and every lead/coordinating office."""
    seen: dict[str, Office] = {}
    lists = [plan.offices]
    for item in [*plan.targets, *plan.objectives]:
        lists += [item.lead or [], item.coordinating or []]
    for offices in lists:
        for office in offices:
            seen.setdefault(fold(office.name), office)
    return list(seen.values())


class OfficeMatcher:
    def __init__(self, plans: dict[str, Plan], glossary: Glossary) -> None:
        self._glossary = glossary
        self._by_plan: dict[str, list[OfficeKey]] = {}
        everywhere: dict[str, OfficeKey] = {}
        for plan in plans.values():
            keys = [k for o in plan_offices(plan) if (k := office_key(o)) is not None]
            self._by_plan[plan.id] = keys
            for key in keys:
                everywhere.setdefault(fold(key.office.name), key)
        self._everywhere = list(everywhere.values())

    def _query_elements(self, folded: str) -> tuple[set[str], set[str]]:
        words = folded.split()
        found = _elements(words) | set(_strip_va(words))
        for core in self._glossary.office_cores_in(folded):
            found |= _elements(core.split()) | set(core.split())
        types = {t for t in TYPES if f" {t} " in f" {folded} "}
        types |= {t for w, t in TYPE_WORDS.items() if f" {w} " in f" {folded} "}
        return found, types

    def find(self, folded: str, plan_id: str | None = None,
             min_score: float = MIN_SCORE) -> list[Office]:
        """Best matching offices of one plan (or of all plans), best first."""
        keys = self._by_plan.get(plan_id, []) if plan_id else self._everywhere
        elements, types = self._query_elements(folded)
        asked = OFFICE_AT_LEVEL.search(folded)
        scored: list[tuple[float, int, Office]] = []
        for key in keys:
            core_hits = len(key.elements & elements)
            if not core_hits:
                continue
            if key.levels and asked and asked.group(1) not in key.levels:
                continue  # "UBND tỉnh" asked, "UBND các huyện" named
            typed = bool(key.type and key.type in types)
            hits = core_hits + (1 if typed else 0)
            score = hits / key.size
            if typed and key.first in elements:  # the name's start after its type word
                score = max(score, min_score)
            if score >= min_score:
                scored.append((score, hits, key.office))
        if not scored:
            return []
        scored.sort(key=lambda s: (-s[0], -s[1]))
        best = scored[0][:2]
        return [office for score, hits, office in scored if (score, hits) == best]

