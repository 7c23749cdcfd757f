"""Questions about the plans: /ask, plain text, /start, /help."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from handlers.common import Context, caller, send, services
from kernel.i18n import Translator
from kernel.reply import Reply


def help_reply(tr: Translator, *, staff: bool = False) -> Reply:
    """Examples and commands; ``staff`` adds the reporting and supervisor commands."""
    lines = [
        tr.gettext("I answer questions about the Action Plan for Children and collect "
                   "monthly case reports."),
        "",
        tr.gettext("Ask, for example:"),
        "• " + tr.gettext("target 14 for 2025"),
        "• " + tr.gettext("who is responsible for target 9?"),
        "• " + tr.gettext("which targets does the Department of Health lead?"),
        "• " + tr.gettext("birth registration"),
        "• " + tr.gettext("compare target 11"),
        "• " + tr.gettext("reporting deadlines"),
        "",
        tr.gettext("Commands:"),
        "/plan — " + tr.gettext("choose your plan"),
        "/lang — " + tr.gettext("change language"),
        "/ask — " + tr.gettext("ask a question"),
    ]
    if staff:
        lines += [
            "/report — " + tr.gettext("send the monthly case report"),
            "/myreports — " + tr.gettext("recent reports of your unit"),
            "/stats — " + tr.gettext("statistics, chart and exports"),
            "/deadline — " + tr.gettext("your next deadlines"),
            "/remind — " + tr.gettext("reminders on or off"),
        ]
    lines.append("/help — " + tr.gettext("this help"))
    if staff:
        lines += ["", tr.gettext("Report in one message, for example:"),
                  tr.gettext("report 10/2025: abuse 2, injury 5, marriage 0")]
    return Reply("\n".join(lines))


def _is_staff(who: object, context: Context) -> bool:
    person = who.person  # type: ignore[attr-defined]
    admin = who.telegram_id in services(context).settings.admin_ids  # type: ignore[attr-defined]
    return admin or (person.role is not None and person.active)


async def start(update: Update, context: Context) -> None:
    who = await caller(update, context)
    tr = who.tr
    greeting = tr.gettext("Hello! I am the Action Plan for Children assistant.")
    reply = help_reply(tr, staff=_is_staff(who, context))
    reply.text = f"{greeting}\n\n{reply.text}"
    await send(update, reply)


async def help_command(update: Update, context: Context) -> None:
    who = await caller(update, context, record=False)
    await send(update, help_reply(who.tr, staff=_is_staff(who, context)))


async def answer_text(update: Update, context: Context, text: str) -> None:
    """Answer one question with the caller's plan and language (never refused). A stranger's
    question costs no database write: nothing of theirs needs storing."""
    who = await caller(update, context, record=False)
    svc = services(context)
    answered = svc.questions.answer(text, plan_id=who.question_plan, tr=who.tr)
    if not answered.holds_details:  # kept in memory only, to answer again after /plan
        svc.remember_question(who.telegram_id, text)
    await send(update, answered.reply)


async def ask_command(update: Update, context: Context) -> None:
    text = " ".join(context.args or []).strip()
    if not text:
        who = await caller(update, context)
        tr = who.tr
        await send(update, Reply(tr.gettext("Type your question after /ask, for example: "
                                             "/ask target 14 for 2025")))
        return
    await answer_text(update, context, text)


async def question_message(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    await answer_text(update, context, message.text.strip())


def handlers() -> list:
    return [
        CommandHandler("help", help_command),
        CommandHandler(["ask", "hoi"], ask_command),
    ]


async def nothing_to_cancel(update: Update, context: Context) -> None:
    who = await caller(update, context)
    await send(update, Reply(who.tr.gettext("Nothing to cancel.")))


async def unknown_command(update: Update, context: Context) -> None:
    who = await caller(update, context)
    await send(update, Reply(who.tr.gettext("I do not know that command. See /help.")))


def command_fallbacks() -> list:
    """Last in group 0: a /cancel with nothing to cancel, and commands nobody knows."""
    return [
        CommandHandler(["cancel", "huy"], nothing_to_cancel),
        MessageHandler(filters.COMMAND, unknown_command),
    ]


def fallback_handlers() -> list:
    """Plain text no other handler took goes to question answering (group 1)."""
    return [MessageHandler(filters.TEXT & ~filters.COMMAND, question_message)]


__all__ = ["CallbackQueryHandler", "handlers", "fallback_handlers", "start", "answer_text"]
