"""Database set-up, URL handling and people/preferences."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import insert as sa_insert
from sqlalchemy import text

from storage import people
from storage.db import Database, default_sqlite_url
from storage.models import AccessLog
from storage.urls import normalize_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("postgresql://u:p@h/d", "postgresql+asyncpg://u:p@h/d"),
        ("postgres://u:p@h:5433/d", "postgresql+asyncpg://u:p@h:5433/d"),
        ("postgresql+psycopg2://u@h/d", "postgresql+asyncpg://u@h/d"),
    ],
)
def test_urls_are_normalised_to_async_drivers(given: str, expected: str) -> None:
    assert normalize_url(given).render_as_string(hide_password=False) == expected


def test_unsupported_url_is_rejected() -> None:
    with pytest.raises(ValueError, match="unsupported"):
        normalize_url("mysql://u@h/d")


async def test_sqlite_pragmas_and_idempotent_migrate(tmp_path) -> None:
    database = Database(default_sqlite_url(tmp_path / "data"))
    try:
        await database.migrate()
        await database.migrate()
        assert (tmp_path / "data" / "bot.db").exists()
        assert await database.current_revision() is not None
        async with database.read_session() as session:
            assert (await session.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await session.execute(text("PRAGMA foreign_keys"))).scalar() == 1
            assert (await session.execute(text("PRAGMA busy_timeout"))).scalar() > 0
        assert "bot.db" in database.safe_url
    finally:
        await database.dispose()


async def test_password_hidden_in_safe_url() -> None:
    database = Database("postgresql://bot:secret@127.0.0.1:1/bot")
    try:
        assert "secret" not in database.safe_url
        assert database.url.drivername == "postgresql+asyncpg"
    finally:
        await database.dispose()


async def test_migrate_twice_is_harmless(db: Database) -> None:
    await db.migrate()
    assert await db.current_revision() is not None


async def test_person_created_once_and_preferences_persist(db: Database) -> None:
    async with db.session() as session:
        first = await people.get_or_create_person(session, 1001, "vi", display_name="Lan")
        again = await people.get_or_create_person(session, 1001, "en", display_name="Lan N.")
        await session.commit()
    assert first.id == again.id
    assert again.language == "vi"  # only set at creation
    assert again.display_name == "Lan N."

    async with db.session() as session:
        await people.set_language(session, 1001, "en")
        await people.set_plan(session, 1001, "hcmc-2022-2030")
        await people.set_plan(session, 2002, "kon-ray-2022")  # creates the person
        await session.commit()

    async with db.read_session() as session:
        lan = await people.get_person(session, 1001)
        other = await people.get_person(session, 2002)
    assert lan is not None and (lan.language, lan.plan_id) == ("en", "hcmc-2022-2030")
    assert other is not None and other.plan_id == "kon-ray-2022" and other.role is None
    assert lan.created_at.tzinfo is not None


async def test_quick_transactions_commit_roll_back_and_reopen(db: Database) -> None:
    def insert(action: str) -> Any:
        return sa_insert(AccessLog).values(action=action, at=datetime.now(UTC))

    count = text("SELECT count(*) FROM access_log WHERE action = :a")
    async with db.quick(write=True) as quick:
        await (await quick.connection()).execute(insert("kept"))
        await quick.commit()
        await (await quick.connection()).execute(insert("dropped"))
    # Not committed: rolled back at the block's end.
    async with db.quick() as quick:
        connection = await quick.connection()
        assert await connection.scalar(count, {"a": "kept"}) == 1
        assert await connection.scalar(count, {"a": "dropped"}) == 0
        await quick.close()
        assert connection.closed  # given back to the pool...
        again = await quick.connection()  # ...and a new transaction at the next use
        assert again is not connection and await again.scalar(count, {"a": "kept"}) == 1
    assert again.closed


async def test_unknown_role_is_rejected(db: Database) -> None:
    async with db.session() as session:
        with pytest.raises(ValueError, match="unknown role"):
            await people.set_role(session, 5, "king")


async def test_migrations_match_the_models(db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from storage.models import Base

    def diff(sync_conn):
        context = MigrationContext.configure(sync_conn, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    async with db.engine.connect() as conn:
        assert await conn.run_sync(diff) == []


def test_the_postgresql_pool_keeps_the_configured_connections_open() -> None:
    database = Database("postgresql://bot:secret@127.0.0.1:1/bot", pool_size=7)
    pool = database.engine.sync_engine.pool
    assert (pool.size(), pool._max_overflow) == (7, 7)  # noqa: SLF001 - no public accessor
