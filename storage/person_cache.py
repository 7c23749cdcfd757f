"""A short-lived, self-invalidating in-process cache of people, for the per-update lookup.

Every update needs the sender's role, unit, language and plan. Reading them from the
database costs more than answering most questions, so each process keeps them for a few
seconds. Any change to a person made through SQLAlchemy in this process (ORM flush or a
bulk UPDATE/DELETE on the people table) clears the affected entries at once; the TTL bounds
how long another instance's change can go unseen.
"""

from __future__ import annotations

import time
import weakref
from typing import Any

from sqlalchemy import bindparam, event, select
from sqlalchemy.orm import ORMExecuteState, Session, make_transient_to_detached

from storage.db import ConnectionSource
from storage.models import Person

_CACHES: weakref.WeakSet[PersonCache] = weakref.WeakSet()
_PEOPLE = Person.__table__.c
_PERSON_BY_TELEGRAM_ID = select(*_PEOPLE).where(_PEOPLE.telegram_id == bindparam("telegram_id"))


async def load_person(session: ConnectionSource, telegram_id: int) -> Person | None:
    """The person as a detached instance (as after a closed session), by one Core read.

    Same result as ``storage.people.get_person`` outside a session, without ORM query costs.
    """
    connection = await session.connection()
    row = (await connection.execute(_PERSON_BY_TELEGRAM_ID, {"telegram_id": telegram_id})).first()
    if row is None:
        return None
    person = Person(**row._mapping)
    make_transient_to_detached(person)
    return person


class PersonCache:
    def __init__(self, ttl: float = 5.0) -> None:
        self.ttl = ttl
        self._items: dict[int, tuple[float, Person]] = {}
        _CACHES.add(self)

    def get(self, telegram_id: int) -> Person | None:
        item = self._items.get(telegram_id)
        if item is None:
            return None
        if item[0] < time.monotonic():
            del self._items[telegram_id]
            return None
        return item[1]

    def forget(self, telegram_id: int) -> None:
        """Drop the person (their row just changed here)."""
        self._items.pop(telegram_id, None)

    def put(self, person: Person) -> None:
        if len(self._items) > 50_000:
            self._items.clear()
        self._items[person.telegram_id] = (time.monotonic() + self.ttl, person)

    def invalidate(self, telegram_id: int | None = None) -> None:
        if telegram_id is None:
            self._items.clear()
        else:
            self._items.pop(telegram_id, None)


def _invalidate_everywhere(telegram_id: int | None) -> None:
    for cache in list(_CACHES):
        cache.invalidate(telegram_id)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Person):
            _invalidate_everywhere(obj.telegram_id)


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    if table is not None and getattr(table, "name", None) == Person.__tablename__:
        _invalidate_everywhere(None)
