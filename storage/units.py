"""Administrative units: reading the tree (by code, by id, subtrees, ancestors, populations).

Changes to the tree are in :mod:`storage.unit_tree`; the CSV import and the tree's rules are
the use cases' (usecases.units)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import ConnectionSource
from storage.models import Unit, UnitClosure, UnitPopulation


@dataclass(frozen=True, slots=True)
class UnitSnapshot:
    """A read-only copy of a unit's row: what access checks read, cheaper to build than a
    detached ORM instance. Load the unit with :func:`unit_by_code` to change it."""

    id: int
    code: str
    name: str
    level: str
    parent_id: int | None
    plan_id: str | None
    active: bool


# ---------------------------------------------------------------------------- queries


async def unit_by_code(session: AsyncSession, code: str) -> Unit | None:
    return await session.scalar(select(Unit).where(Unit.code == code.strip()))


async def unit_by_id(session: AsyncSession, unit_id: int) -> Unit | None:
    return await session.get(Unit, unit_id)


_UNIT_COLUMNS = select(*Unit.__table__.c)
_UNIT_BY_CODE = _UNIT_COLUMNS.where(Unit.__table__.c.code == bindparam("code"))
_UNIT_BY_ID = _UNIT_COLUMNS.where(Unit.__table__.c.id == bindparam("id"))
_CLOSURE_DEPTH = select(UnitClosure.depth).where(
    UnitClosure.ancestor_id == bindparam("ancestor"),
    UnitClosure.descendant_id == bindparam("unit"),
)


async def unit_snapshot(
    session: ConnectionSource, *, code: str | None = None, unit_id: int | None = None
) -> UnitSnapshot | None:
    """A read-only copy of the unit by code or id: a quick Core read."""
    if code is not None:
        stmt, params = _UNIT_BY_CODE, {"code": code.strip()}
    else:
        stmt, params = _UNIT_BY_ID, {"id": unit_id}
    connection = await session.connection()
    row = (await connection.execute(stmt, params)).first()
    return None if row is None else UnitSnapshot(**row._mapping)


async def units_in_subtree(
    session: AsyncSession,
    unit_id: int,
    *,
    level: str | None = None,
    active_only: bool = False,
    include_self: bool = True,
) -> Sequence[Unit]:
    """The unit and everything below it (one indexed lookup in the closure table)."""
    stmt = (
        select(Unit)
        .join(UnitClosure, UnitClosure.descendant_id == Unit.id)
        .where(UnitClosure.ancestor_id == unit_id)
        .order_by(UnitClosure.depth, Unit.code)
    )
    if not include_self:
        stmt = stmt.where(UnitClosure.depth > 0)
    if level is not None:
        stmt = stmt.where(Unit.level == level)
    if active_only:
        stmt = stmt.where(Unit.active.is_(True))
    return (await session.scalars(stmt)).all()


async def child_units(session: AsyncSession, unit_id: int) -> Sequence[Unit]:
    stmt = select(Unit).where(Unit.parent_id == unit_id).order_by(Unit.code)
    return (await session.scalars(stmt)).all()


async def root_units(session: AsyncSession) -> Sequence[Unit]:
    stmt = select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.code)
    return (await session.scalars(stmt)).all()


async def ancestors(session: AsyncSession, unit_id: int) -> Sequence[Unit]:
    """The unit's ancestors from the root down (the unit itself excluded)."""
    stmt = (
        select(Unit)
        .join(UnitClosure, UnitClosure.ancestor_id == Unit.id)
        .where(UnitClosure.descendant_id == unit_id, UnitClosure.depth > 0)
        .order_by(UnitClosure.depth.desc())
    )
    return (await session.scalars(stmt)).all()


async def is_within(session: ConnectionSource, unit_id: int, ancestor_id: int) -> bool:
    """True if `unit_id` is `ancestor_id` or below it (for supervisors' access checks)."""
    connection = await session.connection()
    params = {"ancestor": ancestor_id, "unit": unit_id}
    return await connection.scalar(_CLOSURE_DEPTH, params) is not None


async def first_code_in_subtree(
    session: ConnectionSource, unit_id: int, *, level: str
) -> str | None:
    """The code of the first active unit of `level` in the unit's subtree (as
    :func:`units_in_subtree` orders them), if any: an example to offer."""
    connection = await session.connection()
    stmt = (
        select(Unit.code)
        .join(UnitClosure, UnitClosure.descendant_id == Unit.id)
        .where(UnitClosure.ancestor_id == unit_id, Unit.level == level, Unit.active.is_(True))
        .order_by(UnitClosure.depth, Unit.code)
        .limit(1)
    )
    return await connection.scalar(stmt)


async def active_below(
    session: AsyncSession, unit_id: int, *, limit: int = 5
) -> tuple[int, list[Unit]]:
    """How many active units are below `unit_id` (itself excluded), and the first few."""
    below = (
        select(UnitClosure.descendant_id)
        .where(UnitClosure.ancestor_id == unit_id, UnitClosure.depth > 0)
    )
    condition = (Unit.id.in_(below), Unit.active.is_(True))
    total = await session.scalar(select(func.count()).select_from(Unit).where(*condition))
    first = (
        await session.scalars(select(Unit).where(*condition).order_by(Unit.code).limit(limit))
    ).all()
    return int(total or 0), list(first)


async def population_of(session: AsyncSession, unit_id: int, year: int) -> int | None:
    row = await session.get(UnitPopulation, (unit_id, year))
    return None if row is None else row.child_population


async def unit_names(session: ConnectionSource) -> list[str]:
    """The name of every unit (the privacy screen reads them as places, not people)."""
    connection = await session.connection()
    return list((await connection.execute(select(Unit.name))).scalars())


async def unit_plan_links(session: ConnectionSource) -> list[tuple[int, int | None, str | None]]:
    """(unit id, parent id, own plan id) of every unit, to find the plan each one follows."""
    connection = await session.connection()
    rows = await connection.execute(select(Unit.id, Unit.parent_id, Unit.plan_id))
    return [(r.id, r.parent_id, r.plan_id) for r in rows]
