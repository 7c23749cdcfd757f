"""Where python-telegram-bot's persistence keeps its data: conversation states, user and chat
data (JSON, never pickle) and the ids of updates handled (SQL only; the adapter is
bot.persistence).

Writes are batched: one transaction writes every queued change and the update ids whose
state they carry. Each data row has a revision that increases with every write, so an
instance can tell that another one changed it.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, bindparam, delete, literal, or_, select, union_all

from storage.db import ConnectionSource, Database
from storage.models import ConversationState, PersistedData, ProcessedUpdate
from storage.types import utcnow
from storage.upsert import insert_for, insert_ignore_stmt

USER, CHAT, BOT, CALLBACK = "user", "chat", "bot", "callback"
#: Marks a queued deletion.
DELETE = object()
_STATE = "conversation state"


@dataclass(frozen=True)
class DataRow:
    key: str
    data: Any  # JSON as stored
    revision: int


@dataclass(frozen=True)
class ForUpdate:
    """What one update needs, read in one transaction: the stored rows (conversation states by
    name under ``(_STATE, name)``, user and chat data under ``(kind, id)``), whether the update
    was handled already, and what the caller's ``also`` read."""

    rows: dict[tuple[str, str], Any]
    processed: bool = False
    also: Any = None


def conversation_key(key: Collection[Any]) -> str:
    """The stored form of a conversation key (a tuple of chat and user ids)."""
    return json.dumps(list(key))


class ConversationStore:
    """The persistence tables of one database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def load_kind(self, kind: str) -> list[DataRow]:
        """Every row of one kind (``user``, ``chat``, ``bot``, ``callback``)."""
        async with self.db.read_session() as session:
            rows = await session.execute(
                select(PersistedData.key, PersistedData.data, PersistedData.revision).where(
                    PersistedData.kind == kind
                )
            )
            return [DataRow(key, data, revision) for key, data, revision in rows]

    async def load_states(self, name: str) -> dict[str, Any]:
        """A conversation's stored states by key (JSON as stored)."""
        async with self.db.read_session() as session:
            rows = await session.execute(
                select(ConversationState.key, ConversationState.state).where(
                    ConversationState.name == name
                )
            )
            return {key: state for key, state in rows}

    async def read_one(self, kind: str, key: str) -> DataRow | None:
        async with self.db.quick() as session:
            connection = await session.connection()
            row = (await connection.execute(_ONE, {"kind": kind, "key": key})).one_or_none()
        return DataRow(key, row.data, row.revision) if row is not None else None

    async def read_for_update(
        self,
        conv_key: str,
        names: Collection[str],
        ids: Mapping[str, str],
        *,
        update_id: int | None = None,
        also: Callable[[ConnectionSource], Awaitable[Any]] | None = None,
    ) -> ForUpdate:
        """Conversation ``names``' states for ``conv_key``, the user and chat data of ``ids``
        (kind → id), whether ``update_id`` was handled, and ``also(connection source)``."""
        params = {"conv_key": conv_key, "names": list(names),
                  USER: ids.get(USER), CHAT: ids.get(CHAT)}
        async with self.db.quick() as session:
            connection = await session.connection()
            processed = update_id is not None and (
                (await connection.execute(_PROCESSED, {"id": update_id})).first() is not None
            )
            rows = {}
            if names or ids:
                found = await connection.execute(_RELOAD, params)
                rows = {(row.kind, row.key): row for row in found}
            extra = await also(session) if also is not None else None
        return ForUpdate(rows, processed, extra)

    async def write(
        self,
        data: Mapping[tuple[str, str], Any],
        states: Mapping[tuple[str, str], Any],
        processed: Collection[int] = (),
    ) -> dict[tuple[str, str], int]:
        """Write queued data rows ((kind, key) → JSON or DELETE), conversation states ((name,
        key) → JSON or DELETE) and handled update ids in one transaction; returns the new
        revision of each data row written."""
        revisions: dict[tuple[str, str], int] = {}
        async with self.db.quick(write=True) as session:
            connection = await session.connection()
            statements = _statements(connection.dialect.name)
            deletions = [{"kind": k, "key": key} for (k, key), v in data.items() if v is DELETE]
            if deletions:
                await connection.execute(statements.delete_data, deletions)
            for (kind, key), value in data.items():
                if value is not DELETE:
                    params = {"kind": kind, "key": key, "data": value}
                    result = await connection.execute(statements.upsert_data, params)
                    revisions[(kind, key)] = result.scalar_one()
            gone = [{"name": n, "key": k} for (n, k), v in states.items() if v is DELETE]
            kept = [{"name": n, "key": k, "state": v} for (n, k), v in states.items()
                    if v is not DELETE]
            if gone:  # one executemany each: statements compiled once, whatever the count
                await connection.execute(statements.delete_state, gone)
            if kept:
                await connection.execute(statements.upsert_state, kept)
            if processed:
                await connection.execute(
                    statements.record_update,
                    [{"update_id": i, "processed_at": utcnow()} for i in processed],
                )
            await session.commit()
        return revisions


_PROCESSED = select(ProcessedUpdate.update_id).where(
    ProcessedUpdate.update_id == bindparam("id"))
_ONE = select(PersistedData.data, PersistedData.revision).where(
    PersistedData.kind == bindparam("kind"), PersistedData.key == bindparam("key"))
#: One statement (compiled once) for read_for_update: states of one key, user and chat data.
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
            and_(PersistedData.kind == USER, PersistedData.key == bindparam(USER)),
            and_(PersistedData.kind == CHAT, PersistedData.key == bindparam(CHAT)),
        )
    ),
)
STATE = _STATE


@dataclass(frozen=True)
class _Writes:
    delete_data: Any
    upsert_data: Any
    delete_state: Any
    upsert_state: Any
    record_update: Any


@lru_cache(maxsize=4)
def _statements(dialect: str) -> _Writes:
    """The write statements for one dialect, built (and compiled) once."""
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
