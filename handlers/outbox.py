"""A :class:`~kernel.reply.Reply` posted to Telegram as a new message or in place of one.

The bot never uses the message Telegram sends back for a reply, and python-telegram-bot's
``send_message`` / ``edit_message_text`` turn that answer into a ``Message`` (a hundred
attributes, each set through TelegramObject's frozen-attribute check): more CPU than the rest
of a reply, parsing the user's update included. These functions make the same Bot API call
through the bot's own request path (defaults, rate limiter, errors raised as by
``send_message``: BadRequest, Forbidden, RetryAfter, ...) and leave the answer unparsed.
The keyboard goes as the Bot API's JSON, without building button objects first.

The bot is built without ``Defaults`` and without arbitrary callback data (a test checks),
which ``send_message`` would apply and this path does not.
"""

from __future__ import annotations

from typing import Any

from telegram import Bot
from telegram.constants import ParseMode

from kernel.reply import Reply

__all__ = ["edit_message", "keyboard", "send_message"]

_NO_PREVIEW = {"is_disabled": True}


def keyboard(reply: Reply) -> dict[str, Any] | None:
    """The reply's buttons as an ``InlineKeyboardMarkup`` (Bot API JSON), if any."""
    if not reply.buttons:
        return None
    return {
        "inline_keyboard": [
            [{"text": b.label, "callback_data": b.data} for b in row] for row in reply.buttons
        ]
    }


async def send_message(bot: Bot, chat_id: int, reply: Reply) -> None:
    """``sendMessage``: `reply` as a new message in the chat."""
    await _post(bot, "sendMessage", {"chat_id": chat_id}, reply)


async def edit_message(bot: Bot, chat_id: int, message_id: int, reply: Reply) -> None:
    """``editMessageText``: `reply` in place of the bot's message `message_id`."""
    await _post(bot, "editMessageText", {"chat_id": chat_id, "message_id": message_id}, reply)


async def _post(bot: Bot, method: str, where: dict[str, Any], reply: Reply) -> None:
    params = {
        **where,
        "text": reply.text,
        "parse_mode": ParseMode.HTML if reply.html else None,
        "reply_markup": keyboard(reply),
        "link_preview_options": _NO_PREVIEW,
    }
    # What Bot.send_message / edit_message_text run, minus building the returned Message.
    await bot._post(method, params)
