"""python-telegram-bot persistence in the project database (JSON, never pickle).

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
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, bindparam, delete, literal, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from storage.db import Database
from storage.json_codec import decode, encode
from storage.models import ConversationState, PersistedData, ProcessedUpdate
from storage.types import utcnow
from storage.upsert import insert_for, insert_ignore_stmt

log = logging.getLogger(__name__)

USER, CHAT, BOT, CALLBACK = "user", "chat", "bot", "callback"
_DELETE = object()


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
        async with self.db.read_session() as session:
            rows = await session.execute(
                select(ConversationState.key, ConversationState.state).where(
                    ConversationState.name == name
                )
            )
            return {tuple(json.loads(key)): decode(state) for key, state in rows}

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
        also: Callable[[AsyncSession], Awaitable[Any]] | None = None,
    ) -> Reloaded:
        """:meth:`reload_for_update`, whether ``update_id`` was processed already (see
        :meth:`record_processed`) and what ``also(session)`` reads, in one read transaction."""
        encoded = json.dumps(list(key))
        wanted = [name for name in names if (name, encoded) not in self._pending_states]
        targets = {
            (kind, str(pair[0])): pair[1]
            for kind, pair in ((USER, user), (CHAT, chat))
            if pair is not None and (kind, str(pair[0])) not in self._pending_data
        }
        if not (wanted or targets or update_id is not None or also is not None):
            return Reloaded({})
        await self._ensure_ready()
        ids = dict(targets.keys())  # kind -> id, for the kinds to read
        params = {"conv_key": encoded, "names": wanted, USER: ids.get(USER), CHAT: ids.get(CHAT)}
        async with self.db.read_session(quick=True) as session:
            connection = await session.connection()
            processed = update_id is not None and (
                update_id in self._pending_updates
                or (await connection.execute(_PROCESSED, {"id": update_id})).first() is not None
            )
            rows = {}
            if wanted or targets:
                rows = {(row.kind, row.key): row
                        for row in await connection.execute(_RELOAD, params)}
            extra = await also(session) if also is not None else None
        for (kind, data_key), target in targets.items():
            self._take_if_newer(kind, data_key, rows.get((kind, data_key)), target)
        states = {name: rows.get((_STATE, name)) for name in wanted}
        return Reloaded(
            {name: None if row is None else decode(row.data) for name, row in states.items()},
            processed,
            extra,
        )

    def record_processed(self, update_id: int) -> None:
        """Record ``update_id`` as processed with the next write (which also carries the
        state the update left), so a re-delivery is either fully done or not done at all."""
        self._pending_updates.add(update_id)

    # ------------------------------------------------------------------ writing

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        state_key = (name, json.dumps(list(key)))
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
        async with self.db.read_session() as session:
            rows = await session.execute(
                select(PersistedData.key, PersistedData.data, PersistedData.revision).where(
                    PersistedData.kind == kind
                )
            )
            result = {}
            for key, data, revision in rows:
                self._revisions[(kind, key)] = revision
                self._last[(kind, key)] = data
                result[key] = decode(data)
            return result

    def _encode(self, value: Any, what: str) -> Any:
        try:
            return encode(value)
        except TypeError as exc:  # keep the rest; never log the values themselves
            log.error("not persisted (%s): %s", what, exc)
            return None

    async def _queue(self, kind: str, key: str, data: Any) -> None:
        encoded = self._encode(data, f"{kind} data {key}")
        if encoded is not None and encoded != self._last.get((kind, key), _DELETE):
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
                async with self.db.session(quick=True) as session:
                    await self._write_data(session, data)
                    await self._write_states(session, states)
                    if processed:
                        connection = await session.connection()
                        await connection.execute(
                            _statements(connection.dialect.name).record_update,
                            [{"update_id": i, "processed_at": utcnow()} for i in processed],
                        )
                    await session.commit()
            except Exception:
                # Put back what was not written, unless newer values arrived meanwhile.
                self._pending_data = {**data, **self._pending_data}
                self._pending_states = {**states, **self._pending_states}
                self._pending_updates |= processed
                raise

    async def _write_data(self, session: Any, data: dict[tuple[str, str], Any]) -> None:
        connection = await session.connection()
        statements = _statements(connection.dialect.name)
        deletions = [{"kind": k, "key": key} for (k, key), v in data.items() if v is _DELETE]
        if deletions:
            await connection.execute(statements.delete_data, deletions)
            for row in deletions:
                self._revisions.pop((row["kind"], row["key"]), None)
        for (kind, key), value in data.items():
            if value is not _DELETE:
                params = {"kind": kind, "key": key, "data": value}
                revision = (await connection.execute(statements.upsert_data, params)).scalar_one()
                self._revisions[(kind, key)] = revision

    async def _write_states(self, session: Any, states: dict[tuple[str, str], Any]) -> None:
        connection = await session.connection()
        statements = _statements(connection.dialect.name)
        deletions, upserts = [], []
        for (name, key), value in states.items():
            if value is _DELETE:
                deletions.append({"name": name, "key": key})
            else:
                upserts.append({"name": name, "key": key, "state": value})
        if deletions:  # one executemany each: statements compiled once, whatever the count
            await connection.execute(statements.delete_state, deletions)
        if upserts:
            await connection.execute(statements.upsert_state, upserts)

    async def _refresh(self, kind: str, key: str, target: dict[Any, Any]) -> None:
        await self._ensure_ready()
        if (kind, key) in self._pending_data:
            return  # our own newer changes are waiting to be written
        async with self.db.read_session(quick=True) as session:
            row = (
                await session.execute(
                    select(PersistedData.data, PersistedData.revision).where(
                        PersistedData.kind == kind, PersistedData.key == key
                    )
                )
            ).one_or_none()
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


_PROCESSED = select(ProcessedUpdate.update_id).where(
    ProcessedUpdate.update_id == bindparam("id"))
_STATE = "conversation state"
#: One statement (compiled once) for reload_for_update: states of one key, user and chat data.
_RELOAD = union_all(
    select(
        literal(_STATE).label("kind"),
        ConversationState.name.label("key"),
        ConversationState.state.label("data"),
        literal(0).label("revision"),
    ).where(
        ConversationState.key == bindparam("conv_key"),
        ConversationState.name.in_(bindparam("names", expanding=True)),
    ),
    select(PersistedData.kind, PersistedData.key, PersistedData.data, PersistedData.revision).where(
        or_(
            and_(PersistedData.kind == USER, PersistedData.key == bindparam("user")),
            and_(PersistedData.kind == CHAT, PersistedData.key == bindparam("chat")),
        )
    ),
)


@dataclass(frozen=True)
class _Writes:
    delete_data: Any
    upsert_data: Any
    delete_state: Any
    upsert_state: Any
    record_update: Any


@lru_cache(maxsize=4)
def _statements(dialect: str) -> _Writes:
    """The persistence's write statements for one dialect, built (and compiled) once."""
    insert = insert_for(dialect)
    data, states = PersistedData.__table__, ConversationState.__table__
    upsert_data = insert(data).values(
        kind=bindparam("kind"), key=bindparam("key"), data=bindparam("data"), revision=1)
    upsert_state = insert(states).values(
        name=bindparam("name"), key=bindparam("key"), state=bindparam("state"))
    return _Writes(
        delete_data=delete(data).where(
            data.c.kind == bindparam("kind"), data.c.key == bindparam("key")),
        upsert_data=upsert_data.on_conflict_do_update(
            index_elements=["kind", "key"],
            set_={"data": upsert_data.excluded.data, "revision": data.c.revision + 1},
        ).returning(data.c.revision),
        delete_state=delete(states).where(
            states.c.name == bindparam("name"), states.c.key == bindparam("key")),
        upsert_state=upsert_state.on_conflict_do_update(
            index_elements=["name", "key"], set_={"state": upsert_state.excluded.state}),
        record_update=insert_ignore_stmt(dialect, ProcessedUpdate.__table__),
    )


def _replace(target: dict[Any, Any], fresh: dict[Any, Any]) -> None:
    target.clear()
    target.update(fresh)
