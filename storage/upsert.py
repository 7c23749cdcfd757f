"""Portable ``INSERT ... ON CONFLICT DO NOTHING`` for SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase


def dialect_insert(session: AsyncSession, model: type[DeclarativeBase]) -> Any:
    """The dialect's ``insert()`` construct (with ``on_conflict_*`` methods) for `model`."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(model)
    if name == "sqlite":
        return sqlite.insert(model)
    raise NotImplementedError(f"unsupported dialect {name}")


async def insert_ignore(
    session: AsyncSession, model: type[DeclarativeBase], values: dict[str, Any]
) -> bool:
    """Insert one row unless it conflicts with a unique key; True if this call inserted it.

    Race-safe: the database decides, so two concurrent callers never both get True.
    """
    stmt = dialect_insert(session, model).values(**values).on_conflict_do_nothing()
    result = await session.execute(stmt)
    return bool(result.rowcount)
