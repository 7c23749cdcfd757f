"""Between Telegram updates and the core: who is asking, in which language, and replies."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from handlers import outbox
from kernel.i18n import Translator, normalize_locale, translator
from kernel.reply import Reply
from storage import people
from storage.db import ConnectionSource
from storage.person_cache import load_person
from usecases.services import Services, services_of

Context = ContextTypes.DEFAULT_TYPE


@dataclass(frozen=True)
class Caller:
    """The person behind an update, as far as handlers need to know."""

    telegram_id: int
    person: Any  # storage.models.Person
    tr: Translator

    @property
    def plan_id(self) -> str | None:
        return self.person.plan_id


def services(context: Context) -> Services:
    return services_of(context.application.bot_data)


async def caller(
    update: Update, context: Context, *, session: ConnectionSource | None = None
) -> Caller:
    """Load (or create) the person and resolve their locale for this update.

    ``session``: a read transaction the handler goes on using, to read an uncached person in
    the same transaction. When the person's row must be written (first contact, new name,
    writing again after blocking the bot), it is closed first (one connection at a time per
    update) and starts afresh at its next use.
    """
    user = update.effective_user
    assert user is not None
    svc = services(context)
    person = svc.people.get(user.id)
    if person is None:
        reading = svc.db.quick() if session is None else nullcontext(session)
        async with reading as read:
            person = await load_person(read, user.id)
        renamed = bool(user.full_name) and person is not None and (
            person.display_name != user.full_name)
        if person is None or renamed or person.blocked_at is not None:
            if session is not None:
                await session.close()
            person = await _write_person(svc, user.id, user.full_name)
        svc.people.put(person)
    locale = person.language or normalize_locale(
        user.language_code, svc.settings.default_language
    )
    return Caller(user.id, person, translator(locale))


async def _write_person(svc: Services, telegram_id: int, full_name: str) -> Any:
    """First contact or a new display name: the person's row, unblocked if they had blocked
    the bot (they wrote to us again: reachable once more); one quick transaction."""
    async with svc.db.quick(write=True) as session:
        await people.record_contact(session, telegram_id, full_name or None)
        await session.commit()
        person = await load_person(session, telegram_id)
    assert person is not None
    return person


async def send(update: Update, reply: Reply) -> None:
    """Send a reply to the chat the update came from."""
    chat = update.effective_chat
    if chat is not None:
        await outbox.send_message(update.get_bot(), chat.id, reply)


async def edit(update: Update, reply: Reply) -> None:
    """Replace the message whose button was tapped (a new message when Telegram no longer
    gives access to it: too old, or deleted)."""
    query = update.callback_query
    message = query.message if query is not None else None
    if message is None or not message.is_accessible:
        await send(update, reply)
        return
    await outbox.edit_message(
        update.get_bot(), message.chat.id, message.message_id, reply
    )
