"""The access log: every read of report data and every export is recorded."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import ConnectionSource
from storage.models import AccessLog
from storage.types import as_utc, utcnow


async def log_access(
    session: ConnectionSource,
    person_id: int | None,
    action: str,
    *,
    unit_id: int | None = None,
    detail: str | None = None,
    now: datetime | None = None,
) -> int:
    """Record one access, e.g. ``action="stats"``, ``"export_csv"``, ``"view_reports"``;
    ``detail`` holds codes, ids or periods, never a typed text. Returns the entry's id."""
    connection = await session.connection()
    result = await connection.execute(_INSERT, {
        "person_id": person_id, "action": action, "unit_id": unit_id, "detail": detail,
        "at": as_utc(now or utcnow()),
    })
    return int(result.scalar_one())


_INSERT = insert(AccessLog).returning(AccessLog.id)


async def log_refusal(
    db: Any, person_id: int | None, why: str, *, unit_id: int | None = None,
    now: datetime | None = None,
) -> None:
    """Record a refused data request (``action="refused"``) in its own transaction; ``why``
    is a fixed code such as "group_chat", "not_member", "out_of_scope", never typed text."""
    async with db.quick(write=True) as session:
        await log_access(session, person_id, "refused", unit_id=unit_id, detail=why, now=now)
        await session.commit()


async def recent_access(
    session: AsyncSession,
    *,
    person_id: int | None = None,
    unit_id: int | None = None,
    since: datetime | None = None,
    limit: int = 100,
) -> Sequence[AccessLog]:
    """Newest entries first, optionally filtered."""
    stmt = select(AccessLog).order_by(AccessLog.at.desc(), AccessLog.id.desc()).limit(limit)
    if person_id is not None:
        stmt = stmt.where(AccessLog.person_id == person_id)
    if unit_id is not None:
        stmt = stmt.where(AccessLog.unit_id == unit_id)
    if since is not None:
        stmt = stmt.where(AccessLog.at >= since)
    return (await session.scalars(stmt)).all()
