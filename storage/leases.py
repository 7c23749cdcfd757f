"""Expiring named leases, so only one of several bot instances runs a singleton job.

All operations are single statements decided by the database, hence race-safe on
PostgreSQL (row locks) and SQLite (one writer at a time).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Lease
from storage.types import as_utc, utcnow
from storage.upsert import insert_ignore


async def acquire(
    session: AsyncSession, name: str, holder: str, ttl: timedelta, now: datetime | None = None
) -> bool:
    """Take the lease if it is free, expired or already ours; True if we hold it now."""
    now = as_utc(now or utcnow())
    values = {"name": name, "holder": holder, "expires_at": now + ttl}
    if await insert_ignore(session, Lease, values):
        return True
    result = await session.execute(
        update(Lease)
        .where(Lease.name == name, or_(Lease.holder == holder, Lease.expires_at <= now))
        .values(holder=holder, expires_at=now + ttl)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)


async def renew(
    session: AsyncSession, name: str, holder: str, ttl: timedelta, now: datetime | None = None
) -> bool:
    """Extend our lease; False if someone else took it after it expired (or it is gone)."""
    now = as_utc(now or utcnow())
    result = await session.execute(
        update(Lease)
        .where(Lease.name == name, Lease.holder == holder)
        .values(expires_at=now + ttl)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)


async def release(session: AsyncSession, name: str, holder: str) -> bool:
    """Give the lease up (only if we hold it)."""
    result = await session.execute(
        delete(Lease).where(Lease.name == name, Lease.holder == holder)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)


async def holder_of(
    session: AsyncSession, name: str, now: datetime | None = None
) -> str | None:
    """Who holds the lease now (None if free or expired)."""
    now = as_utc(now or utcnow())
    return await session.scalar(
        select(Lease.holder).where(Lease.name == name, Lease.expires_at > now)
    )
