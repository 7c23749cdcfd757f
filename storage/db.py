"""The database handle: async engine, sessions and start-up migrations.

SQLite connections run in WAL mode with foreign keys on, ``secure_delete`` and a busy timeout;
statement parameters are hidden from logs and errors (``hide_parameters``).

One transaction API, two kinds:

* a session: :meth:`Database.session` (may write; ``BEGIN IMMEDIATE`` on SQLite, so a
  read-then-write transaction never fails on a stale snapshot) or :meth:`Database.read_session`
  (a deferred transaction for read-only work that must not block writers);
* the quick connection, :meth:`Database.quick`, where it is measured to matter (the chat's
  per-update reads and writes): Core statements only, without an ORM session, and on SQLite
  with the fast paths on, run in the event loop's own thread (see :mod:`storage.sqlite_driver`).
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import event, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage.sqlite_driver import OneHopConnection, WriteGate, one_hop_dbapi
from storage.urls import default_sqlite_url, normalize_url, sqlite_file

__all__ = [
    "ConnectionSource", "Database", "DatabaseUnavailable", "QuickConnection", "check_database",
    "default_sqlite_url",
]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 15_000
SQLITE_BUSY_TIMEOUT_S = SQLITE_BUSY_TIMEOUT_MS / 1000
_READ_ONLY = "storage_read_only"
_INLINE = "storage_inline"
#: Arbitrary constant: the PostgreSQL advisory lock key that serialises concurrent migrations.
_MIGRATION_LOCK_KEY = 7_460_214_001


class ConnectionSource(Protocol):
    """A transaction for Core statements: an ``AsyncSession`` or a :class:`QuickConnection`."""

    async def connection(self) -> AsyncConnection: ...

    async def commit(self) -> None: ...

    async def close(self) -> None: ...


class QuickConnection:
    """A short transaction on one pooled connection, for Core statements (no ORM session).

    Used like a session: ``async with db.quick() as q: conn = await q.connection(); ...;
    await q.commit()``. The connection is taken at the first :meth:`connection` and given
    back at :meth:`close` (or the block's end, rolling back what was not committed); after
    ``close`` the next :meth:`connection` starts a new transaction. Unlike a session's, the
    connection stays checked out after :meth:`commit` until the block ends: keep the block to
    the transaction.
    """

    __slots__ = ("_engine", "_connection")

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._connection: AsyncConnection | None = None

    async def connection(self) -> AsyncConnection:
        if self._connection is None:
            self._connection = await self._engine.connect()
        return self._connection

    async def execute(self, statement: Any, parameters: Any = None) -> Any:
        """Run a Core statement in this transaction (as ``AsyncSession.execute`` would)."""
        connection = await self.connection()
        return await connection.execute(statement, parameters)

    async def commit(self) -> None:
        if self._connection is not None:
            await self._connection.commit()

    async def rollback(self) -> None:
        if self._connection is not None:
            await self._connection.rollback()

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            await connection.__aexit__(None, None, None)  # SQLAlchemy's cancel-safe close

    async def __aenter__(self) -> QuickConnection:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


class Database:
    """One database: engine, session factories and migrations."""

    def __init__(
        self, url: str | URL, *, echo: bool = False, pool_size: int | None = None,
        fast: bool = True, **engine_options: Any,
    ) -> None:
        """``pool_size``: connections kept open, as many more opened under load (a pool too
        small for the load opens and closes connections all the time). ``fast``: on SQLite,
        the one-hop driver with inline quick transactions (:mod:`storage.sqlite_driver`, on
        private APIs of SQLAlchemy and aiosqlite, pinned); off: their stock adapter."""
        self.url = normalize_url(url)
        self.fast = fast
        self.backend = self.url.get_backend_name()
        path = sqlite_file(self.url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        if pool_size is not None:
            engine_options.setdefault("pool_size", pool_size)
            engine_options.setdefault("max_overflow", pool_size)
        if self.backend == "postgresql":
            engine_options.setdefault("pool_pre_ping", True)
        elif self.url.get_driver_name() == "aiosqlite":
            if fast:
                engine_options.setdefault(
                    "module", one_hop_dbapi(WriteGate(SQLITE_BUSY_TIMEOUT_S)))
            # Waiting writers hold a connection: room for the bot's concurrent updates (64),
            # with 16 kept open: under a burst of reports, 8 kept opening and closing extra
            # connections (a driver thread each), a tenth of the time at 16 officers at once.
            engine_options.setdefault("pool_size", 16)
            engine_options.setdefault("max_overflow", 48)
        # Statement parameters (report values, names) never appear in logs or error messages.
        engine_options.setdefault("hide_parameters", True)
        self.engine: AsyncEngine = create_async_engine(self.url, echo=echo, **engine_options)
        if self.backend == "sqlite":
            _configure_sqlite(self.engine)
        #: Sessions by read_only; quick connections' engines by read_only.
        self._sessions = {
            read_only: async_sessionmaker(
                self.engine.execution_options(**{_READ_ONLY: read_only, _INLINE: False}),
                expire_on_commit=False,
            )
            for read_only in (False, True)
        }
        self._quick = {
            read_only: self.engine.execution_options(**{_READ_ONLY: read_only, _INLINE: True})
            for read_only in (False, True)
        }

    @property
    def safe_url(self) -> str:
        """The URL with the password hidden, for logs."""
        return self.url.render_as_string(hide_password=True)

    @property
    def is_sqlite(self) -> bool:
        return self.backend == "sqlite"

    def session(self) -> AsyncSession:
        """A session that may write: ``async with db.session() as s: ...; await s.commit()``."""
        return self._sessions[False]()

    def read_session(self) -> AsyncSession:
        """A session for read-only work; on SQLite it never takes the write lock early."""
        return self._sessions[True]()

    def quick(self, *, write: bool = False) -> QuickConnection:
        """A short Core-only transaction (see :class:`QuickConnection` and the module doc);
        ``write``: as :meth:`session`, else as :meth:`read_session`."""
        return QuickConnection(self._quick[not write])

    async def migrate(self) -> None:
        """Bring the schema to the newest revision (Alembic ``upgrade head``)."""
        async with self.engine.begin() as conn:
            if self.backend == "postgresql":
                await conn.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY}
                )
            await conn.run_sync(_upgrade_head)

    async def current_revision(self) -> str | None:
        """The schema revision the database is at (None before the first migration)."""
        from alembic.runtime.migration import MigrationContext

        async with self.engine.connect() as conn:
            return await conn.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_revision()
            )

    async def dispose(self) -> None:
        await self.engine.dispose()


def alembic_config(url: str | URL | None = None) -> Any:
    """An Alembic ``Config`` for the project's migrations (no ini file needed)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        rendered = normalize_url(url).render_as_string(hide_password=False)
        cfg.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return cfg


def _upgrade_head(sync_connection: Any) -> None:
    from alembic import command

    cfg = alembic_config()
    cfg.attributes["connection"] = sync_connection
    command.upgrade(cfg, "head")


def _configure_sqlite(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, emit BEGIN (see the "begin" hook below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        # Deleted rows (a discarded draft, a dropped column) are overwritten with zeros, not
        # left readable in free pages.
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        options = conn.get_execution_options()
        write = not options.get(_READ_ONLY, False)
        driver = conn.connection.dbapi_connection
        if isinstance(driver, OneHopConnection):
            # Straight to the driver (through its write gate), which sends BEGIN along with
            # the first statement. Errors are wrapped as SQLAlchemy's.
            try:
                driver.begin(write=write, inline=options.get(_INLINE, False))
            except sqlite3.Error as error:
                raise DBAPIError.instance("BEGIN", None, error, sqlite3.Error) from error
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class DatabaseUnavailable(RuntimeError):
    """The database cannot be written at start-up (read-only, locked, unreachable)."""


#: How long start-up waits for another process's write lock before giving up.
CHECK_TIMEOUT_S = 5.0


async def check_database(url: str | URL, timeout_s: float = CHECK_TIMEOUT_S) -> None:
    """Make sure the bot can write its database, or raise :class:`DatabaseUnavailable` with
    one line saying why (a read-only file or folder, a lock held by another process, a server
    that does not answer)."""
    db_url = normalize_url(url)
    path = sqlite_file(db_url)
    if db_url.get_backend_name() == "sqlite":
        if path is not None:
            await asyncio.to_thread(_check_sqlite_file, path, timeout_s)
        return
    engine = create_async_engine(db_url, hide_parameters=True)
    try:
        async with asyncio.timeout(timeout_s), engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure: one clear line
        raise DatabaseUnavailable(
            f"cannot reach {db_url.render_as_string(hide_password=True)} "
            f"({type(exc).__name__})"
        ) from None
    finally:
        await engine.dispose()


def _check_sqlite_file(path: Path, timeout_s: float) -> None:
    folder = path.parent
    if not folder.exists():
        return  # created on first use
    if not os.access(folder, os.W_OK):
        raise DatabaseUnavailable(f"the folder {folder} is read-only (DATA_DIR)")
    if path.exists() and not os.access(path, os.W_OK):
        raise DatabaseUnavailable(f"the database file {path} is read-only")
    if not path.exists():
        return
    try:
        conn = sqlite3.connect(path, timeout=timeout_s, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseUnavailable(
                f"the database file {path} is locked by another process (another bot, a "
                "backup or a command still running?)"
            ) from None
        raise DatabaseUnavailable(f"the database file {path} cannot be written ({exc})") from None
