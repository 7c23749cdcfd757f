"""The plans' own milestones (6-monthly and annual reports, evaluations, reviews) as dates."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from knowledge.schema import Deadline, Plan
from reports.deadlines import plan_deadlines

Precision = Literal["day", "month", "year"]
#: Supervisors are reminded this many days before a milestone's first day.
LEAD_DAYS = 7


@dataclass(frozen=True)
class Milestone:
    """One dated occurrence of a plan deadline: anywhere from ``start`` to ``end``."""

    plan_id: str
    deadline: Deadline
    start: date
    end: date  # the last day allowed ("trước ngày 10/6" → 9 June)
    precision: Precision

    @property
    def kind(self) -> str:
        """A short, stable key for the reminder ledger (at most 32 characters)."""
        raw = f"{self.plan_id}:{self.deadline.id}:{self.end.isoformat()}"
        return "ms_" + hashlib.sha1(raw.encode()).hexdigest()[:16]

    def text(self, locale: str) -> str:
        return self.deadline.text if locale == "vi" else self.deadline.text_en

    def remind_from(self, lead_days: int = LEAD_DAYS) -> date:
        return self.start - timedelta(days=lead_days)


def milestones(plan: Plan, year: int) -> list[Milestone]:
    """The plan's milestones falling in ``year`` (undated ones, e.g. "no date stated", skipped)."""
    by_id = {d.id: d for d in plan.deadlines}
    found: list[Milestone] = []
    for day, deadline_id in plan_deadlines(plan.deadlines, year):
        deadline = by_id[deadline_id]
        if deadline.day:
            found.append(Milestone(plan.id, deadline, day, day, "day"))
        else:
            found.append(Milestone(plan.id, deadline, day.replace(day=1), day, "month"))
    for deadline in plan.deadlines:
        if deadline.month is None and year in deadline.years:
            found.append(
                Milestone(plan.id, deadline, date(year, 1, 1), date(year, 12, 31), "year")
            )
    return sorted(found, key=lambda m: (m.end, m.deadline.id))


def upcoming(plan: Plan, today: date, *, years: int = 6, limit: int = 4) -> list[Milestone]:
    """The next milestones that have not ended yet, soonest first."""
    found = [
        m
        for year in range(today.year, today.year + years)
        for m in milestones(plan, year)
        if m.end >= today
    ]
    return sorted(found, key=lambda m: (m.end, m.deadline.id))[:limit]


def reminders_due(plan: Plan, today: date, lead_days: int = LEAD_DAYS) -> list[Milestone]:
    """Day- and month-precise milestones whose reminder window contains ``today``."""
    return [
        m
        for year in (today.year, today.year + 1)
        for m in milestones(plan, year)
        if m.precision != "year" and m.remind_from(lead_days) <= today <= m.end
    ]
