"""Aggregates over a unit's subtree, computed in SQL (GROUP BY; report rows never loaded).

Totals, per-child totals and per-month series sum every report in the subtree; completeness
and timeliness count only active commune-level (reporting) units. All month ranges are
inclusive. Sums of an optional breakdown are None when no report in the range gave it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from kernel.calendar import Month
from kernel.counts import CATEGORIES, FIELDS, CaseCounts
from storage.due import DEFAULT_DUE_DAY, DEFAULT_TZ, due_deadline
from storage.models import (
    REPORTING_LEVEL,
    Report,
    Unit,
    UnitClosure,
    UnitPopulation,
    period_of,
)
from storage.types import UTCDateTime

PER_CHILDREN = 100_000


@dataclass(frozen=True)
class Totals:
    counts: CaseCounts
    reports: int

    @classmethod
    def empty(cls) -> Totals:
        return cls(CaseCounts(0, 0, 0), 0)


@dataclass(frozen=True)
class UnitRef:
    id: int
    code: str
    name: str
    level: str


@dataclass(frozen=True)
class UnitTotals:
    unit: UnitRef
    totals: Totals


@dataclass(frozen=True)
class Completeness:
    """Reports received from reporting units vs. expected (units × months)."""

    unit: UnitRef
    reporting_units: int
    months: int
    received: int
    on_time: int

    @property
    def expected(self) -> int:
        return self.reporting_units * self.months

    @property
    def completeness(self) -> float | None:
        return self.received / self.expected if self.expected else None

    @property
    def timeliness(self) -> float | None:
        """Share of expected reports received by the due date."""
        return self.on_time / self.expected if self.expected else None


def months_between(start: Month, end: Month) -> Iterator[Month]:
    month = start
    while month <= end:
        yield month
        month = month.next()


def rate_per_100k(count: int, population: int | None) -> float | None:
    return count * PER_CHILDREN / population if population else None


# ---------------------------------------------------------------------------- totals


async def subtree_totals(
    session: AsyncSession, unit_id: int, start: Month, end: Month
) -> Totals:
    """Totals by category (and breakdown) over the unit's whole subtree."""
    c = aliased(UnitClosure)
    stmt = _sums(select()).select_from(c).join(Report, Report.unit_id == c.descendant_id)
    stmt = stmt.where(c.ancestor_id == unit_id, _in_range(start, end))
    row = (await session.execute(stmt)).one()
    return _totals(row._mapping)


async def totals_by_child(
    session: AsyncSession, unit_id: int, start: Month, end: Month
) -> list[UnitTotals]:
    """Totals for each direct child unit (children without reports get zeros)."""
    children = await _children(session, unit_id)
    c = aliased(UnitClosure)
    stmt = (
        _sums(select(c.ancestor_id))
        .select_from(c)
        .join(Report, Report.unit_id == c.descendant_id)
        .where(c.ancestor_id.in_([child.id for child in children]), _in_range(start, end))
        .group_by(c.ancestor_id)
    )
    found = {row.ancestor_id: _totals(row._mapping) for row in await session.execute(stmt)}
    return [UnitTotals(child, found.get(child.id, Totals.empty())) for child in children]


async def monthly_series(
    session: AsyncSession, unit_id: int, start: Month, end: Month
) -> list[tuple[Month, Totals]]:
    """One entry per month of the range (months without reports get zeros)."""
    c = aliased(UnitClosure)
    stmt = (
        _sums(select(Report.period))
        .select_from(c)
        .join(Report, Report.unit_id == c.descendant_id)
        .where(c.ancestor_id == unit_id, _in_range(start, end))
        .group_by(Report.period)
    )
    found = {row.period: _totals(row._mapping) for row in await session.execute(stmt)}
    return [(m, found.get(period_of(m), Totals.empty())) for m in months_between(start, end)]


# ---------------------------------------------------------------------------- completeness


async def completeness(
    session: AsyncSession,
    unit_id: int,
    start: Month,
    end: Month,
    *,
    due_day: int = DEFAULT_DUE_DAY,
    tz: str | ZoneInfo = DEFAULT_TZ,
) -> Completeness:
    """Completeness and timeliness of the unit's whole subtree."""
    unit = await session.get(Unit, unit_id)
    if unit is None:
        raise LookupError(f"no unit with id {unit_id}")
    rows = await _completeness(session, [unit_id], start, end, due_day, tz)
    return rows.get(unit_id) or Completeness(_ref(unit), 0, _count(start, end), 0, 0)


async def completeness_by_child(
    session: AsyncSession,
    unit_id: int,
    start: Month,
    end: Month,
    *,
    due_day: int = DEFAULT_DUE_DAY,
    tz: str | ZoneInfo = DEFAULT_TZ,
) -> list[Completeness]:
    """Completeness and timeliness for each direct child unit."""
    children = await _children(session, unit_id)
    rows = await _completeness(session, [c.id for c in children], start, end, due_day, tz)
    months = _count(start, end)
    return [rows.get(c.id) or Completeness(c, 0, months, 0, 0) for c in children]


