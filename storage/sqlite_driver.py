"""aiosqlite for SQLAlchemy: one trip to the driver thread per statement, writers queued.

SQLAlchemy's stock aiosqlite adapter makes four trips to aiosqlite's worker thread for every
statement (open a cursor, execute, fetch, close), and another to roll back a connection that
has nothing to roll back when it returns to the pool. Each trip wakes a thread and then the
event loop (~0.1 ms), which made thread hand-offs, not SQL, the cost of saving a report.
:class:`OneHopCursor` runs cursor, execute, fetch and close as one function in that thread;
:class:`OneHopConnection` skips the rollback when no transaction is open.

SQLite has one writer at a time. Left to SQLite, concurrent write transactions of one process
wait in its busy handler, which sleeps in steps of up to 100 ms; a :class:`WriteGate` queues
them in the event loop instead (first come, first served) and lets the next one in as soon as
the previous commits. The busy handler still arbitrates between processes.

Short transactions (the chat's per-update reads and writes, marked ``inline`` at BEGIN) run
their statements, commit and rollback in the event loop's own thread: an indexed lookup or a
one-row insert takes SQLite microseconds, less than the hop to the driver thread and back, and
with several hops per update the hops were most of the time spent saving a report. The loop
never waits on a lock there: an inline ``BEGIN IMMEDIATE`` is tried with no busy wait and, if
another process holds the write lock, the transaction goes on in the driver thread, which
waits for it. Long reads (statistics, exports) keep running in the driver thread.

Passed to ``create_async_engine`` as its DBAPI ``module`` (see :func:`one_hop_dbapi`);
everything else (the dialect, type handling, errors) is SQLAlchemy's own ``sqlite+aiosqlite``.
"""

from __future__ import annotations

import asyncio
import collections
import sqlite3
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util.concurrency import await_

__all__ = ["OneHopConnection", "OneHopCursor", "WriteGate", "one_hop_dbapi"]

#: (description, rows, rowcount, lastrowid)
_Outcome = tuple[Any, list[Any], int, int | None]


def _run(driver: aiosqlite.Connection, begin: str | None, operation: str, parameters: Any,
         many: bool) -> _Outcome:
    """The transaction's BEGIN if still due, then one statement (in aiosqlite's thread, or in
    the event loop's for an inline transaction)."""
    conn: sqlite3.Connection = driver._conn
    if begin is not None:
        conn.execute(begin)
    cursor = conn.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """A buffered cursor whose every statement is one call into the driver thread."""

    __slots__ = ("_description", "_rowcount", "_lastrowid", "_arraysize")

    def __init__(self, adapt_connection: OneHopConnection) -> None:
        # No driver cursor is opened here: _run opens and closes its own.
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = {}
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        self._arraysize = 1

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int | None:  # type: ignore[override]
        return self._lastrowid

    @property
    def arraysize(self) -> int:
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    async def _async_soft_close(self) -> None:
        return None  # rows are already buffered and the driver cursor closed

    def close(self) -> None:
        self._rows.clear()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        try:
            return await_(self._one_trip(operation, parameters, many=False))
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        try:
            return await_(self._one_trip(operation, seq_of_parameters, many=True))
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    async def _one_trip(self, operation: Any, parameters: Any, *, many: bool) -> None:
        adapt = self._adapt_connection
        outcome: _Outcome
        if adapt._inline and adapt._begin_inline():
            outcome = _run(self._connection, None, operation, parameters, many)
        else:
            async with adapt._execute_mutex:
                begin, adapt._pending_begin = adapt._pending_begin, None
                outcome = await self._connection._execute(
                    _run, self._connection, begin, operation, parameters, many)
        self._description, rows, self._rowcount, self._lastrowid = outcome
        self._rows = collections.deque(rows)

    def nextset(self) -> None:
        raise NotImplementedError("SQLite has no multiple result sets")

    def setinputsizes(self, *inputsizes: Any) -> None:
        return None


