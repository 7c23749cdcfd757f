"""Portable ``INSERT ... ON CONFLICT DO NOTHING`` for SQLite and PostgreSQL."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase


def insert_for(dialect: str) -> Any:
    """The dialect's ``insert`` function (its constructs have ``on_conflict_*`` methods)."""
    insert = _INSERTS.get(dialect)
    if insert is None:
        raise NotImplementedError(f"unsupported dialect {dialect}")
    return insert


_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def dialect_insert(session: AsyncSession, model: type[DeclarativeBase]) -> Any:
    """The dialect's ``insert()`` construct (with ``on_conflict_*`` methods) for `model`."""
    return insert_for(session.get_bind().dialect.name)(model)


async def insert_ignore(
    session: AsyncSession, model: type[DeclarativeBase], values: dict[str, Any]
) -> bool:
    """Insert one row unless it conflicts with a unique key; True if this call inserted it.

    Race-safe: the database decides, so two concurrent callers never both get True.
    """
    stmt = insert_ignore_stmt(session.get_bind().dialect.name, model)
    connection = await session.connection()
    result = await connection.execute(stmt, values)
    return bool(result.rowcount)


@lru_cache(maxsize=64)
def insert_ignore_stmt(dialect: str, model: Any) -> Any:
    """``INSERT ... ON CONFLICT DO NOTHING`` for a model or table, built once per dialect:
    rebuilding the construct on every call is the costly part."""
    return insert_for(dialect)(model).on_conflict_do_nothing()
