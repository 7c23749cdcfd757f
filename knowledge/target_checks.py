"""Compare reported counts with a plan's targets 9 (abuse), 11 (injuries) and 13 (child marriage).

Only values the plan states are used; a year without a stated value gives ``NO_VALUE``, never a
guess. Level targets ("below 4.5%", "down to 550/100,000") compare the yearly rate (the
period's count scaled to twelve months when shorter, per the population); reduction targets
("reduce by 5% a year", "2-3% a year") compare with the same months a year earlier, or with
the baseline year the value names ("so với năm 2020").

A period is judged only when it is reported enough: at least ``ENOUGH_PERCENT`` (80%) of the
reports expected in it have arrived, and the same for the period compared with. Otherwise the
check says how many reports are missing; zero cases from missing reports are no evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum

from knowledge.schema import Indicator, Plan, Value

#: Target number -> the report category it measures.
TARGET_FIELDS: dict[int, str] = {9: "abuse", 11: "injury", 13: "marriage"}
#: Rate units and their denominators.
PER: dict[str, int] = {"%": 100, "per_10000_children": 10_000, "per_100000_children": 100_000}
LEVEL_COMPARATORS = frozenset({"below", "down_to"})
#: Percentage of the expected reports a period needs before a target is judged on or off track.
ENOUGH_PERCENT = 80

_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_BASELINE = re.compile(r"(?:so với|compared with)\s+(?:năm\s+|the year\s+)?((?:19|20)\d{2})")
_YEARLY = ("hằng năm", "hàng năm", "annual", "yearly", "each year")


class Status(StrEnum):
    ON_TRACK = "on_track"
    OFF_TRACK = "off_track"
    #: The plan states no value for this period's year.
    NO_VALUE = "no_value"
    #: A value exists but the data to compare it is missing (see ``missing``).
    NO_DATA = "no_data"
    #: The value's form (e.g. "reach", a count) is not one this module compares.
    NOT_COMPARABLE = "not_comparable"


class Missing(StrEnum):
    REPORTS = "reports"  # no reports in the period: zero cases would be no evidence
    POPULATION = "population"
    EARLIER = "earlier"  # no reports for the comparison period
    EARLIER_ZERO = "earlier_zero"  # zero cases in the comparison period: no percentage
    INCOMPLETE = "incomplete"  # fewer than ENOUGH_PERCENT% of the period's expected reports
    EARLIER_INCOMPLETE = "earlier_incomplete"  # the same for the comparison period


@dataclass(frozen=True)
class Facts:
    """What the comparison needs: counts of one category and the context."""

    year: int
    months: int
    count: int
    population: int | None
    #: Counts of the same months a year earlier and in baseline years (None: no reports).
    earlier: dict[int, int | None]
    #: Reports received in the period.
    reports: int = 1
    #: Reports expected in the period (0: not known, not checked).
    expected: int = 0
    #: Reports (received, expected) in the comparison years (a year missing: not checked).
    earlier_reports: dict[int, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class TargetCheck:
    target: int
    indicator: Indicator | None
    status: Status
    value: Value | None = None
    #: Yearly rate per ``per`` children (level targets) or change in % (reduction targets).
    actual: float | None = None
    per: int | None = None
    annualised: bool = False
    #: The year compared with (reduction targets).
    compared_year: int | None = None
    compared_count: int | None = None
    missing: Missing | None = None
    #: Reports received and expected in the period that lacks them (``INCOMPLETE``,
    #: ``EARLIER_INCOMPLETE``).
    received: int | None = None
    expected: int | None = None


def enough_reports(received: int, expected: int) -> bool:
    """Whether a period is reported enough to judge: at least ``ENOUGH_PERCENT``% of the
    expected reports (nothing expected: enough)."""
    return expected <= 0 or received * 100 >= ENOUGH_PERCENT * expected


def baseline_years(plan: Plan | None) -> set[int]:
    """Years that reduction values name as their baseline ("so với năm 2020")."""
    found: set[int] = set()
    for number in TARGET_FIELDS:
        target = plan.target(number) if plan else None
        for indicator in target.indicators if target else []:
            for value in indicator.values:
                if (year := _baseline(value)) is not None:
                    found.add(year)
    return found


def check_targets(plan: Plan, facts_by_field: dict[str, Facts]) -> list[TargetCheck]:
    """One check per relevant indicator of targets 9, 11 and 13 (one NO_VALUE if none)."""
    checks: list[TargetCheck] = []
    for number, field_name in TARGET_FIELDS.items():
        facts = facts_by_field[field_name]
        target = plan.target(number)
        indicators = [i for i in (target.indicators if target else []) if _relevant(number, i)]
        found = [
            _check(number, i, v, facts)
            for i in indicators
            if (v := applicable_value(plan, i, facts.year)) is not None
        ]
        checks.extend(found or [TargetCheck(number, None, Status.NO_VALUE)])
    return checks


def _relevant(number: int, indicator: Indicator) -> bool:
    """Target 11 also sets injury *death* rates; reports count injuries, so those are skipped."""
    return not (number == 11 and "death" in indicator.label_en.lower())


def applicable_value(plan: Plan, indicator: Indicator, year: int) -> Value | None:
    """The value the plan states for `year`: a milestone of that year, a recurring value whose
    note covers the year, or a yearly value ("hằng năm") of the next milestone since the
    previous one. None otherwise."""
    values = indicator.values
    for value in values:
        if value.year == year:
            return value
    for value in values:
        if value.year is None:
            years = [int(y) for y in _YEAR.findall(value.note or "")]
            if len(years) < 2 or min(years) <= year <= max(years):
                return value
    milestones = sorted(v.year for v in values if v.year is not None)
    for value in sorted((v for v in values if v.year is not None), key=lambda v: v.year or 0):
        assert value.year is not None
        if value.year < year or not _is_yearly(value):
            continue
        earlier = [y for y in milestones if y < value.year]
        start = max(earlier) if earlier else plan.period_start - 1
        if start < year <= value.year:
            return value
    return None


def _is_yearly(value: Value) -> bool:
    note = (value.note or "").lower()
    return any(word in note for word in _YEARLY)


def _baseline(value: Value) -> int | None:
    match = _BASELINE.search((value.note or "").lower())
    return int(match.group(1)) if match else None


def _check(number: int, indicator: Indicator, value: Value, facts: Facts) -> TargetCheck:
    base = TargetCheck(number, indicator, Status.NOT_COMPARABLE, value)
    if value.value is None:
        return base
    if facts.expected and not enough_reports(facts.reports, facts.expected):
        return _replace(base, status=Status.NO_DATA, missing=Missing.INCOMPLETE,
                        received=facts.reports, expected=facts.expected)
    if not facts.reports:
        return _replace(base, status=Status.NO_DATA, missing=Missing.REPORTS)
    if value.comparator in LEVEL_COMPARATORS and value.unit in PER:
        return _level(base, value, facts)
    # "from 2 to 3%" is a reduction only in target 13 (a yearly fall in child marriages).
    reduction = value.comparator == "reduce_by" or (value.comparator == "range" and number == 13)
    if reduction and value.unit == "%":
        return _reduction(base, value, facts)
    return base


def _level(base: TargetCheck, value: Value, facts: Facts) -> TargetCheck:
    per = PER[value.unit]
    if not facts.population:
        return _replace(base, status=Status.NO_DATA, per=per, missing=Missing.POPULATION)
    yearly = facts.count * 12 / facts.months if facts.months else float(facts.count)
    rate = yearly * per / facts.population
    assert value.value is not None
    met = rate < value.value if value.comparator == "below" else rate <= value.value
    return _replace(
        base, status=Status.ON_TRACK if met else Status.OFF_TRACK, actual=rate, per=per,
        annualised=facts.months != 12,
    )


def _reduction(base: TargetCheck, value: Value, facts: Facts) -> TargetCheck:
    year = _baseline(value) or facts.year - 1
    earlier = facts.earlier.get(year)
    if earlier is None:
        return _replace(base, status=Status.NO_DATA, compared_year=year, missing=Missing.EARLIER)
    received, expected = facts.earlier_reports.get(year, (0, 0))
    if not enough_reports(received, expected):
        return _replace(
            base, status=Status.NO_DATA, compared_year=year, missing=Missing.EARLIER_INCOMPLETE,
            received=received, expected=expected,
        )
    if earlier == 0:
        return _replace(
            base, status=Status.NO_DATA, compared_year=year, compared_count=0,
            missing=Missing.EARLIER_ZERO,
        )
    change = (facts.count - earlier) * 100 / earlier
    assert value.value is not None
    met = change <= -value.value
    return _replace(
        base, status=Status.ON_TRACK if met else Status.OFF_TRACK, actual=change,
        compared_year=year, compared_count=earlier,
    )


def _replace(check: TargetCheck, **changes: object) -> TargetCheck:
    return replace(check, **changes)  # type: ignore[arg-type]
