"""The Application used when several instances share one database (``SHARED_STATE``).

Nothing a user's next update depends on stays in one process's memory. Around every update
of user U (inside the per-user update processor, so U's updates stay in order here):

1. take U's cross-instance lock (:mod:`bot.user_locks`; PostgreSQL only);
2. re-read U's conversation states, U's ``user_data`` and ``chat_data`` if another
   instance changed them, U's person row (role, unit, language, plan: replaces this
   instance's cached copy) and whether this update was processed already - if so, stop
   here (:mod:`bot.shared_state`, one read transaction);
3. handle the update;
4. write all changed state together with "update processed" (``Application.
   update_persistence``, which runs one at a time per instance and so also waits for a write
   of U's data another update started; then the persistence's flush);
5. release the lock.

In webhook mode Telegram gets its answer only after step 4 (:mod:`bot.web`). An instance
killed before step 4 commits has not answered, so Telegram delivers the update again, to any
instance, which handles it afresh from the state before it: the user may see that one reply
twice, but no step is lost and none is applied twice. PTB marks U's data for writing once more
when the update's task has ended (after step 5); that late mark is ignored, since writing this
process's copy then could overwrite newer data another instance stored meanwhile.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import Application, Job

from bot.persistence import SQLPersistence
from bot.shared_state import reload_user_state
from bot.update_processor import ordering_key
from bot.user_locks import UserLocking, user_locks_for
from storage.models import Person
from storage.person_cache import load_person
from usecases.services import SERVICES_KEY, Services

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
        sql = self.persistence if isinstance(self.persistence, SQLPersistence) else None
        async with self.user_locks.holding(user):
            self._handling.add(update.update_id)
            try:
                people = self._services.people

                async def sender(session: AsyncSession) -> Person | None:
                    return await load_person(session, user)

                try:
                    reloaded = await reload_user_state(
                        self, update, check_processed=True, also=sender)
                except Exception:  # noqa: BLE001 - go on with what this instance knows
                    log.exception("could not reload the user's state")
                    people.invalidate(user)
                else:
                    if reloaded.processed:
                        log.info("dropped a repeated update (id %s)", update.update_id)
                        return
                    # The sender as stored now (e.g. a /lang just changed on another instance).
                    if reloaded.also is None:
                        people.invalidate(user)
                    else:
                        people.put(reloaded.also)
                try:
                    await super().process_update(update)
                finally:
                    if sql is not None:
                        sql.record_processed(update.update_id)
                    await self.update_persistence()
                    if sql is not None:
                        await sql.flush()  # the mark, when no state changed
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
