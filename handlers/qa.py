"""Questions about the plans: /ask, plain text, /help (/start is handlers.start)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from handlers.common import Context, caller, send, services
from kernel.reply import Reply
from usecases.help import help_reply, help_role


async def help_command(update: Update, context: Context) -> None:
    """``/help``: the commands of the caller's role, one example each (usecases.help)."""
    who = await caller(update, context, record=False)
    role = help_role(who.person, services(context).settings.admin_ids)
    await send(update, help_reply(who.tr, role))


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


__all__ = ["CallbackQueryHandler", "handlers", "fallback_handlers", "answer_text"]
