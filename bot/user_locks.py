"""Per-user locks shared by every instance: PostgreSQL session advisory locks.

While one instance handles an update of user U it holds U's lock, so another instance given
U's next update waits until the first has written U's state (a reply seen by the user means
that the lock is held or the state is written). The locks live on a few dedicated
connections, chosen by user id so that a lock is released where it was taken; when an
instance dies its connections close and PostgreSQL frees its locks at once.

``pg_try_advisory_lock`` is polled (every 5-50 ms), so one connection serves many users at
once. Locks use the two-key form ``(LOCK_SPACE, user id folded to 32 bits)``: no clash with
single-key locks such as the migration lock; two users sharing a folded id only wait for
each other. Any database trouble degrades to handling the update unlocked (logged).
On SQLite (one instance) :class:`NoUserLocks` does nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

log = logging.getLogger(__name__)

#: First key of every user lock (arbitrary; distinguishes them from other advisory locks).
LOCK_SPACE = 0x7467_5531  # "tgU1"
#: Give up waiting after this long and handle the update anyway (the holder is stuck).
DEFAULT_WAIT_S = 15.0
DEFAULT_CONNECTIONS = 4
_POLL_FIRST_S, _POLL_MAX_S = 0.005, 0.05


class UserLocking(Protocol):
    def holding(self, user_id: int) -> contextlib.AbstractAsyncContextManager[bool]: ...

    async def close(self) -> None: ...


class NoUserLocks:
    """Locks for a single instance: the per-user update processor already orders updates."""

    @contextlib.asynccontextmanager
    async def holding(self, user_id: int) -> AsyncIterator[bool]:
        yield True

    async def close(self) -> None:
        return None


def fold(user_id: int) -> int:
    """``user_id`` as a signed 32-bit integer (advisory lock keys are int4 in two-key form)."""
    return (user_id + 2**31) % 2**32 - 2**31


_TRY = "SELECT pg_try_advisory_lock($1::int4, $2::int4)"
_UNLOCK = "SELECT pg_advisory_unlock($1::int4, $2::int4)"


@dataclass
class _Shard:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    conn: AsyncConnection | None = None  # checked out of the engine's pool for good
    driver: Any = None  # its asyncpg connection: lock calls skip SQLAlchemy (~3x cheaper)


class UserLocks:
    """Cross-instance per-user locks on PostgreSQL; ``async with locks.holding(uid) as got``.

    ``got`` is False when the lock could not be taken (timeout or database error): the
    caller goes on without it.
    """

    def __init__(
        self,
        url: str | URL,
        *,
        connections: int = DEFAULT_CONNECTIONS,
        wait_s: float = DEFAULT_WAIT_S,
    ) -> None:
        self.wait_s = wait_s
        self._engine: AsyncEngine = create_async_engine(
            url, pool_size=connections, max_overflow=0, pool_pre_ping=True, hide_parameters=True
        )
        self._shards = [_Shard() for _ in range(connections)]

    @contextlib.asynccontextmanager
    async def holding(self, user_id: int) -> AsyncIterator[bool]:
        shard = self._shards[user_id % len(self._shards)]
        key = fold(user_id)
        conn = await self._acquire(shard, key)
        try:
            yield conn is not None
        finally:
            if conn is not None:
                await self._release(shard, conn, key)

    async def close(self) -> None:
        for shard in self._shards:
            async with shard.lock:
                await self._drop(shard)
        await self._engine.dispose()

    async def _acquire(self, shard: _Shard, key: int) -> AsyncConnection | None:
        """The connection now holding the lock, or None (gave up)."""
        deadline = time.monotonic() + self.wait_s
        pause = _POLL_FIRST_S
        while True:
            async with shard.lock:
                try:
                    conn = await self._connection(shard)
                    got = await shard.driver.fetchval(_TRY, LOCK_SPACE, key)
                except Exception as exc:  # noqa: BLE001 - go on unlocked
                    log.warning("user lock unavailable (%s); handling unlocked", type(exc).__name__)
                    await self._drop(shard)
                    return None
            if got:
                return conn
            if time.monotonic() >= deadline:
                log.warning("user lock still held elsewhere after %.0f s; handling unlocked",
                            self.wait_s)
                return None
            await asyncio.sleep(pause)
            pause = min(pause * 2, _POLL_MAX_S)

    async def _release(self, shard: _Shard, conn: AsyncConnection, key: int) -> None:
        async with shard.lock:
            if shard.conn is not conn:  # reconnected meanwhile: the old locks are gone
                return
            try:
                await shard.driver.fetchval(_UNLOCK, LOCK_SPACE, key)
            except Exception as exc:  # noqa: BLE001 - dropping the connection frees its locks
                log.warning("could not release a user lock (%s)", type(exc).__name__)
                await self._drop(shard)

    async def _connection(self, shard: _Shard) -> AsyncConnection:
        if shard.conn is None:
            conn = await self._engine.connect()
            shard.driver = (await conn.get_raw_connection()).driver_connection
            shard.conn = conn
        return shard.conn

    async def _drop(self, shard: _Shard) -> None:
        conn, shard.conn, shard.driver = shard.conn, None, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.invalidate()
                await conn.close()


def user_locks_for(url: str | URL, backend: str) -> UserLocking:
    """Real locks on PostgreSQL, none elsewhere."""
    return UserLocks(url) if backend == "postgresql" else NoUserLocks()
