"""Portable ``INSERT ... ON CONFLICT DO NOTHING`` for SQLite and PostgreSQL."""

from __future__ import annotations

from functools import lru_cache
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
    stmt = _insert_ignore_stmt(session.get_bind().dialect.name, model)
    connection = await session.connection()
    result = await connection.execute(stmt, values)
    return bool(result.rowcount)


@lru_cache(maxsize=64)
def _insert_ignore_stmt(dialect: str, model: type[DeclarativeBase]) -> Any:
    """Built once per table: rebuilding ``.values(...)`` on every call is the costly part."""
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}.get(dialect)
    if insert is None:
        raise NotImplementedError(f"unsupported dialect {dialect}")
    return insert(model).on_conflict_do_nothing()
