"""/start: a welcome, or joining a unit with an invite code (``/start CODE``)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from handlers import qa
from handlers.common import Context


async def start(update: Update, context: Context) -> None:
    await qa.start(update, context)


def handler() -> CommandHandler:
    return CommandHandler("start", start)
