"""Everything /stats shows about a unit and a period, gathered with SQL aggregates.

Totals, per-child figures, completeness and populations come from :mod:`storage.aggregation`
(GROUP BY over the closure table); this module adds the year-earlier comparison (with how
completely that period was reported), population years, people counts and the export rows
(one row per report, for the CSV/XLSX files).

The caller passes only months that are over (:func:`reports.periods.completed_part`), so the
expected reports never include months still running or to come.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from kernel.calendar import Month, Period
from kernel.counts import FIELDS
from storage import aggregation as agg
from storage.due import DEFAULT_DUE_DAY, DEFAULT_TZ, due_deadline
from storage.models import Person, Report, Unit, UnitClosure, UnitPopulation, period_of


@dataclass(frozen=True)
class ChildStats:
    unit: agg.UnitRef
    totals: agg.Totals
    completeness: agg.Completeness


@dataclass(frozen=True)
class StatsData:
    """One unit's figures for a period, the same period a year earlier and per child unit."""

    unit: agg.UnitRef
    plan_id: str | None
    period: Period
    totals: agg.Totals
    previous: agg.Totals
    completeness: agg.Completeness
    population: int | None
    population_year: int | None
    children: list[ChildStats]
    #: Totals of the period's months in other years (plan baselines such as 2020).
    baselines: dict[int, agg.Totals] = field(default_factory=dict)
    #: Reports received and expected in the same months a year earlier and in baseline years
    #: (expected: today's reporting communes × months).
    earlier_completeness: dict[int, agg.Completeness] = field(default_factory=dict)


async def load_stats(
    session: AsyncSession,
    unit: Unit,
    period: Period,
    *,
    due_day: int = DEFAULT_DUE_DAY,
    tz: str = DEFAULT_TZ,
    baseline_years: Iterable[int] = (),
) -> StatsData:
    """Everything /stats shows for `unit` over `period` (months that are over only).

    The child population is that of the period's last year, or of the latest earlier year
    with figures (never a later year's).
    """
    start, end = period.start, period.end
    totals = await agg.subtree_totals(session, unit.id, start, end)
    earlier = period.previous_year()
    previous = await agg.subtree_totals(session, unit.id, earlier.start, earlier.end)
    whole = await agg.completeness(session, unit.id, start, end, due_day=due_day, tz=tz)
    by_child = await agg.totals_by_child(session, unit.id, start, end)
    child_done = {
        c.unit.id: c
        for c in await agg.completeness_by_child(
            session, unit.id, start, end, due_day=due_day, tz=tz
        )
    }
    children = [ChildStats(c.unit, c.totals, child_done[c.unit.id]) for c in by_child]
    year = await population_year(session, unit.id, end.year)
    population = await agg.child_population(session, unit.id, year) if year else None
    baselines = {}
    done_before = {
        earlier.end.year: await agg.completeness(
            session, unit.id, earlier.start, earlier.end, due_day=due_day, tz=tz
        )
    }
    for base in sorted(set(baseline_years)):
        shift = end.year - base
        first, last = _shift(start, shift), _shift(end, shift)
        baselines[base] = await agg.subtree_totals(session, unit.id, first, last)
        if base not in done_before:
            done_before[base] = await agg.completeness(
                session, unit.id, first, last, due_day=due_day, tz=tz
            )
    return StatsData(
        unit=agg.UnitRef(unit.id, unit.code, unit.name, unit.level),
        plan_id=unit.plan_id,
        period=period,
        totals=totals,
        previous=previous,
        completeness=whole,
        population=population,
        population_year=year if population else None,
        children=children,
        baselines=baselines,
        earlier_completeness=done_before,
    )


async def population_year(session: AsyncSession, unit_id: int, year: int) -> int | None:
    """The year of the child population figures to use for `year` in the unit's subtree.

    That year itself if known, else the latest earlier year; None when only later years have
    figures (a later year's population is never used for an earlier period).
    """
    c = aliased(UnitClosure)
    stmt = (
        select(func.max(UnitPopulation.year))
        .join(c, c.descendant_id == UnitPopulation.unit_id)
        .where(c.ancestor_id == unit_id, UnitPopulation.year <= year)
    )
    found = await session.scalar(stmt)
    return int(found) if found is not None else None


