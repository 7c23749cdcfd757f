"""Processed Telegram update ids, so a re-delivered update is handled only once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedUpdate
from storage.types import utcnow
from storage.upsert import insert_ignore


async def mark_processed(
    session: AsyncSession, update_id: int, now: datetime | None = None
) -> bool:
    """True the first time an update id is seen (race-safe across instances)."""
    return await insert_ignore(
        session, ProcessedUpdate, {"update_id": update_id, "processed_at": now or utcnow()}
    )


async def prune_processed(
    session: AsyncSession, older_than: timedelta = timedelta(days=2), now: datetime | None = None
) -> int:
    """Forget ids older than `older_than` (Telegram keeps updates for 24 hours)."""
    cutoff = (now or utcnow()) - older_than
    result = await session.execute(
        delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < cutoff)
    )
    return result.rowcount or 0
