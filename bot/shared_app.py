"""The Application used when several instances share one database (``SHARED_STATE``).

Nothing a user's next update depends on stays in one process's memory. Around every update
of user U (inside the per-user update processor, so U's updates stay in order here):

1. take U's cross-instance lock (:mod:`bot.user_locks`; PostgreSQL only);
2. re-read U's conversation states, and U's ``user_data`` and ``chat_data`` if another
   instance changed them (:mod:`bot.shared_state`, one read transaction);
3. handle the update;
4. write all changed state (``Application.update_persistence``, which runs one at a time
   per instance and so also waits for a write of U's data another update started);
5. release the lock.

So another instance given U's next update sees everything this one did, and a process killed
after step 4 loses nothing. PTB marks U's data for writing once more when the update's task
has ended (after step 5); that late mark is ignored, since writing this process's copy then
could overwrite newer data another instance stored meanwhile.

A kill between the reply (step 3) and the commit (step 4) - a few milliseconds - loses that
one step: the user's next answer is then read against the step before.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import Application, Job

from bot.services import SERVICES_KEY, Services
from bot.shared_state import reload_user_state
from bot.update_processor import ordering_key
from bot.user_locks import UserLocking, user_locks_for

log = logging.getLogger(__name__)


class SharedStateApplication(Application):  # type: ignore[type-arg]
    """An Application that keeps per-user state in the database between updates."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._user_locks: UserLocking | None = None
        self._handling: set[int] = set()  # update ids between steps 1 and 5

    async def process_update(self, update: object) -> None:
        user = ordering_key(update)
        if user is None or self.persistence is None or not isinstance(update, Update):
            await super().process_update(update)
            return
        async with self.user_locks.holding(user):
            self._handling.add(update.update_id)
            try:
                await reload_user_state(self, update)
            except Exception:  # noqa: BLE001 - go on with what this instance knows
                log.exception("could not reload the user's state")
            try:
                await super().process_update(update)
            finally:
                try:
                    await self.update_persistence()
                finally:
                    self._handling.discard(update.update_id)

    def _mark_for_persistence_update(
        self, *, update: object | None = None, job: Job[Any] | None = None
    ) -> None:
        """Overrides PTB's private hook (see tests/test_shared_state.py): only marks made
        while the update is being handled count, not the one after its task has ended."""
        if isinstance(update, Update) and update.update_id not in self._handling:
            update = None
        super()._mark_for_persistence_update(update=update, job=job)

    @property
    def user_locks(self) -> UserLocking:
        if self._user_locks is None:
            db = self._services.db
            self._user_locks = user_locks_for(db.url, db.backend)
        return self._user_locks

    @property
    def _services(self) -> Services:
        return self.bot_data[SERVICES_KEY]

    async def shutdown(self) -> None:
        await super().shutdown()
        locks, self._user_locks = self._user_locks, None
        if locks is not None:
            await locks.close()
