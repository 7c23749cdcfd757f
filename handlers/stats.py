"""/stats (/thongke): statistics for a unit and period; buttons send the chart and exports."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatAction
from telegram.ext import CallbackQueryHandler, CommandHandler

from handlers import outbox
from handlers.common import Context, caller, send, services
from kernel.reply import Reply
from usecases.statistics.answers import StatsFile, stats_file, stats_reply


async def stats_command(update: Update, context: Context) -> None:
    who = await caller(update, context)
    args = " ".join(context.args or [])
    await send(update, await stats_reply(services(context), who.person, who.tr, args))


async def stats_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    who = await caller(update, context)
    chat = update.effective_chat
    assert chat is not None
    photo = query.data.startswith("stats:png:")
    await chat.send_chat_action(ChatAction.UPLOAD_PHOTO if photo else ChatAction.UPLOAD_DOCUMENT)
    result = await stats_file(services(context), who.person, who.tr, query.data)
    if isinstance(result, Reply):
        await send(update, result)
    else:
        await _send_file(update, result)


async def _send_file(update: Update, file: StatsFile) -> None:
    chat = update.effective_chat
    assert chat is not None
    await outbox.send_file(update.get_bot(), chat.id, file.data, file.filename, file.caption,
                           photo=file.kind == "png")


def handlers() -> list:
    return [
        CommandHandler(["stats", "thongke"], stats_command),
        CallbackQueryHandler(stats_button, pattern=r"^stats:"),
    ]
