"""Who is asking, in which language: the person behind a message, read (and on first contact
or a new name, written) in the database, with a short-lived cache."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from kernel.i18n import Translator, normalize_locale, translator
from storage import people
from storage.db import ConnectionSource
from storage.models import Person
from storage.person_cache import load_person
from usecases.services import Services


@dataclass(frozen=True)
class Sender:
    """What the messaging platform says of the person behind a message."""

    telegram_id: int
    full_name: str = ""
    language_code: str | None = None


@dataclass(frozen=True)
class Caller:
    """The person behind a message, as the features need them."""

    telegram_id: int
    person: Any  # storage.models.Person (transient for a stranger not recorded)
    tr: Translator

    #: The plan of the person's unit (for a registered officer or supervisor), if any.
    unit_plan_id: str | None = None

    @property
    def plan_id(self) -> str | None:
        """The plan the person chose with /plan."""
        return self.person.plan_id

    @property
    def question_plan(self) -> str | None:
        """The plan a question is answered from when it names none: the person's /plan,
        else their unit's plan; None (every plan) for anyone else."""
        return self.person.plan_id or self.unit_plan_id


async def identify(
    svc: Services, sender: Sender, *, session: ConnectionSource | None = None,
    record: bool = True,
) -> Caller:
    """The person and their locale for one message.

    ``session``: a read transaction the caller goes on using, to read an uncached person in
    the same transaction. When the person's row must be written (first contact, a new name,
    writing again after blocking the bot), it is closed first (one connection at a time per
    message) and starts afresh at its next use. ``record=False``: a stranger is not written
    (a question needs nothing of theirs stored); they get a row when they act.
    """
    person = svc.people.get(sender.telegram_id)
    if person is None:
        reading = svc.db.quick() if session is None else nullcontext(session)
        async with reading as read:
            person = await load_person(read, sender.telegram_id)
        renamed = bool(sender.full_name) and person is not None and (
            person.display_name != sender.full_name)
        if person is None and not record:
            person = _stranger(sender)
        elif person is None or renamed or person.blocked_at is not None:
            if session is not None:
                await session.close()
            person = await _record_contact(svc, sender)
            svc.people.put(person)
        else:
            svc.people.put(person)
    locale = person.language or normalize_locale(
        sender.language_code, svc.settings.default_language
    )
    unit_plan = svc.unit_plans.plan_of(person.unit_id) if person.role and person.active else None
    return Caller(sender.telegram_id, person, translator(locale), unit_plan)


def _stranger(sender: Sender) -> Person:
    """Someone not in the database yet, as a person with no role (not written)."""
    return Person(telegram_id=sender.telegram_id, display_name=sender.full_name or None,
                  language=None, plan_id=None, role=None, unit_id=None, active=True,
                  reminders_enabled=True, blocked_at=None)


async def _record_contact(svc: Services, sender: Sender) -> Any:
    """First contact or a new display name: the person's row, unblocked if they had blocked
    the bot (they wrote to us again: reachable once more); one quick transaction."""
    async with svc.db.quick(write=True) as session:
        await people.record_contact(session, sender.telegram_id, sender.full_name or None)
        await session.commit()
        person = await load_person(session, sender.telegram_id)
    assert person is not None
    return person
