"""python-telegram-bot persistence in the project database (JSON, never pickle): the adapter
between PTB's BasePersistence and storage.conversation_store (which holds the SQL).

Stores conversation states, user_data, chat_data, bot_data and callback_data, so a
half-entered report survives a restart. Writes are batched: concurrent ``update_*`` calls
from one :meth:`telegram.ext.Application.update_persistence` run share a transaction.

Several instances: with ``refresh_from_db=True`` user and chat data written by another
instance (a higher row revision than this instance last saw) replace the in-memory copy in
``refresh_user_data``/``refresh_chat_data``; unsaved local changes are kept otherwise.
PTB loads conversation states once per instance; :meth:`reload_for_update` reads one
conversation's current states together with the user and chat data (one transaction), for
:mod:`bot.shared_state` to refresh all of them before each update.

Note: the Application replaces its ``bot_data`` with :meth:`get_bot_data` at start-up, so keep
``bot_data`` out of ``store_data`` when it holds live objects (the default here).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput

from storage.conversation_store import (
    BOT,
    CALLBACK,
    CHAT,
    DELETE,
    STATE,
    USER,
    ConversationStore,
    conversation_key,
)
from storage.db import ConnectionSource, Database
from storage.json_codec import decode, encode

log = logging.getLogger(__name__)

#: python-telegram-bot's types of these values (its own aliases live in a private module).
ConversationKey = tuple[int | str, ...]
ConversationDict = dict[ConversationKey, object]
CDCData = tuple[list[tuple[str, float, dict[str, Any]]], dict[str, str]]
_DELETE = DELETE


class SQLPersistence(BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """A :class:`telegram.ext.BasePersistence` backed by :class:`storage.db.Database`."""

    def __init__(
        self,
        db: Database,
        *,
        store_data: PersistenceInput | None = None,
        update_interval: float = 10,
        refresh_from_db: bool = False,
        migrate: bool = True,
    ) -> None:
        super().__init__(
            store_data=store_data or PersistenceInput(bot_data=False),
            update_interval=update_interval,
        )
        self.db = db
        self.store = ConversationStore(db)
        self.refresh_from_db = refresh_from_db
        self._migrate = migrate
        self._ready = False
        self._lock = asyncio.Lock()
        self._pending_data: dict[tuple[str, str], Any] = {}
        self._pending_states: dict[tuple[str, str], Any] = {}
        #: Update ids to record as processed, in the transaction that writes their state.
        self._pending_updates: set[int] = set()
        self._revisions: dict[tuple[str, str], int] = {}
        #: Per key, the encoded data last loaded, refreshed or queued: unchanged data is not
        #: written again (nor does it overwrite what another instance stored meanwhile).
        self._last: dict[tuple[str, str], Any] = {}

    # ------------------------------------------------------------------ reading

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        return {int(k): v for k, v in (await self._load_kind(USER)).items()}

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {int(k): v for k, v in (await self._load_kind(CHAT)).items()}

    async def get_bot_data(self) -> dict[Any, Any]:
        return (await self._load_kind(BOT)).get("", {})

    async def get_callback_data(self) -> CDCData | None:
        data = (await self._load_kind(CALLBACK)).get("")
        if data is None:
            return None
        keyboards, queries = data
        return [tuple(entry) for entry in keyboards], dict(queries)

    async def get_conversations(self, name: str) -> ConversationDict:
        await self._ensure_ready()
        states = await self.store.load_states(name)
        return {tuple(json.loads(key)): decode(state) for key, state in states.items()}

    async def reload_for_update(
        self,
        key: ConversationKey,
        names: Collection[str],
        *,
        user: tuple[int, dict[Any, Any]] | None = None,
        chat: tuple[int, dict[Any, Any]] | None = None,
    ) -> dict[str, object | None]:
        """What one update needs from the database now, read in one transaction.

        Returns the states stored for conversation ``key`` under each of ``names`` (None: no
        conversation), leaving out names with a local change not yet written. ``user`` and
        ``chat`` are (id, live data): newer stored data replaces the live data, as
        ``refresh_user_data``/``refresh_chat_data`` do with ``refresh_from_db``.
        """
        return (await self.reload(key, names, user=user, chat=chat)).states

    async def reload(
        self,
        key: ConversationKey,
        names: Collection[str],
        *,
        user: tuple[int, dict[Any, Any]] | None = None,
        chat: tuple[int, dict[Any, Any]] | None = None,
        update_id: int | None = None,
        also: Callable[[ConnectionSource], Awaitable[Any]] | None = None,
    ) -> Reloaded:
        """:meth:`reload_for_update`, whether ``update_id`` was processed already (see
        :meth:`record_processed`) and what ``also(session)`` reads, in one read transaction."""
        encoded = conversation_key(key)
        wanted = [name for name in names if (name, encoded) not in self._pending_states]
        targets = {
            (kind, str(pair[0])): pair[1]
            for kind, pair in ((USER, user), (CHAT, chat))
            if pair is not None and (kind, str(pair[0])) not in self._pending_data
        }
        if not (wanted or targets or update_id is not None or also is not None):
            return Reloaded({})
        await self._ensure_ready()
        pending = update_id is not None and update_id in self._pending_updates
        read = await self.store.read_for_update(
            encoded, wanted, dict(targets.keys()),
            update_id=None if pending else update_id, also=also,
        )
        for (kind, data_key), target in targets.items():
            self._take_if_newer(kind, data_key, read.rows.get((kind, data_key)), target)
        states = {name: read.rows.get((STATE, name)) for name in wanted}
        return Reloaded(
            {name: None if row is None else decode(row.data) for name, row in states.items()},
            pending or read.processed,
            read.also,
        )

    def record_processed(self, update_id: int) -> None:
        """Record ``update_id`` as processed with the next write (which also carries the
        state the update left), so a re-delivery is either fully done or not done at all."""
        self._pending_updates.add(update_id)

    # ------------------------------------------------------------------ writing

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        state_key = (name, conversation_key(key))
        if new_state is None:
            self._pending_states[state_key] = _DELETE
        elif (encoded := self._encode(new_state, f"conversation {name}")) is not None:
            self._pending_states[state_key] = encoded
        await self._write_pending()

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        await self._queue(USER, str(user_id), data)

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        await self._queue(CHAT, str(chat_id), data)

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        await self._queue(BOT, "", data)

    async def update_callback_data(self, data: CDCData) -> None:
        await self._queue(CALLBACK, "", data)

    async def drop_user_data(self, user_id: int) -> None:
        self._pending_data[(USER, str(user_id))] = _DELETE
        self._last.pop((USER, str(user_id)), None)
        await self._write_pending()

    async def drop_chat_data(self, chat_id: int) -> None:
        self._pending_data[(CHAT, str(chat_id))] = _DELETE
        self._last.pop((CHAT, str(chat_id)), None)
        await self._write_pending()

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        if self.refresh_from_db:
            await self._refresh(USER, str(user_id), user_data)

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        if self.refresh_from_db:
            await self._refresh(CHAT, str(chat_id), chat_data)

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        return None

    async def flush(self) -> None:
        await self._write_pending()

    # ------------------------------------------------------------------ internals

    async def _ensure_ready(self) -> None:
        if not self._ready:
            if self._migrate:
                await self.db.migrate()
            self._ready = True

    async def _load_kind(self, kind: str) -> dict[str, Any]:
        await self._ensure_ready()
        result = {}
        for row in await self.store.load_kind(kind):
            self._revisions[(kind, row.key)] = row.revision
            self._last[(kind, row.key)] = row.data
            result[row.key] = decode(row.data)
        return result

    def _encode(self, value: Any, what: str) -> Any:
        try:
            return encode(value)
        except TypeError as exc:  # keep the rest; never log the values themselves
            log.error("not persisted (%s): %s", what, exc)
            return None

    async def _queue(self, kind: str, key: str, data: Any) -> None:
        encoded = self._encode(data, f"{kind} data {key}")
        known = self._last.get((kind, key), _DELETE)
        # Empty data never stored (a stranger asking a question) needs no row.
        unchanged = encoded == known or (known is _DELETE and data == {})
        if encoded is not None and not unchanged:
            self._pending_data[(kind, key)] = self._last[(kind, key)] = encoded
        await self._write_pending()

    async def _write_pending(self) -> None:
        # Let the other update_* calls of one update_persistence run queue theirs first,
        # so that one transaction writes them all.
        await asyncio.sleep(0)
        async with self._lock:
            if not (self._pending_data or self._pending_states or self._pending_updates):
                return
            await self._ensure_ready()
            data, self._pending_data = self._pending_data, {}
            states, self._pending_states = self._pending_states, {}
            processed, self._pending_updates = self._pending_updates, set()
            try:
                revisions = await self.store.write(data, states, processed)
            except Exception:
                # Put back what was not written, unless newer values arrived meanwhile.
                self._pending_data = {**data, **self._pending_data}
                self._pending_states = {**states, **self._pending_states}
                self._pending_updates |= processed
                raise
            for key, value in data.items():
                if value is _DELETE:
                    self._revisions.pop(key, None)
            self._revisions.update(revisions)

    async def _refresh(self, kind: str, key: str, target: dict[Any, Any]) -> None:
        await self._ensure_ready()
        if (kind, key) in self._pending_data:
            return  # our own newer changes are waiting to be written
        row = await self.store.read_one(kind, key)
        self._take_if_newer(kind, key, row, target)

    def _take_if_newer(self, kind: str, key: str, row: Any, target: dict[Any, Any]) -> None:
        """Replace ``target`` with the stored row if another instance wrote it since."""
        known = self._revisions.get((kind, key), 0)
        if row is None or row.revision <= known:
            return
        self._revisions[(kind, key)] = row.revision
        self._last[(kind, key)] = row.data
        _replace(target, decode(row.data))


@dataclass(frozen=True)
class Reloaded:
    """What :meth:`SQLPersistence.reload` read: conversation states, and whether the update
    was processed before."""

    states: dict[str, object | None]
    processed: bool = False
    also: Any = None  # what the ``also`` reader returned


def _replace(target: dict[Any, Any], fresh: dict[Any, Any]) -> None:
    target.clear()
    target.update(fresh)
