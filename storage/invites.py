"""Invite codes: created by admins/supervisors, redeemed once to get a role in a unit.

Only a SHA-256 hash of each code is stored; the plain code is returned once, at creation.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import people
from storage.models import ROLES, AccessLog, Invite, Person
from storage.types import as_utc, utcnow

DEFAULT_TTL = timedelta(days=7)
#: Access-log action of a wrong invite code (counted to slow down guessing).
INVITE_FAILED = "invite_failed"


class RedeemStatus(StrEnum):
    OK = "ok"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"


@dataclass(frozen=True)
class RedeemResult:
    status: RedeemStatus
    invite: Invite | None = None
    person: Person | None = None

    @property
    def ok(self) -> bool:
        return self.status is RedeemStatus.OK


def hash_code(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


async def create_invite(
    session: AsyncSession,
    unit_id: int,
    role: str,
    *,
    created_by: int | None = None,
    ttl: timedelta = DEFAULT_TTL,
    now: datetime | None = None,
) -> tuple[str, Invite]:
    """A new invite; returns ``(plain_code, invite)`` — the plain code is not stored."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    now = now or utcnow()
    code = secrets.token_urlsafe(16)
    invite = Invite(
        code_hash=hash_code(code), unit_id=unit_id, role=role, expires_at=now + ttl,
        created_by=created_by, created_at=now,
    )
    session.add(invite)
    await session.flush()
    return code, invite


async def open_invite(
    session: AsyncSession, code: str, now: datetime | None = None
) -> Invite | None:
    """The invite with this code if it can still be used (not used, not expired), without
    using it; None otherwise."""
    now = as_utc(now or utcnow())
    return await session.scalar(
        select(Invite).where(Invite.code_hash == hash_code(code), Invite.used_at.is_(None),
                             Invite.expires_at > now)
    )


async def redeem_invite(
    session: AsyncSession,
    code: str,
    telegram_id: int,
    *,
    display_name: str | None = None,
    now: datetime | None = None,
) -> RedeemResult:
    """Use an invite once (atomic: of two concurrent redeemers exactly one succeeds).

    On success the person gets the invite's role and unit and is (re)activated.
    """
    now = as_utc(now or utcnow())
    digest = hash_code(code)
    person = await people.get_or_create_person(session, telegram_id, display_name=display_name)
    claimed = await session.execute(
        update(Invite)
        .where(Invite.code_hash == digest, Invite.used_at.is_(None), Invite.expires_at > now)
        .values(used_by=person.id, used_at=now)
        .execution_options(synchronize_session=False)
    )
    invite = await session.scalar(select(Invite).where(Invite.code_hash == digest))
    if not claimed.rowcount:
        if invite is None:
            return RedeemResult(RedeemStatus.UNKNOWN)
        if invite.used_at is not None:
            return RedeemResult(RedeemStatus.USED, invite)
        return RedeemResult(RedeemStatus.EXPIRED, invite)
    assert invite is not None
    await session.refresh(invite)
    person.role, person.unit_id, person.active = invite.role, invite.unit_id, True
    await session.flush()
    return RedeemResult(RedeemStatus.OK, invite, person)


async def revoke_invites_by(
    session: AsyncSession, person_id: int, now: datetime | None = None
) -> int:
    """Expire now every unused invite that ``person_id`` created (they lost their access, so
    the invites they handed out lose theirs); returns how many were still open."""
    now = now or utcnow()
    result = await session.execute(
        update(Invite)
        .where(Invite.created_by == person_id, Invite.used_at.is_(None), Invite.expires_at > now)
        .values(expires_at=now)
    )
    return int(result.rowcount or 0)


async def failed_attempts(session: AsyncSession, person_id: int, since: datetime) -> int:
    """Wrong invite codes ``person_id`` sent since ``since`` (from the access log)."""
    stmt = select(func.count()).select_from(AccessLog).where(
        AccessLog.person_id == person_id, AccessLog.action == INVITE_FAILED,
        AccessLog.at >= since,
    )
    return int(await session.scalar(stmt) or 0)
