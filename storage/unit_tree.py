"""Changing the unit tree: add, rename, move, turn off or on, child population; the closure
table (one row per ancestor/descendant pair) kept in step."""

from __future__ import annotations

from sqlalchemy import delete, insert, literal, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import LEVELS, Unit, UnitClosure, UnitPopulation
from storage.units import is_within


class UnitTreeError(ValueError):
    """A change would break the unit tree (cycle, unknown unit)."""


async def add_unit(
    session: AsyncSession,
    code: str,
    name: str,
    level: str,
    parent_id: int | None = None,
    plan_id: str | None = None,
) -> Unit:
    """Create one unit under `parent_id` (plan inherited from the parent when not given)."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")
    if plan_id is None and parent_id is not None:
        plan_id = (await _existing_unit(session, parent_id)).plan_id
    unit = Unit(code=code, name=name, level=level, parent_id=parent_id, plan_id=plan_id,
                active=True)
    session.add(unit)
    await session.flush()
    await _link(session, unit.id, parent_id)
    return unit


async def move_unit(session: AsyncSession, unit_id: int, new_parent_id: int | None) -> None:
    """Re-attach a unit (and its subtree) under another parent."""
    unit = await _existing_unit(session, unit_id)
    if new_parent_id is not None:
        await _existing_unit(session, new_parent_id)
        if await is_within(session, new_parent_id, unit_id):
            raise UnitTreeError("a unit cannot move below itself")
    if unit.parent_id == new_parent_id:
        return
    subtree = select(UnitClosure.descendant_id).where(UnitClosure.ancestor_id == unit_id)
    old_ancestors = select(UnitClosure.ancestor_id).where(
        UnitClosure.descendant_id == unit_id, UnitClosure.depth > 0
    )
    await session.execute(
        delete(UnitClosure).where(
            UnitClosure.descendant_id.in_(subtree), UnitClosure.ancestor_id.in_(old_ancestors)
        )
    )
    if new_parent_id is not None:
        up, down = aliased(UnitClosure), aliased(UnitClosure)
        pairs = (
            select(up.ancestor_id, down.descendant_id, up.depth + down.depth + 1)
            .select_from(up)
            .join(down, true())  # every ancestor of the new parent x every unit of the subtree
            .where(up.descendant_id == new_parent_id, down.ancestor_id == unit_id)
        )
        await session.execute(
            insert(UnitClosure).from_select(["ancestor_id", "descendant_id", "depth"], pairs)
        )
    unit.parent_id = new_parent_id
    await session.flush()


async def rename_unit(session: AsyncSession, unit_id: int, name: str) -> None:
    unit = await _existing_unit(session, unit_id)
    unit.name = name
    await session.flush()


async def set_active(session: AsyncSession, unit_id: int, active: bool) -> None:
    unit = await _existing_unit(session, unit_id)
    unit.active = active
    await session.flush()


async def set_population(
    session: AsyncSession, unit_id: int, year: int, child_population: int
) -> None:
    row = await session.get(UnitPopulation, (unit_id, year))
    if row is None:
        session.add(UnitPopulation(unit_id=unit_id, year=year, child_population=child_population))
    else:
        row.child_population = child_population
    await session.flush()


async def replace_plan_below(
    session: AsyncSession, unit_id: int, old_plan_id: str | None, new_plan_id: str | None
) -> int:
    """Give the unit and the units below it that had `old_plan_id` the plan `new_plan_id`.

    For a move: units that inherited their old parent's plan take the new parent's; units
    with a plan of their own keep it. Returns how many units changed.
    """
    if old_plan_id == new_plan_id:
        return 0
    subtree = select(UnitClosure.descendant_id).where(UnitClosure.ancestor_id == unit_id)
    same_plan = (
        Unit.plan_id.is_(None) if old_plan_id is None else Unit.plan_id == old_plan_id
    )
    result = await session.execute(
        update(Unit)
        .where(Unit.id.in_(subtree), same_plan)
        .values(plan_id=new_plan_id)
        .execution_options(synchronize_session="fetch")
    )
    await session.flush()
    return int(result.rowcount or 0)


async def _existing_unit(session: AsyncSession, unit_id: int) -> Unit:
    unit = await session.get(Unit, unit_id)
    if unit is None:
        raise UnitTreeError(f"no unit with id {unit_id}")
    return unit


async def _link(session: AsyncSession, unit_id: int, parent_id: int | None) -> None:
    """Closure rows for a new leaf: itself at depth 0 and each ancestor of the parent."""
    await session.execute(
        insert(UnitClosure).values(ancestor_id=unit_id, descendant_id=unit_id, depth=0)
    )
    if parent_id is not None:
        pairs = select(
            UnitClosure.ancestor_id, literal(unit_id), UnitClosure.depth + 1
        ).where(UnitClosure.descendant_id == parent_id)
        await session.execute(
            insert(UnitClosure).from_select(["ancestor_id", "descendant_id", "depth"], pairs)
        )
