"""Between Telegram updates and the core: who is asking, in which language, and replies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot.i18n import Translator, normalize_locale, translator
from bot.reply import Reply
from bot.services import Services, services_of
from storage import people
from storage.person_cache import load_person

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


async def caller(update: Update, context: Context) -> Caller:
    """Load (or create) the person and resolve their locale for this update."""
    user = update.effective_user
    assert user is not None
    svc = services(context)
    person = svc.people.get(user.id)
    if person is None:
        async with svc.db.read_session() as session:
            person = await load_person(session, user.id)
        if person is None or (user.full_name and person.display_name != user.full_name):
            async with svc.db.session() as session:
                person = await people.get_or_create_person(
                    session, user.id, display_name=user.full_name
                )
                await session.commit()
        if person.blocked_at is not None:  # they wrote to us again: reachable once more
            async with svc.db.session() as session:
                await people.mark_unblocked(session, user.id)
                await session.commit()
            person.blocked_at = None
        svc.people.put(person)
    locale = person.language or normalize_locale(
        user.language_code, svc.settings.default_language
    )
    return Caller(user.id, person, translator(locale))


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
            for row in reply.buttons
        ]
    )


async def send(update: Update, reply: Reply) -> Message | None:
    """Send a reply to the chat the update came from."""
    chat = update.effective_chat
    if chat is None:
        return None
    return await chat.send_message(
        reply.text,
        parse_mode=ParseMode.HTML if reply.html else None,
        reply_markup=markup(reply),
        disable_web_page_preview=True,
    )


async def edit(update: Update, reply: Reply) -> None:
    """Replace the message whose button was tapped (falls back to a new message)."""
    query = update.callback_query
    if query is None or query.message is None:
        await send(update, reply)
        return
    await query.edit_message_text(
        reply.text,
        parse_mode=ParseMode.HTML if reply.html else None,
        reply_markup=markup(reply),
        disable_web_page_preview=True,
    )
