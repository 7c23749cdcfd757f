"""User preferences: /plan (/kehoach) and /lang (/ngonngu), and their buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from handlers.common import Context, caller, edit, send, services
from usecases import preferences


async def plan_command(update: Update, context: Context) -> None:
    who = await caller(update, context)
    svc = services(context)
    plan_id = preferences.plan_named(svc, " ".join(context.args or []))
    if plan_id is None:
        await send(update, preferences.plan_menu(svc, who.tr, who.plan_id))
        return
    await send(update, await preferences.set_plan(svc, who.telegram_id, plan_id, who.tr))


async def plan_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    who = await caller(update, context)
    svc = services(context)
    plan_id = preferences.chosen_plan(svc, query.data)
    if plan_id is False:
        await edit(update, preferences.unavailable_plan(who.tr))
        return
    assert plan_id is None or isinstance(plan_id, str)
    await edit(update, await preferences.set_plan(svc, who.telegram_id, plan_id, who.tr))
    pending = preferences.pending_answer(svc, who.telegram_id, plan_id, who.tr)
    if pending is not None:
        await send(update, pending)


async def lang_command(update: Update, context: Context) -> None:
    who = await caller(update, context)
    svc = services(context)
    code = preferences.language_of(svc, (context.args or [""])[0])
    if code is None:
        await send(update, preferences.language_menu(who.tr))
        return
    await send(update, await preferences.set_language(svc, who.telegram_id, code))


async def lang_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    svc = services(context)
    code = preferences.language_of(svc, query.data) or svc.settings.default_language
    user = update.effective_user
    assert user is not None
    await edit(update, await preferences.set_language(svc, user.id, code))


def handlers() -> list:
    return [
        CommandHandler(["plan", "kehoach"], plan_command),
        CommandHandler(["lang", "ngonngu"], lang_command),
        CallbackQueryHandler(plan_button, pattern=f"^{preferences.CB_PLAN}"),
        CallbackQueryHandler(lang_button, pattern=f"^{preferences.CB_LANG}"),
    ]
