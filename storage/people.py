"""People: Telegram users, their preferences, roles and units."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import ConnectionSource
from storage.models import ROLES, Person, UnitClosure
from storage.types import utcnow
from storage.upsert import insert_ignore

_UNSET = object()


async def get_person(session: AsyncSession, telegram_id: int) -> Person | None:
    return await session.scalar(select(Person).where(Person.telegram_id == telegram_id))


async def person_by_id(session: AsyncSession, person_id: int) -> Person | None:
    return await session.get(Person, person_id)


async def get_or_create_person(
    session: AsyncSession,
    telegram_id: int,
    language_code: str | None = None,
    *,
    display_name: str | None = None,
    now: datetime | None = None,
) -> Person:
    """The person with this Telegram id, created on first contact (race-safe).

    ``language_code`` is stored only when the person is created (later changes go through
    :func:`set_language`); ``display_name`` is refreshed when it changed.
    """
    person = await get_person(session, telegram_id)
    if person is None:
        await insert_ignore(
            session,
            Person,
            {
                "telegram_id": telegram_id,
                "display_name": display_name,
                "language": language_code,
                "active": True,
                "reminders_enabled": True,
                "created_at": now or utcnow(),
            },
        )
        person = await get_person(session, telegram_id)
        assert person is not None
    elif display_name and person.display_name != display_name:
        person.display_name = display_name
        await session.flush()
    return person


async def record_contact(
    session: ConnectionSource, telegram_id: int, display_name: str | None,
    now: datetime | None = None,
) -> None:
    """First contact or a new display name, by Core statements (race-safe): the person's row
    exists afterwards with this name, and is unblocked (they wrote to us: reachable again)."""
    await insert_ignore(session, Person, {
        "telegram_id": telegram_id, "display_name": display_name, "language": None,
        "active": True, "reminders_enabled": True, "created_at": now or utcnow(),
    })
    connection = await session.connection()
    await connection.execute(_CONTACT, {"tid": telegram_id, "name": display_name})


_CONTACT = (
    update(Person.__table__)
    .where(Person.__table__.c.telegram_id == bindparam("tid"))
    .values(display_name=func.coalesce(bindparam("name"), Person.__table__.c.display_name),
            blocked_at=None)
)


async def set_language(session: AsyncSession, telegram_id: int, language: str | None) -> Person:
    person = await get_or_create_person(session, telegram_id)
    person.language = language
    await session.flush()
    return person


async def set_plan(session: AsyncSession, telegram_id: int, plan_id: str | None) -> Person:
    person = await get_or_create_person(session, telegram_id)
    person.plan_id = plan_id
    await session.flush()
    return person


async def set_reminders(session: AsyncSession, telegram_id: int, enabled: bool) -> Person:
    person = await get_or_create_person(session, telegram_id)
    person.reminders_enabled = enabled
    await session.flush()
    return person


async def set_role(
    session: AsyncSession,
    telegram_id: int,
    role: str | None,
    unit_id: int | None | object = _UNSET,
) -> Person:
    """Give a role (admin/supervisor/officer, or None) and optionally a unit."""
    if role is not None and role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    person = await get_or_create_person(session, telegram_id)
    person.role = role
    if unit_id is not _UNSET:
        person.unit_id = unit_id  # type: ignore[assignment]
    person.active = True
    await session.flush()
    return person


async def set_unit(session: AsyncSession, telegram_id: int, unit_id: int | None) -> Person:
    person = await get_or_create_person(session, telegram_id)
    person.unit_id = unit_id
    await session.flush()
    return person


async def deactivate(session: AsyncSession, telegram_id: int) -> bool:
    """Withdraw access (role kept for the record); True if the person existed."""
    result = await session.execute(
        update(Person).where(Person.telegram_id == telegram_id).values(active=False)
    )
    return bool(result.rowcount)


async def mark_blocked(
    session: AsyncSession, telegram_id: int, now: datetime | None = None
) -> bool:
    """Record that the user blocked the bot (no more messages to them)."""
    result = await session.execute(
        update(Person)
        .where(Person.telegram_id == telegram_id)
        .values(blocked_at=now or utcnow())
    )
    return bool(result.rowcount)


async def mark_unblocked(session: AsyncSession, telegram_id: int) -> bool:
    result = await session.execute(
        update(Person).where(Person.telegram_id == telegram_id).values(blocked_at=None)
    )
    return bool(result.rowcount)


async def people_in_subtree(
    session: AsyncSession,
    unit_id: int,
    *,
    role: str | None = None,
    active_only: bool = True,
    reachable_only: bool = False,
) -> Sequence[Person]:
    """People attached to the unit or any unit below it.

    ``reachable_only`` keeps only active people who have not blocked the bot and want reminders.
    """
    stmt = (
        select(Person)
        .join(UnitClosure, UnitClosure.descendant_id == Person.unit_id)
        .where(UnitClosure.ancestor_id == unit_id)
        .order_by(Person.id)
    )
    if role is not None:
        stmt = stmt.where(Person.role == role)
    if active_only or reachable_only:
        stmt = stmt.where(Person.active.is_(True))
    if reachable_only:
        stmt = stmt.where(Person.blocked_at.is_(None), Person.reminders_enabled.is_(True))
    return (await session.scalars(stmt)).all()
