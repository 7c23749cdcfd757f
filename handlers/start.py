"""/start: a welcome, or joining a unit with an invite code (``/start CODE``)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from handlers import qa
from handlers.common import Context, caller, send, services
from usecases.people import join_reply


async def start(update: Update, context: Context) -> None:
    code = (context.args or [""])[0].strip()
    if not code:
        await qa.start(update, context)
        return
    who = await caller(update, context)
    user = update.effective_user
    assert user is not None
    await send(update, await join_reply(services(context), user.id, user.full_name, who.tr, code))


def handler() -> CommandHandler:
    return CommandHandler("start", start)