class WriteGate:
    """One write transaction at a time per database file in this process, in arrival order."""

    def __init__(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        self._lock: asyncio.Lock | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _current(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._loop is not loop:  # asyncio locks belong to one loop
            self._lock, self._loop = asyncio.Lock(), loop
        return self._lock

    async def acquire(self) -> asyncio.Lock:
        lock = self._current()
        try:
            async with asyncio.timeout(self.timeout_s):  # no task, unlike wait_for on 3.11
                await lock.acquire()
        except TimeoutError:
            raise sqlite3.OperationalError("database is locked") from None
        return lock


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    """aiosqlite connection: writes pass the :class:`WriteGate`; fewer trips per transaction.

    ``BEGIN`` travels with the transaction's first statement; a read-only transaction's
    rollback is queued to the driver thread without waiting (that thread runs calls in order,
    so the connection's next statement comes after it); nothing is rolled back when no
    transaction is open.
    """

    __slots__ = ("_gate", "_holding", "_pending_begin", "_rollback_queued", "_inline")
    _cursor_cls = OneHopCursor

    def __init__(self, dbapi: Any, connection: aiosqlite.Connection, gate: WriteGate) -> None:
        super().__init__(dbapi, connection)
        self._gate = gate
        self._holding: asyncio.Lock | None = None
        self._pending_begin: str | None = None
        self._rollback_queued = False
        self._inline = False

    def begin(self, *, write: bool, inline: bool = False) -> None:
        """Start a transaction: ``BEGIN IMMEDIATE`` once through the gate (``write``), else
        a deferred ``BEGIN``; either is sent with the first statement. ``inline``: run it in
        the event loop's thread (see the module doc)."""
        if write:
            self._holding = await_(self._gate.acquire())
        if self._rollback_queued:
            # The driver thread may not have run that rollback yet: let it, before this
            # transaction uses the connection (from either thread).
            await_(self._connection._execute(_nothing))
        self._pending_begin = "BEGIN IMMEDIATE" if write else "BEGIN"
        self._rollback_queued = False
        self._inline = inline

    def _begin_inline(self) -> bool:
        """Send the pending BEGIN from the loop's thread; False when the write lock is taken
        by another process (the transaction then goes on in the driver thread)."""
        begin, conn = self._pending_begin, self._connection._conn
        if begin is None:
            return True
        if self._holding is None:  # a read: a deferred BEGIN takes no lock
            conn.execute(begin)
        else:
            conn.execute("PRAGMA busy_timeout = 0")
            try:
                conn.execute(begin)
            except sqlite3.OperationalError as error:
                if getattr(error, "sqlite_errorcode", None) != sqlite3.SQLITE_BUSY:
                    raise
                self._inline = False
                return False
            finally:
                conn.execute(f"PRAGMA busy_timeout = {int(self._gate.timeout_s * 1000)}")
        self._pending_begin = None
        return True

    def _end_inline(self, end: Any) -> None:
        """Commit or roll back an inline transaction here (errors raised as SQLAlchemy's)."""
        try:
            end()
        except Exception as error:
            self._handle_exception(error)

    def _leave_gate(self) -> None:
        holding, self._holding = self._holding, None
        if holding is not None:
            holding.release()

    def _in_transaction(self) -> bool:
        driver = self._connection._connection
        # Reading the autocommit flag is safe from this thread (no statement of ours runs on
        # the connection meanwhile: SQLAlchemy uses one connection at a time).
        return driver is not None and driver.in_transaction

    def commit(self) -> None:
        try:
            if self._pending_begin is not None:
                return  # the transaction never started
            if self._inline:
                self._end_inline(self._connection._conn.commit)
            else:
                super().commit()
        finally:
            self._pending_begin = None
            self._inline = False
            self._leave_gate()

    def rollback(self) -> None:
        try:
            if self._pending_begin is not None:
                return  # the transaction never started
            if self._rollback_queued or not self._in_transaction():
                return  # e.g. the pool's reset of a connection that has just committed
            if self._inline:
                self._end_inline(self._connection._conn.rollback)
                return
            if self._holding is None and self._connection._connection is not None:
                # Read-only: nothing to undo, so do not wait for it (see the class doc).
                self._connection._tx.put_nowait((None, self._connection._connection.rollback))
                self._rollback_queued = True
                return
            super().rollback()
        finally:
            self._pending_begin = None
            self._inline = False
            self._leave_gate()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._leave_gate()

    def terminate(self) -> None:
        try:
            super().terminate()
        finally:
            self._leave_gate()


def _nothing() -> None:
    return None


class _OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def __init__(self, gate: WriteGate) -> None:
        super().__init__(aiosqlite, sqlite3)
        self.gate = gate

    def connect(self, *arg: Any, **kw: Any) -> OneHopConnection:
        # Inline transactions use the connection from the event loop's thread too (never at
        # the same time as the driver thread: see OneHopConnection.begin).
        kw["check_same_thread"] = False
        stock = super().connect(*arg, **kw)
        return OneHopConnection(self, stock._connection, self.gate)


def one_hop_dbapi(gate: WriteGate) -> Any:
    """The DBAPI module to pass as ``create_async_engine(..., module=...)`` for aiosqlite."""
    return _OneHopDBAPI(gate)
