"""User preferences: /plan and /lang, remembered in the database."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from handlers.common import Context, caller, edit, send, services
from kernel.i18n import SUPPORTED, translator
from kernel.reply import Button, Reply
from knowledge.render import short_name
from storage import people

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


def plan_menu(context: Context, tr, current: str | None) -> Reply:
    svc = services(context)
    rows = []
    for plan in svc.plans.values():
        label = short_name(plan)
        if plan.id == current:
            label = "✓ " + label
        rows.append([Button(label, f"setplan:{plan.id}")])
    rows.append([Button(tr.gettext("No fixed plan (ask across all)"), "setplan:-")])
    text = tr.gettext("Which plan should I answer from?")
    if current and current in svc.plans:
        name = short_name(svc.plans[current])
        text = tr.gettext("Your plan: {name}.", name=name) + "\n" + text
    return Reply(text, rows)


async def plan_command(update: Update, context: Context) -> None:
    who = await caller(update, context)
    svc = services(context)
    query = " ".join(context.args or []).strip()
    if query:
        matches = svc.qa.match_plans(query)
        if len(matches) == 1:
            await _set_plan(update, context, matches[0], edit_message=False)
            return
    await send(update, plan_menu(context, who.tr, who.plan_id))


async def _set_plan(update: Update, context: Context, plan_id: str | None, *,
                    edit_message: bool) -> None:
    svc = services(context)
    user = update.effective_user
    assert user is not None
    async with svc.db.session(quick=True) as session:
        await people.set_plan(session, user.id, plan_id)
        await session.commit()
    who = await caller(update, context)
    tr = who.tr
    if plan_id:
        name = short_name(svc.plans[plan_id])
        text = tr.gettext("Plan set: {name}. Your questions are answered from it.", name=name)
    else:
        text = tr.gettext("No fixed plan: I answer across all plans.")
    confirmation = Reply(text)
    if edit_message:
        await edit(update, confirmation)
    else:
        await send(update, confirmation)
    last = svc.last_questions.pop(user.id, None) if edit_message else None
    if last and plan_id:
        await send(update, svc.answers.answer(last, plan_id, tr)[1])


async def plan_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    plan_id = query.data.split(":", 1)[1]
    svc = services(context)
    if plan_id != "-" and plan_id not in svc.plans:
        who = await caller(update, context)
        await edit(update, Reply(who.tr.gettext("That plan is no longer available.")))
        return
    await _set_plan(update, context, None if plan_id == "-" else plan_id, edit_message=True)


async def lang_command(update: Update, context: Context) -> None:
    who = await caller(update, context)
    arg = (context.args or [""])[0].lower()
    if arg in SUPPORTED:
        await _set_lang(update, context, arg, edit_message=False)
        return
    buttons = [[Button(LANGUAGE_NAMES[code], f"setlang:{code}") for code in SUPPORTED]]
    await send(update, Reply(who.tr.gettext("Choose your language:"), buttons))


async def _set_lang(update: Update, context: Context, code: str, *, edit_message: bool) -> None:
    svc = services(context)
    user = update.effective_user
    assert user is not None
    async with svc.db.session(quick=True) as session:
        await people.set_language(session, user.id, code)
        await session.commit()
    tr = translator(code)
    reply = Reply(tr.gettext("Language set: English."))
    await (edit(update, reply) if edit_message else send(update, reply))


async def lang_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    code = query.data.split(":", 1)[1]
    if code not in SUPPORTED:
        code = services(context).settings.default_language
    await _set_lang(update, context, code, edit_message=True)


def handlers() -> list:
    return [
        CommandHandler(["plan", "kehoach"], plan_command),
        CommandHandler(["lang", "ngonngu"], lang_command),
        CallbackQueryHandler(plan_button, pattern=r"^setplan:"),
        CallbackQueryHandler(lang_button, pattern=r"^setlang:"),
    ]
