"""Database reads and writes of the reminder scheduler (bulk, one query per question)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.calendar import Month
from storage.models import (
    REPORTING_LEVEL,
    Nudge,
    Person,
    Report,
    Unit,
    UnitClosure,
    period_of,
)


@dataclass(frozen=True)
class UnitStatus:
    """A reporting unit and whether (and when) it reported a month."""

    id: int
    code: str
    name: str
    submitted_at: datetime | None

    @property
    def reported(self) -> bool:
        return self.submitted_at is not None



def _reachable() -> tuple:
    return (
        Person.active.is_(True),
        Person.blocked_at.is_(None),
        Person.reminders_enabled.is_(True),
    )


async def reachable_officers(
    session: AsyncSession, within_unit_id: int | None = None
) -> Sequence[tuple[Person, Unit]]:
    """Officers of active reporting units who want reminders and have not blocked the bot."""
    stmt = (
        select(Person, Unit)
        .join(Unit, Unit.id == Person.unit_id)
        .where(
            Person.role == "officer", *_reachable(),
            Unit.active.is_(True), Unit.level == REPORTING_LEVEL,
        )
        .order_by(Person.id)
    )
    if within_unit_id is not None:
        stmt = stmt.join(
            UnitClosure,
            and_(UnitClosure.descendant_id == Unit.id, UnitClosure.ancestor_id == within_unit_id),
        )
    return [(p, u) for p, u in (await session.execute(stmt)).all()]


async def reachable_supervisors(session: AsyncSession) -> Sequence[tuple[Person, Unit]]:
    """Supervisors with a unit who want reminders and have not blocked the bot."""
    stmt = (
        select(Person, Unit)
        .join(Unit, Unit.id == Person.unit_id)
        .where(Person.role == "supervisor", *_reachable())
        .order_by(Person.id)
    )
    return [(p, u) for p, u in (await session.execute(stmt)).all()]


async def reported_units(
    session: AsyncSession, month: Month, unit_ids: Collection[int] | None = None
) -> set[int]:
    """Units with a report for ``month`` (optionally only among ``unit_ids``)."""
    stmt = select(Report.unit_id).where(Report.period == period_of(month))
    if unit_ids is not None:
        if not unit_ids:
            return set()
        stmt = stmt.where(Report.unit_id.in_(list(unit_ids)))
    return set((await session.scalars(stmt)).all())


async def sent_to(
    session: AsyncSession, month: Month, kinds: Collection[str]
) -> set[tuple[int, str]]:
    """(person id, kind) pairs already recorded for ``month``."""
    if not kinds:
        return set()
    rows = await session.execute(
        select(Nudge.person_id, Nudge.kind).where(
            Nudge.year == month.year, Nudge.month == month.month, Nudge.kind.in_(list(kinds))
        )
    )
    return {(person_id, kind) for person_id, kind in rows.all()}


async def still_reachable(session: AsyncSession, person_ids: Collection[int]) -> set[int]:
    if not person_ids:
        return set()
    stmt = select(Person.id).where(Person.id.in_(list(person_ids)), *_reachable())
    return set((await session.scalars(stmt)).all())


async def unit_statuses(
    session: AsyncSession, unit_id: int | None, month: Month
) -> list[UnitStatus]:
    """Active reporting units under ``unit_id`` (all when None) and their report for ``month``."""
    stmt = (
        select(Unit.id, Unit.code, Unit.name, Report.submitted_at)
        .outerjoin(Report, and_(Report.unit_id == Unit.id, Report.period == period_of(month)))
        .where(Unit.active.is_(True), Unit.level == REPORTING_LEVEL)
        .order_by(Unit.name, Unit.code)
    )
    if unit_id is not None:
        stmt = stmt.join(
            UnitClosure,
            and_(UnitClosure.descendant_id == Unit.id, UnitClosure.ancestor_id == unit_id),
        )
    return [UnitStatus(*row) for row in (await session.execute(stmt)).all()]


async def forget_nudge(session: AsyncSession, person_id: int, month: Month, kind: str) -> None:
    """Drop a claim whose message could not be delivered, so a later tick may try again."""
    await session.execute(
        delete(Nudge)
        .where(
            Nudge.person_id == person_id, Nudge.year == month.year,
            Nudge.month == month.month, Nudge.kind == kind,
        )
        .execution_options(synchronize_session=False)
    )
