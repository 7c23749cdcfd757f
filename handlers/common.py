"""Between Telegram updates and the use cases: who is asking (usecases.callers), the
services, and replies through the one path out (handlers.outbox)."""

from __future__ import annotations

import contextlib

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from handlers import outbox
from kernel.reply import Reply
from storage.db import ConnectionSource
from usecases.callers import Caller, Sender, identify
from usecases.services import Services, services_of

Context = ContextTypes.DEFAULT_TYPE


def services(context: Context) -> Services:
    return services_of(context.application.bot_data)


def sender(update: Update) -> Sender:
    """What Telegram says of the person behind ``update``."""
    user = update.effective_user
    assert user is not None
    return Sender(user.id, user.full_name or "", user.language_code)


async def caller(
    update: Update, context: Context, *, session: ConnectionSource | None = None,
    record: bool = True,
) -> Caller:
    """The person behind ``update`` and their locale (usecases.callers.identify)."""
    return await identify(services(context), sender(update), session=session, record=record)


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


async def answer_query(update: Update, text: str | None = None) -> None:
    """Answer a tapped button (stops its spinner; ``text``: a short notice), if it still can
    be: an old or already answered one is let be."""
    query = update.callback_query
    if query is None:
        return
    with contextlib.suppress(BadRequest):
        await query.answer(text)
