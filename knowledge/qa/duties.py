"""What an office must do, and who leads a task named by its topic, from the curated duties
(``Plan.duties``) and the passage index."""

from __future__ import annotations

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

    def __init__(self, plans: Mapping[str, Plan], passages: PassageIndex) -> None:
        self.passages = passages
        self._by_office: dict[tuple[str, str], list[Duty]] = {}
        self._by_section: dict[tuple[str, str], list[Duty]] = {}
        for plan in plans.values():
            for duty in plan.duties:
                self._by_office.setdefault((plan.id, duty.office), []).append(duty)
                self._by_section.setdefault((plan.id, duty.section), []).append(duty)

    def of_office(self, plan: Plan, office: str) -> tuple[Duty, ...]:
        """The office's duties, those it is assigned first, in the document's order."""
        duties = self._by_office.get((plan.id, office), [])
        seen: set[str] = set()
        ordered = []
        for duty in sorted(duties, key=lambda d: d.role != "lead"):
            if duty.text not in seen:
                seen.add(duty.text)
                ordered.append(duty)
        return tuple(ordered)

    def for_task(self, folded: str, plan_ids: Iterable[str],
                 required: Iterable[str] = ()) -> list[TaskHit]:
        """Passages assigning a task like the question's, with the duties they give (the
        offices assigned it first)."""
        out: list[TaskHit] = []
        for hit in self.passages.search(folded, plan_ids, limit=12, required=required):
            if not hit.answers(TASK_COVERAGE):
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


def _overlaps(duty: str, passage: str) -> bool:
    return bool(duty) and (duty in passage or passage in duty)
