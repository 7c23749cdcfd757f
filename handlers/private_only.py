"""Unit data only in private chats: in a group, the commands and buttons that show or change a
unit's data get one line pointing to a private chat, and nothing of the unit is posted.

Runs before every other handler (after dropping repeated updates); questions about the plans
are still answered in groups.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, TypeHandler

from handlers.common import Context, caller, send, services
from kernel.reply import Reply
from reports.parse import looks_like_report
from storage.access_log import log_refusal

log = logging.getLogger(__name__)

#: Handler group: after bot.duplicates, before everything else.
GROUP = -1
#: Commands that show or change a unit's data (reports, statistics, people, invites...).
COMMANDS = frozenset({
    "report", "baocao", "myreports", "baocaocuatoi", "reopen", "molai", "stats", "thongke",
    "deadline", "han", "remind", "nhacnho", "units", "donvi", "unit", "suadonvi", "people",
    "nhansu", "move", "chuyen", "deactivate", "vohieu", "invite", "moi",
})  # fmt: skip
#: Callback data of buttons that show or change a unit's data.
BUTTONS = ("stats:", "rp:", "report:start:", "nudge:again:", "ro:", "remind:")


def _command(text: str) -> tuple[str, bool]:
    """(command name, has arguments) of a message starting with "/" ("" otherwise)."""
    words = text.split()
    if not words or not words[0].startswith("/"):
        return "", False
    return words[0][1:].split("@", 1)[0].lower(), len(words) > 1


def _unit_data(update: Update) -> bool:
    query = update.callback_query
    if query is not None:
        return (query.data or "").startswith(BUTTONS)
    message = update.message
    if message is None or not message.text:
        return False
    name, has_args = _command(message.text)
    if name:
        return name in COMMANDS or (name == "start" and has_args)  # an invite code
    return looks_like_report(message.text)


async def refuse_in_groups(update: Update, context: Context) -> None:
    """Stop a unit-data request made outside a private chat, with one line of explanation."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE or update.effective_user is None:
        return
    if not _unit_data(update):
        return
    who = await caller(update, context)
    svc = services(context)
    text = who.tr.gettext(
        "Unit data is only shown in a private chat. Please write to me directly: "
        "https://t.me/{bot}", bot=svc.settings.bot_username,
    )
    await log_refusal(svc.db, who.person.id, "group_chat")
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    else:
        await send(update, Reply(text))
    raise ApplicationHandlerStop


def handler() -> TypeHandler:
    return TypeHandler(Update, refuse_in_groups)
