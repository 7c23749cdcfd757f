"""The Application used when several instances share one database (``SHARED_STATE``).

Nothing a user's next update depends on stays in one process's memory. Around every update
of user U (inside the per-user update processor, so U's updates stay in order here):

1. take U's cross-instance lock (:mod:`bot.user_locks`; PostgreSQL only);
2. re-read U's conversation states (:mod:`bot.shared_state`) and forget U's cached person;
   PTB then refreshes U's ``user_data`` and ``chat_data`` from the database itself
   (``SQLPersistence(refresh_from_db=True)``, called when the first handler matches);
3. handle the update;
4. write all changed state (``Application.update_persistence``, which runs one at a time
   per instance and so also waits for a write of U's data another update started);
5. release the lock.

So another instance given U's next update sees everything this one did, and a process killed
after step 4 loses nothing. A kill between the reply (step 3) and the commit (step 4) - a few
milliseconds - loses that one step: the user's next answer is read against the step before.
"""

from __future__ import annotations

import logging

from telegram.ext import Application

from bot.services import SERVICES_KEY, Services
from bot.shared_state import reload_conversations
from bot.update_processor import ordering_key
from bot.user_locks import UserLocking, user_locks_for

log = logging.getLogger(__name__)


class SharedStateApplication(Application):  # type: ignore[type-arg]
    """An Application that keeps per-user state in the database between updates."""

    async def process_update(self, update: object) -> None:
        user = ordering_key(update)
        if user is None or self.persistence is None:
            await super().process_update(update)
            return
        async with self.user_locks.holding(user):
            try:
                await reload_conversations(self, update)
                self._services.people.invalidate(user)
            except Exception:  # noqa: BLE001 - go on with what this instance knows
                log.exception("could not reload the conversation state")
            try:
                await super().process_update(update)
            finally:
                await self.update_persistence()

    @property
    def user_locks(self) -> UserLocking:
        locks: UserLocking | None = getattr(self, "_user_locks", None)
        if locks is None:
            db = self._services.db
            locks = self._user_locks = user_locks_for(db.url, db.backend)
        return locks

    @property
    def _services(self) -> Services:
        return self.bot_data[SERVICES_KEY]

    async def shutdown(self) -> None:
        await super().shutdown()
        locks: UserLocking | None = getattr(self, "_user_locks", None)
        if locks is not None:
            self._user_locks = None
            await locks.close()
