"""/deadline (/han), /remind (/nhacnho) and the supervisors' "remind them again" button."""

from __future__ import annotations

import re

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler

from handlers.common import Context, answer_query, caller, edit, send, services
from usecases.deadlines import actions
from usecases.deadlines.texts import REMIND_AGAIN


async def deadline_command(update: Update, context: Context) -> None:
    who = await caller(update, context)
    await send(update, await actions.deadline_reply(services(context), who.person, who.tr))


async def remind_command(update: Update, context: Context) -> None:
    """``/remind`` shows the state with On and Off buttons; ``/remind on|off`` sets it."""
    who = await caller(update, context)
    words = " ".join(context.args or [])
    await send(update, await actions.remind_reply(services(context), who.person, who.tr, words))


async def remind_button(update: Update, context: Context) -> None:
    """On or Off tapped: set it and show the new state in place of the message."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await answer_query(update)
    who = await caller(update, context)
    reply = await actions.remind_button_reply(services(context), who.telegram_id, who.tr,
                                              query.data)
    try:
        await edit(update, reply)
    except BadRequest as exc:  # the same state tapped again: the message already says it
        if "not modified" not in str(exc).lower():
            raise


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
        CallbackQueryHandler(
            remind_button, pattern=f"^({actions.CB_REMIND_ON}|{actions.CB_REMIND_OFF})$"),
        CallbackQueryHandler(again_button, pattern="^" + re.escape(REMIND_AGAIN)),
    ]
