"""Reads for the supervisors' dashboard (Mini App): who reported a month, unit by unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from kernel.calendar import Month
from storage.db import ConnectionSource
from storage.models import REPORTING_LEVEL, Report, Unit, UnitClosure, period_of
from storage.types import UTCDateTime, as_utc


@dataclass(frozen=True)
class UnitCompleteness:
    """One unit's reporting communes for a month: on time, late, missing.

    For a commune itself: one of the three is 1 (``submitted_at`` when it reported)."""

    unit_id: int
    code: str
    name: str
    level: str
    communes: int
    on_time: int
    late: int
    submitted_at: datetime | None = None

    @property
    def missing(self) -> int:
        return self.communes - self.on_time - self.late



def _statements() -> tuple[Any, Any, Any, Any]:
    """Built once (a province's page is asked for often): unit, per child, children, whole."""
    commune, child, below = aliased(Unit), aliased(Unit), aliased(UnitClosure)
    deadline = bindparam("deadline", type_=UTCDateTime())
    submitted = Report.submitted_at
    counts = (
        func.count(),
        func.sum(case((and_(Report.id.is_not(None), submitted < deadline), 1), else_=0)),
        func.sum(case((and_(Report.id.is_not(None), submitted >= deadline), 1), else_=0)),
        func.max(submitted),
    )
    report = and_(Report.unit_id == commune.id, Report.period == bindparam("period"))
    reporting = (commune.level == REPORTING_LEVEL, commune.active.is_(True))
    unit = select(Unit.id, Unit.code, Unit.name, Unit.level).where(Unit.id == bindparam("unit"))
    per_child = (
        select(below.ancestor_id, *counts)
        .select_from(below)
        .join(commune, commune.id == below.descendant_id)
        .join(child, child.id == below.ancestor_id)
        .outerjoin(Report, report)
        .where(child.parent_id == bindparam("unit"), child.active.is_(True), *reporting)
        .group_by(below.ancestor_id)
    )
    children = (
        select(Unit.id, Unit.code, Unit.name, Unit.level)
        .where(Unit.parent_id == bindparam("unit"), Unit.active.is_(True))
        .order_by(Unit.name, Unit.code)
    )
    whole = (
        select(*counts)
        .select_from(below)
        .join(commune, commune.id == below.descendant_id)
        .outerjoin(Report, report)
        .where(below.ancestor_id == bindparam("unit"), *reporting)
    )
    return unit, per_child, children, whole


_UNIT, _PER_CHILD, _CHILDREN, _WHOLE = _statements()


async def completeness_rows(
    session: AsyncSession | ConnectionSource, unit_id: int, month: Month, deadline: datetime
) -> tuple[UnitCompleteness, list[UnitCompleteness]]:
    """The unit's own figures and those of each active child (a commune: itself only).

    One statement groups the communes under each child with their report for ``month`` (on
    time: submitted before ``deadline``); the unit's figures are the children's sum (every
    commune lies under exactly one child); one more lists the children.
    """
    params = {"unit": unit_id, "period": period_of(month), "deadline": as_utc(deadline)}
    unit = (await session.execute(_UNIT, params)).one()
    if unit.level == REPORTING_LEVEL:
        row = (await session.execute(_WHOLE, params)).one()
        own = UnitCompleteness(unit.id, unit.code, unit.name, unit.level, int(row[0]),
                               int(row[1] or 0), int(row[2] or 0), row[3])
        return own, [own]
    rows = {r[0]: (int(r[1]), int(r[2] or 0), int(r[3] or 0), r[4])
            for r in await session.execute(_PER_CHILD, params)}
    listed = [
        UnitCompleteness(c.id, c.code, c.name, c.level, *rows.get(c.id, (0, 0, 0, None)))
        for c in await session.execute(_CHILDREN, params)
    ]
    own = UnitCompleteness(
        unit.id, unit.code, unit.name, unit.level,
        sum(r.communes for r in listed), sum(r.on_time for r in listed),
        sum(r.late for r in listed),
        max((r.submitted_at for r in listed if r.submitted_at), default=None),
    )
    return own, listed
