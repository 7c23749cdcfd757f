"""Per-user ordering: one user's updates strictly in order, different users concurrently.

PTB starts one task per update in arrival order (``concurrent_updates``); this processor
makes each task wait for the previous update of the same user (a FIFO lock per user id,
dropped as soon as nobody holds or awaits it) and then for one of ``max_active`` slots.
Waiting for a user's lock does not use a slot, so a user who sends many messages at once
cannot hold back everybody else.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

#: Updates admitted at once (running or waiting for their user's turn); beyond that PTB queues.
DEFAULT_MAX_PENDING = 4096

Observer = Callable[[object], AbstractContextManager[Any]]


class _UserLock:
    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0  # tasks holding or waiting for the lock


def ordering_key(update: object) -> int | None:
    """The id whose updates must not overtake each other: the user, else the chat."""
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    if update.effective_chat is not None:
        return update.effective_chat.id
    return None


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """Process updates of one user in order and of different users concurrently.

    ``max_active`` bounds the updates being handled at once; ``observer(update)`` (optional)
    is a context manager entered around the handling itself, e.g. for logs and metrics.
    """

    __slots__ = ("_active", "_locks", "_max_active", "_observer")

    def __init__(
        self,
        max_active: int = 64,
        *,
        max_pending: int = DEFAULT_MAX_PENDING,
        observer: Observer | None = None,
    ) -> None:
        if max_active < 1:
            raise ValueError("max_active must be a positive integer")
        super().__init__(max(max_pending, max_active))
        self._max_active = max_active
        self._active = asyncio.Semaphore(max_active)
        self._locks: dict[int, _UserLock] = {}
        self._observer = observer

    @property
    def max_active(self) -> int:
        return self._max_active

    @property
    def waiting_users(self) -> int:
        """Users with an update being handled or waiting (locks currently kept)."""
        return len(self._locks)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = ordering_key(update)
        if key is None:
            await self._run(update, coroutine)
            return
        entry = self._locks.get(key)
        if entry is None:
            entry = self._locks[key] = _UserLock()
        entry.users += 1
        try:
            async with entry.lock:
                await self._run(update, coroutine)
        finally:
            entry.users -= 1
            if entry.users == 0:
                del self._locks[key]

    async def _run(self, update: object, coroutine: Awaitable[Any]) -> None:
        async with self._active:
            if self._observer is None:
                await coroutine
                return
            with self._observer(update):
                await coroutine

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free (PTB waits for running updates before shutting down)."""
