"""Checks on a report's numbers and month, independent of how they were typed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from numbers import Real

from kernel.calendar import Month
from kernel.counts import BREAKDOWNS, CATEGORIES, FIELDS, CaseCounts
from reports.months import current_month
from reports.problems import Code, Problem

#: Sane upper bound for one commune in one month; larger numbers are surely typos.
MAX_COUNT = 1000

#: Breakdowns whose sum may not exceed their total. Deaths overlap drowning/traffic, so they
#: are only checked on their own.
SUM_GROUPS: dict[str, tuple[str, ...]] = {
    "abuse": ("abuse_violence", "abuse_sexual", "abuse_exploitation", "abuse_other"),
    "injury": ("injury_drowning", "injury_traffic"),
}


def _as_mapping(counts: CaseCounts | Mapping[str, object]) -> Mapping[str, object]:
    return counts.as_dict() if isinstance(counts, CaseCounts) else counts


def check_counts(
    counts: CaseCounts | Mapping[str, object],
    *,
    max_count: int = MAX_COUNT,
    require_all: bool = True,
) -> list[Problem]:
    """Whole numbers in ``0..max_count``, every category present, breakdowns within totals."""
    values = _as_mapping(counts)
    problems: list[Problem] = []
    good: dict[str, int] = {}
    for name in FIELDS:
        value = values.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, Real):
            problems.append(Problem.of(Code.NOT_INTEGER, field=name, text=str(value)))
            continue
        if value != int(value):
            problems.append(Problem.of(Code.NOT_INTEGER, field=name, text=str(value)))
            continue
        number = int(value)
        if number < 0:
            problems.append(Problem.of(Code.NEGATIVE, field=name, text=str(number)))
        elif number > max_count:
            problems.append(Problem.of(Code.TOO_LARGE, field=name, value=number, limit=max_count))
        else:
            good[name] = number
    if require_all:
        missing = tuple(c for c in CATEGORIES if values.get(c) is None)
        if missing:
            problems.append(Problem.of(Code.MISSING_CATEGORIES, fields=missing))
    problems += _breakdown_problems(good)
    return problems


def _breakdown_problems(good: Mapping[str, int]) -> list[Problem]:
    problems: list[Problem] = []
    over: set[str] = set()
    for part, total_field in BREAKDOWNS.items():
        if part in good and total_field in good and good[part] > good[total_field]:
            over.add(total_field)
            problems.append(
                Problem.of(
                    Code.BREAKDOWN_EXCEEDS,
                    field=part,
                    value=good[part],
                    total_field=total_field,
                    total=good[total_field],
                )
            )
    for total_field, parts in SUM_GROUPS.items():
        given = tuple(p for p in parts if p in good)
        if total_field not in good or total_field in over or len(given) < 2:
            continue
        total = sum(good[p] for p in given)
        if total > good[total_field]:
            problems.append(
                Problem.of(
                    Code.BREAKDOWN_SUM_EXCEEDS,
                    total_field=total_field,
                    sum=total,
                    total=good[total_field],
                    fields=given,
                )
            )
    return problems


def check_month(
    month: Month, *, today: date, plan_period: tuple[int, int] | None = None
) -> list[Problem]:
    """A month may be reported once it has ended, and must lie within the plan's years.

    The current month is refused until it is over (its last day still has hours to go).
    """
    problems: list[Problem] = []
    now = current_month(today)
    if month > now:
        problems.append(Problem.of(Code.MONTH_IN_FUTURE, month=month))
    elif month == now:
        problems.append(Problem.of(Code.MONTH_NOT_OVER, month=month))
    if plan_period is not None:
        start, end = plan_period
        if not start <= month.year <= end:
            problems.append(Problem.of(Code.MONTH_OUTSIDE_PLAN, month=month, start=start, end=end))
    return problems


def validate(
    counts: CaseCounts | Mapping[str, object],
    month: Month | None,
    *,
    today: date,
    plan_period: tuple[int, int] | None = None,
    max_count: int = MAX_COUNT,
) -> list[Problem]:
    """All problems of a report about to be saved (``month=None`` skips the month checks)."""
    problems = check_counts(counts, max_count=max_count)
    if month is not None:
        problems += check_month(month, today=today, plan_period=plan_period)
    return problems
