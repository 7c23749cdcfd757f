"""Shared database fixtures: ``db`` runs each storage test on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import pytest_asyncio

from storage.db import Database
from tests.pg import PgServer, PgUnavailable, start_server

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A PostgreSQL server for the session, with a migrated template database.

    Skips when PostgreSQL is unavailable, except under CI (env CI set), where it fails.
    """
    try:
        server = start_server()
    except PgUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required under CI: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    try:
        server.template = _run_in_thread(_migrated_template(server))
        yield server
    finally:
        if server.template and server.data_dir is None:
            _run_in_thread(server.drop_database(server.template))
        server.stop()


def _run_in_thread(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine to completion on its own loop (callers may be inside a running loop)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def _migrated_template(server: PgServer) -> str:
    name = await server.create_database()
    database = Database(server.url(name))
    try:
        await database.migrate()
    finally:
        await database.dispose()
    return name


@pytest_asyncio.fixture(params=BACKENDS)
async def db(request: pytest.FixtureRequest, tmp_path) -> AsyncIterator[Database]:
    """A migrated, empty database: an SQLite file in tmp_path, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        database = Database(f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")
        await database.migrate()
        yield database
        await database.dispose()
        return
    server: PgServer = request.getfixturevalue("pg_server")
    name = await server.create_database(template=server.template)
    database = Database(server.url(name))
    try:
        yield database
    finally:
        await database.dispose()
        await server.drop_database(name)


@pytest_asyncio.fixture
async def pg_url(pg_server: Any) -> AsyncIterator[str]:
    """A migrated, empty PostgreSQL database of its own."""
    name = await pg_server.create_database(template=pg_server.template)
    try:
        yield pg_server.url(name)
    finally:
        await pg_server.drop_database(name)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Figures some tests measure (the privacy screen's precision and recall), after the run."""
    from tests import test_privacy_screen

    for name, line in sorted(test_privacy_screen.FIGURES.items()):
        terminalreporter.write_line(f"privacy screen ({name}): {line}")


@pytest.fixture(params=["fast", "stock"])
def both_paths(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test with the fast paths on and off (FAST_PATHS: the inline SQLite driver and
    unparsed replies, or the libraries' stock ones)."""
    from tests import e2e_support

    saved = dict(e2e_support.PATHS)
    e2e_support.PATHS["FAST_PATHS"] = "1" if request.param == "fast" else "0"
    try:
        yield request.param
    finally:
        e2e_support.PATHS.clear()
        e2e_support.PATHS.update(saved)


#: Test files by what they exercise (markers: unit, storage, e2e, slow; see pyproject.toml).
E2E = {
    "test_botapi_server", "test_http_request", "test_metrics_logs", "test_multi_instance",
    "test_one_connection", "test_outbox", "test_shared_state", "test_startup",
    "test_update_processor", "test_webhook",
}
STORAGE = {
    "test_backup", "test_cli", "test_nudges_storage", "test_sqlite_inline", "test_stats_queries",
    "test_transfer",
}
#: Real time or real processes: several seconds each.
SLOW = {"test_multi_instance", "test_startup", "test_e2e_deadlines_limits", "test_backup"}


def pytest_collection_modifyitems(items: list[Any]) -> None:
    """Mark each test by its file: e2e (the Application over HTTP, or processes), storage (a
    real database), unit (the rest); slow ones besides."""
    for item in items:
        name = item.path.stem
        if name.startswith("test_e2e") or name in E2E:
            item.add_marker(pytest.mark.e2e)
        elif name.startswith("test_storage") or name in STORAGE:
            item.add_marker(pytest.mark.storage)
        else:
            item.add_marker(pytest.mark.unit)
        if name in SLOW:
            item.add_marker(pytest.mark.slow)
