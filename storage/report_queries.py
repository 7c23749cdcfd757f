"""Small report look-ups the chat handlers need beyond storage.case_reports."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ReportVersion


async def version_by_token(session: AsyncSession, token: str) -> ReportVersion | None:
    """The saved version carrying this client (idempotency) token, if any."""
    return await session.scalar(select(ReportVersion).where(ReportVersion.client_token == token))
