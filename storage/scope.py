"""Who may see which units: admins everything, supervisors a subtree, officers one unit.

A unit outside the caller's scope is reported exactly like an unknown unit (``None``), so a
refusal never reveals that a code exists.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Person, Unit
from storage.units import is_within, unit_by_code

ADMIN, SUPERVISOR, OFFICER = "admin", "supervisor", "officer"


@dataclass(frozen=True)
class Scope:
    """The effective access of one person (``role`` None: no access to report data)."""

    person_id: int | None
    role: str | None
    unit_id: int | None

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def is_supervisor(self) -> bool:
        return self.role == SUPERVISOR

    @property
    def can_read(self) -> bool:
        return self.role is not None


def scope_of(person: Person, admin_ids: Collection[int]) -> Scope:
    """Admins by Telegram id (always) or by role; others need an active role and a unit."""
    if person.telegram_id in admin_ids:
        return Scope(person.id, ADMIN, person.unit_id)
    if not person.active or person.role is None:
        return Scope(person.id, None, None)
    if person.role == ADMIN:
        return Scope(person.id, ADMIN, person.unit_id)
    if person.unit_id is None:
        return Scope(person.id, None, None)
    return Scope(person.id, person.role, person.unit_id)


async def can_see(session: AsyncSession, scope: Scope, unit_id: int) -> bool:
    if scope.is_admin:
        return True
    if scope.unit_id is None:
        return False
    if scope.is_supervisor:
        return await is_within(session, unit_id, scope.unit_id)
    if scope.role == OFFICER:
        return unit_id == scope.unit_id
    return False


async def find_unit(session: AsyncSession, code: str) -> Unit | None:
    """A unit by code: exact first, then ignoring case."""
    code = code.strip()
    if not code:
        return None
    unit = await unit_by_code(session, code)
    if unit is None:
        unit = await session.scalar(
            select(Unit).where(func.lower(Unit.code) == code.lower()).limit(1)
        )
    return unit


async def visible_unit(session: AsyncSession, scope: Scope, code: str) -> Unit | None:
    """The unit with this code if the scope covers it; None if unknown *or* out of scope."""
    unit = await find_unit(session, code)
    if unit is None or not await can_see(session, scope, unit.id):
        return None
    return unit


async def home_unit(session: AsyncSession, scope: Scope) -> Unit | None:
    """The caller's default unit: their own, or for an admin without one the only root."""
    if scope.unit_id is not None:
        return await session.get(Unit, scope.unit_id)
    if not scope.is_admin:
        return None
    roots = (await session.scalars(select(Unit).where(Unit.parent_id.is_(None)).limit(2))).all()
    return roots[0] if len(roots) == 1 else None
