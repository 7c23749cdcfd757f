"""/deadline (/han), /remind (/nhacnho) and the supervisors' "remind them again" button."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from handlers.common import Context, caller, edit, send, services
from usecases.deadlines import actions
from usecases.deadlines.texts import REMIND_AGAIN


async def deadline_command(update: Update, context: Context) -> None:
    who = await caller(update, context)
    await send(update, await actions.deadline_reply(services(context), who.person, who.tr))


async def remind_command(update: Update, context: Context) -> None:
    """``/remind`` toggles reminders; ``/remind on`` / ``/remind off`` set them."""
    who = await caller(update, context)
    enabled = actions.wanted_reminders(" ".join(context.args or []), who.person)
    await actions.set_reminders(services(context), who.telegram_id, enabled)
    await send(update, actions.reminders_reply(who.tr, enabled))


async def remind_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    who = await caller(update, context)
    enabled = query.data == "remind:on"
    await actions.set_reminders(services(context), who.telegram_id, enabled)
    await edit(update, actions.reminders_reply(who.tr, enabled))


async def again_button(update: Update, context: Context) -> None:
    """A supervisor asks to remind the officers of the units still missing a month."""
    query = update.callback_query
    assert query is not None and query.data is not None
    who = await caller(update, context)
    reply, alert = await actions.remind_again_reply(
        services(context), who.person, who.tr, query.data)
    await query.answer(alert, show_alert=alert is not None)
    if reply is not None:
        await send(update, reply)


def handlers() -> list:
    return [
        CommandHandler(["deadline", "han"], deadline_command),
        CommandHandler(["remind", "nhacnho"], remind_command),
        CallbackQueryHandler(remind_button, pattern=r"^remind:(on|off)$"),
        CallbackQueryHandler(again_button, pattern="^" + re.escape(REMIND_AGAIN)),
    ]
