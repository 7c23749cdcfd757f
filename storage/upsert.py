"""Portable ``INSERT ... ON CONFLICT DO NOTHING`` for SQLite and PostgreSQL."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite


def insert_for(dialect: str) -> Any:
    """The dialect's ``insert`` function (its constructs have ``on_conflict_*`` methods)."""
    insert = _INSERTS.get(dialect)
    if insert is None:
        raise NotImplementedError(f"unsupported dialect {dialect}")
    return insert


_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


async def insert_ignore(session: Any, model: Any, values: dict[str, Any]) -> bool:
    """Insert one row unless it conflicts with a unique key; True if this call inserted it.
    ``session``: any storage.db.ConnectionSource.

    Race-safe: the database decides, so two concurrent callers never both get True.
    """
    connection = await session.connection()
    stmt = insert_ignore_stmt(connection.dialect.name, model)
    result = await connection.execute(stmt, values)
    return bool(result.rowcount)


@lru_cache(maxsize=64)
def insert_ignore_stmt(dialect: str, model: Any) -> Any:
    """``INSERT ... ON CONFLICT DO NOTHING`` for a model or table, built once per dialect:
    rebuilding the construct on every call is the costly part."""
    return insert_for(dialect)(model).on_conflict_do_nothing()
