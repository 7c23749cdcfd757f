"""/start: a welcome with the help of the person's role, or joining a unit with an invite code
(``/start CODE``), and the Replace / Keep buttons asked when that invite would replace the
unit and role the person already has."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from handlers.common import Context, answer_query, caller, edit, send, services
from usecases.help import help_role, start_reply
from usecases.people import CB_JOIN_KEEP, CB_JOIN_REPLACE, join_button_reply, join_reply

JOIN_BUTTONS = f"^(?:{re.escape(CB_JOIN_REPLACE)}|{re.escape(CB_JOIN_KEEP)})"


async def start(update: Update, context: Context) -> None:
    code = (context.args or [""])[0].strip()
    who = await caller(update, context)
    if not code:
        role = help_role(who.person, services(context).settings.admin_ids)
        await send(update, start_reply(who.tr, role))
        return
    user = update.effective_user
    assert user is not None
    await send(update, await join_reply(services(context), user.id, user.full_name, who.tr, code))


async def join_button(update: Update, context: Context) -> None:
    """Replace or Keep tapped: the answer replaces the question (and its buttons)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await answer_query(update)
    who = await caller(update, context)
    user = update.effective_user
    assert user is not None
    reply = await join_button_reply(services(context), user.id, user.full_name, who.tr,
                                    query.data)
    await edit(update, reply)


def handlers() -> list[BaseHandler]:
    """``/start`` and the Replace / Keep buttons of its invite question."""
    return [
        CommandHandler("start", start),
        CallbackQueryHandler(join_button, pattern=JOIN_BUTTONS),
    ]
