"""Questions about the plans: /ask, plain text, /start, /help."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.i18n import Translator
from bot.reply import Reply
from handlers.common import Context, caller, send, services

def help_reply(tr: Translator) -> Reply:
    text = "\n".join(
        [
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
            "/help — " + tr.gettext("this help"),
        ]
    )
    return Reply(text)


async def start(update: Update, context: Context) -> None:
    who = await caller(update, context)
    tr = who.tr
    greeting = tr.gettext("Hello! I am the Action Plan for Children assistant.")
    reply = help_reply(tr)
    reply.text = f"{greeting}\n\n{reply.text}"
    await send(update, reply)


async def help_command(update: Update, context: Context) -> None:
    who = await caller(update, context)
    await send(update, help_reply(who.tr))


async def answer_text(update: Update, context: Context, text: str) -> None:
    """Answer one question with the caller's plan and language."""
    who = await caller(update, context)
    svc = services(context)
    svc.remember_question(who.telegram_id, text)
    _answer, reply = svc.answers.answer(text, who.plan_id, who.tr)
    await send(update, reply)


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


def fallback_handlers() -> list:
    """Plain text goes to question answering (registered after every other handler)."""
    return [MessageHandler(filters.TEXT & ~filters.COMMAND, question_message)]


__all__ = ["CallbackQueryHandler", "handlers", "fallback_handlers", "start", "answer_text"]
