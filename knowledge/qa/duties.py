"""What an office must do, and who leads a task named by its topic, from the curated duties
(``Plan.duties``) and the passage index."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from knowledge.normalize import fold
from knowledge.qa.passages import PassageHit, PassageIndex
from knowledge.schema import Duty, Plan

#: A task question is answered by duties only when its words are this well covered.
TASK_COVERAGE = 0.6
#: Other hits are shown with the best one when they score at least this share of it.
TASK_KEEP = 0.75
MAX_TASK_HITS = 3


@dataclass(frozen=True)
class TaskHit:
    """Duties matched by one passage."""

    plan_id: str
    duties: tuple[Duty, ...]
    hit: PassageHit


class DutyBook:
    """The plans' duties by office and by section."""

    def __init__(self, plans: Mapping[str, Plan], passages: PassageIndex,
                 own_parts: Mapping[str, str] | None = None) -> None:
        self.passages = passages
        #: Per plan, the part that gives each office its duties ("V" TỔ CHỨC THỰC HIỆN).
        self._own_part = dict(own_parts or {})
        self._by_office: dict[tuple[str, str], list[Duty]] = {}
        self._by_section: dict[tuple[str, str], list[Duty]] = {}
        for plan in plans.values():
            for duty in plan.duties:
                self._by_office.setdefault((plan.id, _office_key(duty.office)), []).append(duty)
                self._by_section.setdefault((plan.id, duty.section), []).append(duty)

    def of_office(self, plan: Plan, office: str, focus: str = "") -> tuple[Duty, ...]:
        """The office's duties, those it is assigned first, in the document's order; with a
        ``focus`` (folded words of the question), those sharing most of it first."""
        duties = self._by_office.get((plan.id, _office_key(office)), [])
        wanted = _terms(focus)
        seen: set[str] = set()
        ordered = []
        for duty in sorted(duties, key=lambda d: (-_shared(wanted, d.text), d.role != "lead",
                                                   _order(d.section, self._own_part[plan.id]))):
            if duty.text not in seen:
                seen.add(duty.text)
                ordered.append(duty)
        return tuple(ordered)

    def in_section(self, plan: Plan, section: str, role: str | None = None) -> tuple[Duty, ...]:
        """Duties of a section and the sections below it ("III.2.2.b")."""
        out = [d for (plan_id, sid), duties in self._by_section.items()
               if plan_id == plan.id and (sid == section or sid.startswith(section + "."))
               for d in duties if role is None or d.role == role]
        return tuple(dict.fromkeys(out))

    def assigning(self, plan: Plan, office: str, target: int) -> list[Duty]:
        """The office's duties that name target ``target`` ("thực hiện chỉ tiêu 9")."""
        return [d for d in self._by_office.get((plan.id, _office_key(office)), [])
                if d.role == "lead" and _names_target(d.text, target)]

    def for_task(self, folded: str, plan_ids: Iterable[str], required: Iterable[str] = (),
                 coverage: float = TASK_COVERAGE) -> list[TaskHit]:
        """Passages assigning a task like the question's, with the duties they give (the
        offices assigned it first)."""
        out: list[TaskHit] = []
        for hit in self.passages.search(folded, plan_ids, limit=12, required=required):
            if not hit.answers(coverage):
                continue
            text = fold(hit.passage.text)
            duties = [d for d in self._by_section.get((hit.plan_id, hit.passage.section), [])
                      if _overlaps(fold(d.text), text)]
            if not duties:
                continue
            duties.sort(key=lambda d: d.role != "lead")
            out.append(TaskHit(hit.plan_id, tuple(duties), hit))
        if not out:
            return []
        best = out[0].hit.score
        return [t for t in out if t.hit.score >= TASK_KEEP * best][:MAX_TASK_HITS]


def _office_key(name: str) -> str:
    """"UBND các phường, xã" and "Ủy ban nhân dân các phường, xã" are one office."""
    return re.sub(r"\bubnd\b", "uy ban nhan dan", fold(name))


def _order(section: str, own_part: str | None) -> int:
    """The office's own paragraphs first (the organisation part), decisions' articles last."""
    if section.startswith("Quyết định"):
        return 2
    if own_part and (section == own_part or section.startswith(own_part + ".")):
        return 0
    return 1


def _terms(folded: str) -> set[str]:
    words = [w for w in folded.split() if len(w) > 1]
    return set(words) | {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}


def _shared(wanted: set[str], text: str) -> int:
    """How much of a question's focus a duty shares (word pairs count double)."""
    if not wanted:
        return 0
    have = _terms(fold(text))
    return sum(2 if " " in t else 1 for t in wanted & have)


_TARGET_LIST = re.compile(r"chi tieu((?:\s*(?:\d+|va|cac|chi tieu|muc tieu \d))+)")


def _names_target(text: str, number: int) -> bool:
    """"Triển khai thực hiện các chỉ tiêu 1, 2, 8, 9 …", "Chỉ tiêu 3, Chỉ tiêu 4 và …"."""
    for m in _TARGET_LIST.finditer(fold(text)):
        listed = re.sub(r"muc tieu \d", " ", m.group(1))
        if str(number) in listed.split():
            return True
    return False


def _overlaps(duty: str, passage: str) -> bool:
    return bool(duty) and (duty in passage or passage in duty)