async def _completeness(
    session: AsyncSession,
    unit_ids: Sequence[int],
    start: Month,
    end: Month,
    due_day: int,
    tz: str | ZoneInfo,
) -> dict[int, Completeness]:
    if not unit_ids:
        return {}
    c = aliased(UnitClosure)
    reporting = (Unit.level == REPORTING_LEVEL, Unit.active.is_(True))
    expected_stmt = (
        select(c.ancestor_id, func.count().label("units"))
        .select_from(c)
        .join(Unit, Unit.id == c.descendant_id)
        .where(c.ancestor_id.in_(unit_ids), *reporting)
        .group_by(c.ancestor_id)
    )
    units = {row.ancestor_id: row.units for row in await session.execute(expected_stmt)}
    deadline = case(
        {
            period_of(m): literal(due_deadline(m, due_day, tz), UTCDateTime())
            for m in months_between(start, end)
        },
        value=Report.period,
    )
    on_time = case((Report.submitted_at < deadline, 1), else_=0)
    received_stmt = (
        select(
            c.ancestor_id,
            func.count(Report.id).label("received"),
            func.coalesce(func.sum(on_time), 0).label("on_time"),
        )
        .select_from(c)
        .join(Unit, Unit.id == c.descendant_id)
        .join(Report, Report.unit_id == c.descendant_id)
        .where(c.ancestor_id.in_(unit_ids), *reporting, _in_range(start, end))
        .group_by(c.ancestor_id)
    )
    received = {row.ancestor_id: row for row in await session.execute(received_stmt)}
    refs = {
        u.id: _ref(u) for u in (await session.scalars(select(Unit).where(Unit.id.in_(unit_ids))))
    }
    months = _count(start, end)
    result = {}
    for uid in unit_ids:
        got = received.get(uid)
        result[uid] = Completeness(
            refs[uid], units.get(uid, 0), months,
            got.received if got else 0, int(got.on_time) if got else 0,
        )
    return result


# ---------------------------------------------------------------------------- population


async def child_population(session: AsyncSession, unit_id: int, year: int) -> int | None:
    """The unit's own figure for `year`, else the sum over its commune-level units."""
    return (await _populations(session, [unit_id], year)).get(unit_id)


async def child_population_by_child(
    session: AsyncSession, unit_id: int, year: int
) -> dict[int, int | None]:
    children = await _children(session, unit_id)
    found = await _populations(session, [c.id for c in children], year)
    return {c.id: found.get(c.id) for c in children}


async def _populations(
    session: AsyncSession, unit_ids: Sequence[int], year: int
) -> dict[int, int]:
    if not unit_ids:
        return {}
    own_stmt = select(UnitPopulation.unit_id, UnitPopulation.child_population).where(
        UnitPopulation.unit_id.in_(unit_ids), UnitPopulation.year == year
    )
    own = {row.unit_id: row.child_population for row in await session.execute(own_stmt)}
    c = aliased(UnitClosure)
    sum_stmt = (
        select(c.ancestor_id, func.sum(UnitPopulation.child_population).label("total"))
        .select_from(c)
        .join(Unit, Unit.id == c.descendant_id)
        .join(UnitPopulation, UnitPopulation.unit_id == c.descendant_id)
        .where(
            c.ancestor_id.in_(unit_ids), Unit.level == REPORTING_LEVEL,
            UnitPopulation.year == year,
        )
        .group_by(c.ancestor_id)
    )
    summed = {row.ancestor_id: int(row.total) for row in await session.execute(sum_stmt)}
    return {**summed, **own}


# ---------------------------------------------------------------------------- helpers



def _count(start: Month, end: Month) -> int:
    return max(0, (end.year - start.year) * 12 + end.month - start.month + 1)


def _in_range(start: Month, end: Month) -> ColumnElement[bool]:
    return Report.period.between(period_of(start), period_of(end))


def _sums(stmt: Select[Any]) -> Select[Any]:
    return stmt.add_columns(
        *(func.sum(getattr(Report, name)).label(name) for name in FIELDS),
        func.count(Report.id).label("reports"),
    )


def _totals(row: Any) -> Totals:
    values: dict[str, int | None] = {}
    for name in FIELDS:
        value = row[name]
        values[name] = int(value) if value is not None else (0 if name in CATEGORIES else None)
    return Totals(CaseCounts(**values), int(row["reports"]))


def _ref(unit: Unit) -> UnitRef:
    return UnitRef(unit.id, unit.code, unit.name, unit.level)


async def _children(session: AsyncSession, unit_id: int) -> list[UnitRef]:
    stmt = select(Unit).where(Unit.parent_id == unit_id).order_by(Unit.code)
    return [_ref(u) for u in await session.scalars(stmt)]