def _shift(month: Month, years: int) -> Month:
    return Month(month.year - years, month.month)


async def monthly_series(
    session: AsyncSession, unit_id: int, start: Month, end: Month
) -> list[tuple[Month, dict[str, int | None]]]:
    """Category totals per month for the chart; months without any report are left out."""
    series = await agg.monthly_series(session, unit_id, start, end)
    return [(month, totals.counts.as_dict()) for month, totals in series if totals.reports]


async def export_rows(
    session: AsyncSession,
    unit_id: int,
    start: Month,
    end: Month,
    *,
    due_day: int = DEFAULT_DUE_DAY,
    tz: str = DEFAULT_TZ,
) -> list[dict[str, Any]]:
    """The subtree's reports in ``start..end`` as :mod:`reports.export` rows (unit, month)."""
    c = aliased(UnitClosure)
    stmt = (
        select(
            Unit.code, Unit.name, Report.year, Report.month, Report.submitted_at,
            Report.version, *(getattr(Report, name) for name in FIELDS),
        )
        .select_from(c)
        .join(Report, Report.unit_id == c.descendant_id)
        .join(Unit, Unit.id == Report.unit_id)
        .where(
            c.ancestor_id == unit_id,
            Report.period.between(period_of(start), period_of(end)),
        )
        .order_by(Unit.code, Report.period)
    )
    rows = []
    for row in await session.execute(stmt):
        month = Month(row.year, row.month)
        submitted = row.submitted_at
        rows.append({
            "unit_code": row.code,
            "unit_name": row.name,
            "year": row.year,
            "month": row.month,
            **{name: getattr(row, name) for name in FIELDS},
            "submitted_at": submitted,
            "on_time": submitted < due_deadline(month, due_day, tz) if submitted else None,
            "version": row.version,
        })
    return rows


async def people_counts_by_child(
    session: AsyncSession, unit_id: int, *, active_only: bool = True
) -> dict[int, int]:
    """Number of people attached to each direct child unit's subtree (children with none: 0)."""
    children = (
        await session.scalars(select(Unit.id).where(Unit.parent_id == unit_id))
    ).all()
    return await people_counts(session, children, active_only=active_only)


async def people_counts(
    session: AsyncSession, unit_ids: Sequence[int], *, active_only: bool = True
) -> dict[int, int]:
    """People in each unit's subtree, counted in one GROUP BY."""
    if not unit_ids:
        return {}
    c = aliased(UnitClosure)
    stmt = (
        select(c.ancestor_id, func.count(Person.id).label("n"))
        .select_from(c)
        .join(Person, Person.unit_id == c.descendant_id)
        .where(c.ancestor_id.in_(unit_ids))
        .group_by(c.ancestor_id)
    )
    if active_only:
        stmt = stmt.where(Person.active.is_(True))
    found = {row.ancestor_id: int(row.n) for row in await session.execute(stmt)}
    return {uid: found.get(uid, 0) for uid in unit_ids}


async def people_listing(
    session: AsyncSession, unit_id: int | None, *, limit: int = 50
) -> tuple[list[tuple[Person, Unit | None]], int]:
    """People of a subtree (``None``: everyone), active first, with their units; and the count."""
    stmt = select(Person, Unit).outerjoin(Unit, Unit.id == Person.unit_id)
    count = select(func.count(Person.id))
    if unit_id is not None:
        c = aliased(UnitClosure)
        stmt = stmt.join(c, c.descendant_id == Person.unit_id).where(c.ancestor_id == unit_id)
        count = count.join(c, c.descendant_id == Person.unit_id).where(c.ancestor_id == unit_id)
    else:
        stmt = stmt.where(Person.role.is_not(None))
        count = count.where(Person.role.is_not(None))
    stmt = stmt.order_by(Person.active.desc(), Unit.code, Person.id).limit(limit)
    rows = [(person, unit) for person, unit in (await session.execute(stmt)).all()]
    return rows, int(await session.scalar(count) or 0)
