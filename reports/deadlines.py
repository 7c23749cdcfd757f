"""When monthly reports are due and when to nudge officers, inside working hours only.

Nudge rules (kinds "before_N", "due", "overdue_N"; all at the start of the working day):

* ``before_N`` falls N days before the due date; on a non-working day it moves *earlier* to the
  previous working day, so it still comes before the deadline.
* The due date itself never moves. When it is a non-working day (e.g. a Sunday) the "due"
  nudge is sent on the previous working day (Saturday), saying the report is due on the Sunday.
* ``overdue_N`` falls N days after the due date (counted from the real due date); on a
  non-working day it moves *later* to the next working day (Sunday → Monday).
* When two nudges land on the same day only the later, more urgent kind is kept.
* Missed nudges: only the latest kind whose time has come is ever sent, and only on the day it
  was scheduled (catch-up once, the same day). An old "before_3" is never sent after "before_1"
  time, let alone after the due date.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Iterable
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from kernel.calendar import Month, due_date
from kernel.clock import VN_TZ, to_local

DEFAULT_DUE_DAY = 5
WORK_START = time(8)
WORK_END = time(17)
WORKDAYS: frozenset[int] = frozenset(range(6))  # Monday=0 … Saturday=5
DUE = "due"
_MAX_SEARCH_DAYS = 400


def is_working_day(
    day: date, *, workdays: Collection[int] = WORKDAYS, holidays: Collection[date] = ()
) -> bool:
    return day.weekday() in workdays and day not in holidays


def is_working_time(
    moment: datetime,
    *,
    work_start: time = WORK_START,
    work_end: time = WORK_END,
    workdays: Collection[int] = WORKDAYS,
    holidays: Collection[date] = (),
) -> bool:
    """True inside working hours (start inclusive, end exclusive) on a working day."""
    local = to_local(moment)
    on_day = is_working_day(local.date(), workdays=workdays, holidays=holidays)
    return on_day and work_start <= local.timetz().replace(tzinfo=None) < work_end


def _shift(day: date, step: int, workdays: Collection[int], holidays: Collection[date]) -> date:
    if not workdays:
        raise ValueError("no working days configured")
    for _ in range(_MAX_SEARCH_DAYS):
        if is_working_day(day, workdays=workdays, holidays=holidays):
            return day
        day += timedelta(days=step)
    raise ValueError("no working day within a year")


def next_window(
    now: datetime,
    *,
    work_start: time = WORK_START,
    work_end: time = WORK_END,
    workdays: Collection[int] = WORKDAYS,
    holidays: Collection[date] = (),
) -> datetime:
    """``now`` if inside working hours, else the start of the next working period."""
    local = to_local(now)
    if is_working_time(
        local, work_start=work_start, work_end=work_end, workdays=workdays, holidays=holidays
    ):
        return local
    day = local.date()
    is_day = is_working_day(day, workdays=workdays, holidays=holidays)
    if not (is_day and local.time() < work_start):
        day = _shift(day + timedelta(days=1), 1, workdays, holidays)
    return datetime.combine(day, work_start, tzinfo=VN_TZ)


def nudge_times(
    month: Month,
    *,
    due_day: int = DEFAULT_DUE_DAY,
    before_days: Iterable[int] = (3, 1),
    after_days: Iterable[int] = (1, 3),
    work_start: time = WORK_START,
    work_end: time = WORK_END,
    workdays: Collection[int] = WORKDAYS,
    holidays: Collection[date] = (),
) -> list[tuple[str, datetime]]:
    """The nudges for ``month``'s report, in time order (see the module docstring)."""
    del work_end  # nudges go out at the start of the working day
    due = due_date(month, due_day)
    planned: list[tuple[str, date]] = []
    for n in sorted(set(before_days), reverse=True):
        planned.append((f"before_{n}", _shift(due - timedelta(days=n), -1, workdays, holidays)))
    planned.append((DUE, _shift(due, -1, workdays, holidays)))
    for n in sorted(set(after_days)):
        planned.append((f"overdue_{n}", _shift(due + timedelta(days=n), 1, workdays, holidays)))
    kept: list[tuple[str, date]] = []
    for kind, day in planned:
        while kept and kept[-1][1] >= day:
            kept.pop()  # the later, more urgent nudge wins the day
        kept.append((kind, day))
    return [(kind, datetime.combine(day, work_start, tzinfo=VN_TZ)) for kind, day in kept]


def due_nudges(
    now: datetime,
    month: Month,
    last_sent: Collection[str],
    *,
    due_day: int = DEFAULT_DUE_DAY,
    before_days: Iterable[int] = (3, 1),
    after_days: Iterable[int] = (1, 3),
    work_start: time = WORK_START,
    work_end: time = WORK_END,
    workdays: Collection[int] = WORKDAYS,
    holidays: Collection[date] = (),
) -> list[str]:
    """The nudge kinds to send now: at most the latest one due today and not yet sent.

    The caller skips officers who already reported ``month``.
    """
    local = to_local(now)
    hours = {"work_start": work_start, "work_end": work_end, "workdays": workdays}
    if not is_working_time(local, holidays=holidays, **hours):
        return []
    schedule = nudge_times(
        month,
        due_day=due_day,
        before_days=before_days,
        after_days=after_days,
        holidays=holidays,
        **hours,
    )
    passed = [(kind, at) for kind, at in schedule if at <= local]
    if not passed:
        return []
    kind, at = passed[-1]
    if kind in last_sent or at.date() != local.date():
        return []
    return [kind]


class PlanDeadline(NamedTuple):
    """A plan milestone: ``before`` means "trước ngày" (due the day before ``day``)."""

    id: str
    month: int | None
    day: int | None = None
    before: bool = False
    years: tuple[int, ...] = ()


def _as_plan_deadline(item: object) -> PlanDeadline:
    if isinstance(item, tuple):
        return PlanDeadline(*item)
    return PlanDeadline(
        id=item.id,  # type: ignore[attr-defined]
        month=getattr(item, "month", None),
        day=getattr(item, "day", None),
        before=bool(getattr(item, "before", False)),
        years=tuple(getattr(item, "years", ()) or ()),
    )


def plan_deadlines(deadlines: Iterable[object], year: int) -> list[tuple[date, str]]:
    """Dated milestones for ``year``, sorted by date.

    Items are PlanDeadline tuples ``(id, month, day, before[, years])`` or objects with those
    attributes (knowledge.schema.Deadline). Without a month there is no date, so the item is
    skipped; so is one whose ``years`` exclude ``year``. Without a day the date is the month's
    last day. ``before`` gives the last day allowed: "trước ngày 10/6" → 9 June.
    """
    out: list[tuple[date, str]] = []
    for item in deadlines:
        d = _as_plan_deadline(item)
        if d.month is None or (d.years and year not in d.years):
            continue
        last = calendar.monthrange(year, d.month)[1]
        day = date(year, d.month, min(d.day, last) if d.day else last)
        if d.before:
            day -= timedelta(days=1)
        out.append((day, d.id))
    return sorted(out)
