"""Reminders already sent: each (person, month, kind) is sent at most once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.calendar import Month
from storage.models import Nudge
from storage.types import utcnow
from storage.upsert import insert_ignore


async def record_nudge(
    session: AsyncSession, person_id: int, month: Month, kind: str, now: datetime | None = None
) -> bool:
    """Claim the right to send this reminder; True only for the first caller (race-safe)."""
    return await insert_ignore(
        session,
        Nudge,
        {"person_id": person_id, "year": month.year, "month": month.month, "kind": kind,
         "sent_at": now or utcnow()},
    )


async def was_sent(session: AsyncSession, person_id: int, month: Month, kind: str) -> bool:
    found = await session.scalar(
        select(Nudge.id).where(
            Nudge.person_id == person_id, Nudge.year == month.year,
            Nudge.month == month.month, Nudge.kind == kind,
        )
    )
    return found is not None


async def sent_kinds(session: AsyncSession, person_id: int, month: Month) -> set[str]:
    rows = await session.scalars(
        select(Nudge.kind).where(
            Nudge.person_id == person_id, Nudge.year == month.year, Nudge.month == month.month
        )
    )
    return set(rows.all())
