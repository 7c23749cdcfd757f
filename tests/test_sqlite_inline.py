"""Quick SQLite transactions run in the event loop's thread, without ever blocking it on a lock."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text

from storage.db import Database
from storage.sqlite_driver import OneHopConnection, WriteGate


def _thread_reporting(db: Database) -> None:
    """Every new connection gets ``thread_id()``: the thread that runs the statement."""

    @event.listens_for(db.engine.sync_engine, "connect")
    def _add_function(dbapi_connection: Any, _record: Any) -> None:
        assert isinstance(dbapi_connection, OneHopConnection)
        driver = dbapi_connection._connection._conn
        driver.create_function("thread_id", 0, threading.get_ident)


@pytest.fixture
async def scratch(tmp_path: Path) -> Any:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'inline.db'}", pool_size=1, max_overflow=0)
    _thread_reporting(db)
    async with db.engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (x INTEGER)"))
    yield db, tmp_path / "inline.db"
    await db.dispose()


async def _thread_of(session: Any) -> int:
    return (await session.execute(text("SELECT thread_id()"))).scalar_one()


async def test_quick_transactions_run_in_the_loop_thread(scratch: Any) -> None:
    db, _ = scratch
    here = threading.get_ident()
    async with db.quick() as session:
        assert await _thread_of(session) == here
    async with db.quick(write=True) as session:
        assert await _thread_of(session) == here
        await session.execute(text("INSERT INTO t VALUES (1)"))
        await session.commit()
    async with db.read_session() as session:  # a long read keeps to the driver thread
        assert await _thread_of(session) != here
        assert (await session.execute(text("SELECT count(*) FROM t"))).scalar_one() == 1


async def test_a_rolled_back_quick_write_leaves_nothing(scratch: Any) -> None:
    db, _ = scratch
    async with db.quick(write=True) as session:
        await session.execute(text("INSERT INTO t VALUES (7)"))
        await session.rollback()
    async with db.quick() as session:
        assert (await session.execute(text("SELECT count(*) FROM t"))).scalar_one() == 0


async def test_a_quick_transaction_after_a_long_read_on_the_same_connection(scratch: Any) -> None:
    """The long read's rollback is queued to the driver thread; the next quick transaction
    on that (only) connection starts after it, so its insert is not rolled back with it."""
    db, _ = scratch
    for n in range(20):
        async with db.read_session() as session:
            await session.execute(text("SELECT count(*) FROM t"))
        async with db.quick(write=True) as session:
            await session.execute(text("INSERT INTO t VALUES (:n)"), {"n": n})
            await session.commit()
    async with db.read_session() as session:
        assert (await session.execute(text("SELECT count(*) FROM t"))).scalar_one() == 20


async def test_a_quick_write_waits_for_another_process_off_the_loop(scratch: Any) -> None:
    """Another process holds the write lock: the quick write goes on in the driver thread
    (which waits for the lock) while the event loop keeps serving others."""
    db, path = scratch
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO t VALUES (100)")
    ticks = 0
    holding = True

    async def ticker() -> None:
        nonlocal ticks
        while holding:
            ticks += 1
            await asyncio.sleep(0.01)

    async def write() -> float:
        async with db.quick(write=True) as session:
            await session.execute(text("INSERT INTO t VALUES (1)"))
            await session.commit()
        return time.monotonic()

    tick_task = asyncio.create_task(ticker())
    write_task = asyncio.create_task(write())
    await asyncio.sleep(0.4)
    assert not write_task.done()  # still waiting for the lock...
    assert ticks >= 10  # ...and the loop was not blocked meanwhile
    released = time.monotonic()
    other.execute("COMMIT")
    written = await asyncio.wait_for(write_task, 10)
    holding = False
    await tick_task
    other.close()
    assert written >= released
    async with db.quick() as session:
        rows = (await session.execute(text("SELECT x FROM t ORDER BY x"))).scalars().all()
    assert rows == [1, 100]
    # The connection is quick again afterwards, with its normal busy timeout.
    async with db.quick(write=True) as session:
        assert await _thread_of(session) == threading.get_ident()
        timeout = (await session.execute(text("PRAGMA busy_timeout"))).scalar_one()
        assert timeout > 0


async def test_write_gate_queues_writers_in_order_and_times_out() -> None:
    gate = WriteGate(timeout_s=0.2)
    first = await gate.acquire()
    order: list[str] = []

    async def writer(name: str) -> None:
        lock = await gate.acquire()
        order.append(name)
        lock.release()

    waiting = [asyncio.create_task(writer(n)) for n in ("a", "b")]
    await asyncio.sleep(0.05)
    assert order == []  # both wait for the first
    first.release()
    await asyncio.gather(*waiting)
    assert order == ["a", "b"]

    held = await gate.acquire()
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        await gate.acquire()
    held.release()  # the timed-out waiter left no claim behind: the gate is free again
    (await asyncio.wait_for(gate.acquire(), 1)).release()


async def test_with_the_fast_paths_off_sqlite_takes_the_stock_adapter(tmp_path: Path) -> None:
    """FAST_PATHS=0: SQLAlchemy's own aiosqlite adapter; a quick transaction runs in the
    driver thread like any other, and commits as usual."""
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'stock.db'}", fast=False)
    try:
        async with db.engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (x INTEGER)"))
        async with db.quick(write=True) as session:
            raw = await (await session.connection()).get_raw_connection()
            assert not isinstance(raw.dbapi_connection, OneHopConnection)
            await session.execute(text("INSERT INTO t VALUES (1)"))
            await session.commit()
        async with db.read_session() as session:
            assert (await session.execute(text("SELECT count(*) FROM t"))).scalar_one() == 1
    finally:
        await db.dispose()
