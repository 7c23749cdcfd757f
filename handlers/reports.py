"""Telegram adapters for reports: the persistent "report" conversation, /myreports, /reopen.

Thin: each callback builds a ReportFlow (or calls review.py), shows the Outcome and sets the
next conversation state. Conversation callbacks end with ApplicationHandlerStop, so text
handled here never also reaches question answering (group 1) - except when the draft was
lost or expired: then the conversation ends and the text is read afresh.
"""

from __future__ import annotations

import logging
import warnings

from telegram import Message, Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from handlers import outbox
from handlers.common import Context, answer_query, caller, edit, send, services
from handlers.qa import nothing_to_cancel
from kernel.calendar import Month
from kernel.reply import Reply
from reports.parse import is_cancel_text, looks_like_report, looks_like_whole_report
from storage.due import LockPolicy
from usecases.reporting import prompts, review
from usecases.reporting.draft import DETAILS, DRAFT_KEY, NOTE, REASON, STEPS, Draft
from usecases.reporting.flow import Env, Outcome, ReportFlow, begin_report

log = logging.getLogger(__name__)

CONVERSATION_NAME = "report"
REPORT_COMMANDS = ("report", "baocao")
MY_REPORTS_COMMANDS = ("myreports", "baocaocuatoi")
REOPEN_COMMANDS = ("reopen", "molai")
PRIVATE = filters.ChatType.PRIVATE


class _LooksLikeReport(filters.MessageFilter):
    """Plain text that reads as a report attempt (reports.parse.looks_like_report)."""

    def filter(self, message: Message) -> bool:
        return bool(message.text) and looks_like_report(message.text)


REPORT_TEXT = _LooksLikeReport(name="REPORT_TEXT")


class _WholeReport(filters.MessageFilter):
    """Plain text that is a whole report (reports.parse.looks_like_whole_report)."""

    def filter(self, message: Message) -> bool:
        return bool(message.text) and looks_like_whole_report(message.text)


WHOLE_REPORT = _WholeReport(name="WHOLE_REPORT")


class _CancelText(filters.MessageFilter):
    """ "hủy", "huy", "cancel", "thôi", "dừng", "hủy báo cáo" typed on their own."""

    def filter(self, message: Message) -> bool:
        return bool(message.text) and is_cancel_text(message.text)


CANCEL_TEXT = _CancelText(name="CANCEL_TEXT")
CANCEL_COMMANDS = ("cancel", "huy")


def env_of(context: Context) -> Env:
    svc = services(context)
    settings = svc.settings
    return Env(
        db=svc.db,
        plans=svc.plans,
        now=svc.clock.now(),
        policy=LockPolicy(settings.due_day, settings.lock_days, settings.tz),
        admin_ids=settings.admin_ids,
        due_day_for=settings.due_day_for,
        screen=svc.screens.screen,
    )


async def _flow(update: Update, context: Context) -> ReportFlow:
    who = await caller(update, context)
    return ReportFlow(env_of(context), who.person, who.tr)


async def _show(update: Update, reply: Reply, *, in_place: bool) -> None:
    """Show ``reply`` in place of the tapped message, or as a new one when that cannot be
    edited (too old, deleted, a network fault): what was done (a report saved) is always said."""
    if in_place and update.callback_query is not None:
        try:
            await edit(update, reply)
            return
        except Forbidden:
            raise
        except TelegramError as exc:
            log.info("could not edit the tapped message (%s); sending a new one",
                     type(exc).__name__)
    await send(update, reply)


async def _apply(update: Update, context: Context, flow: ReportFlow, outcome: Outcome) -> None:
    """Show the outcome, store the draft, and end the update with the next state."""
    await answer_query(update, outcome.toast)
    if outcome.reply is not None:
        await _show(update, outcome.reply, in_place=outcome.edit)
    if outcome.keep:
        raise ApplicationHandlerStop(None)  # None: the conversation state does not change
    user_data = context.user_data if context.user_data is not None else {}
    if outcome.draft is None:
        user_data.pop(DRAFT_KEY, None)
        raise ApplicationHandlerStop(ConversationHandler.END)
    outcome.draft.touch(flow.env.now)
    user_data[DRAFT_KEY] = outcome.draft.to_data()
    raise ApplicationHandlerStop(outcome.draft.step)


async def _live_draft(update: Update, context: Context, flow: ReportFlow) -> Draft | None:
    """The draft being entered; None (after telling the user) when it is lost or expired.

    The caller then returns END without stopping, so a typed text is also read afresh
    (as a question) by the later handler groups.
    """
    user_data = context.user_data if context.user_data is not None else {}
    draft = Draft.from_data(user_data.get(DRAFT_KEY))
    if draft is not None and not draft.is_stale(flow.env.now):
        return draft
    user_data.pop(DRAFT_KEY, None)
    reply = (
        prompts.lost_draft_reply(flow.tr)
        if draft is None
        else prompts.expired_draft_reply(flow.tr, draft)
    )
    await answer_query(update)
    await send(update, reply)
    return None


# ---------------------------------------------------------------- conversation callbacks


async def _begin(update: Update, context: Context, text: str) -> None:
    """A report's first message (usecases.reporting.flow.begin_report)."""
    flow, outcome = await begin_report(
        env_of(context), lambda session: caller(update, context, session=session), text)
    await _apply(update, context, flow, outcome)


async def on_report_command(update: Update, context: Context) -> None:
    """/report or /baocao, with or without the report itself."""
    message = update.effective_message
    assert message is not None
    await _begin(update, context, message.text or "")


async def on_report_text(update: Update, context: Context) -> None:
    """A report typed as one message (the filter saw report words with numbers)."""
    message = update.effective_message
    assert message is not None and message.text is not None
    await _begin(update, context, message.text)


async def on_start_button(update: Update, context: Context) -> None:
    """``report:start:YYYY-MM`` from a reminder: the guided report for that month."""
    query = update.callback_query
    assert query is not None and query.data is not None
    key = query.data.removeprefix(prompts.CB_START)
    flow = await _flow(update, context)
    try:
        month = Month(int(key[:4]), int(key[5:7]))
    except ValueError:
        stale = Outcome(None, keep=True, toast=prompts.stale_button_text(flow.tr))
        await _apply(update, context, flow, stale)
        return
    await _apply(update, context, flow, await flow.begin_month(month))


async def on_step_text(update: Update, context: Context) -> object:
    message = update.effective_message
    assert message is not None and message.text is not None
    flow = await _flow(update, context)
    draft = await _live_draft(update, context, flow)
    if draft is None:
        return ConversationHandler.END
    await _apply(update, context, flow, await flow.on_text(draft, message.text))
    return None  # not reached: _apply always raises


async def on_step_button(update: Update, context: Context) -> object:
    query = update.callback_query
    assert query is not None and query.data is not None
    flow = await _flow(update, context)
    draft = await _live_draft(update, context, flow)
    if draft is None:
        return ConversationHandler.END
    await _apply(update, context, flow, await flow.on_button(draft, query.data))
    return None


async def on_step_other(update: Update, context: Context) -> object:
    """A photo, sticker, file... while a report is being entered."""
    flow = await _flow(update, context)
    if await _live_draft(update, context, flow) is None:
        return ConversationHandler.END
    text = flow.tr.gettext("Please answer with a text message, or send /cancel to stop.")
    await _apply(update, context, flow, Outcome(Reply(text), keep=True))
    return None


async def on_step_edited(update: Update, context: Context) -> object:
    """An edited message is not an answer: the step it answered may be long past."""
    flow = await _flow(update, context)
    if await _live_draft(update, context, flow) is None:
        return ConversationHandler.END
    text = flow.tr.gettext(
        "I do not read edited messages while a report is entered. Please send the answer "
        "as a new message."
    )
    await _apply(update, context, flow, Outcome(Reply(text), keep=True))
    return None


async def on_cancel(update: Update, context: Context) -> None:
    flow = await _flow(update, context)
    await _apply(update, context, flow, await flow.cancel())


# ---------------------------------------------------------------- outside the conversation


async def on_cancel_outside(update: Update, context: Context) -> None:
    """ "hủy" typed with no report being entered: said so, and not read as a question."""
    await nothing_to_cancel(update, context)
    raise ApplicationHandlerStop


async def on_stale_button(update: Update, context: Context) -> None:
    """A report button tapped when no report is being entered (e.g. a double tap)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    who = await caller(update, context)
    await answer_query(update, await review.stale_button_text(
        env_of(context), who.telegram_id, who.tr, query.data))


async def on_my_reports(update: Update, context: Context) -> None:
    who = await caller(update, context)
    outcome = await review.my_reports(env_of(context), who.person, who.tr, context.args or [])
    await send(update, outcome.reply)


async def on_reopen(update: Update, context: Context) -> None:
    who = await caller(update, context)
    outcome = await review.reopen(env_of(context), who.person, who.tr, context.args or [])
    await send(update, outcome.reply)
    await _notify(context, outcome)


async def on_reopen_button(update: Update, context: Context) -> None:
    """A reason tapped under /reopen's question."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await answer_query(update)
    who = await caller(update, context)
    outcome = await review.reopen_button(env_of(context), who.person, who.tr, query.data)
    await _show(update, outcome.reply, in_place=True)
    await _notify(context, outcome)


async def _notify(context: Context, outcome: review.ReviewOutcome) -> None:
    for telegram_id, reply in outcome.notify:
        try:
            await outbox.send_message(context.bot, telegram_id, reply)
        except (Forbidden, BadRequest):
            log.info("could not tell an officer about a re-opened month")
        except TelegramError:
            log.warning("sending the re-open notice failed")


# ---------------------------------------------------------------- registration


def _step_text_filter(step: str) -> filters.BaseFilter:
    text = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
    # At DETAILS, REASON and NOTE everything typed is an answer; elsewhere a whole report
    # restarts.
    return text if step in (DETAILS, REASON, NOTE) else text & ~WHOLE_REPORT


def conversation(*, persistent: bool = True) -> ConversationHandler:
    entry_points: list[BaseHandler] = [
        CommandHandler(list(REPORT_COMMANDS), on_report_command, filters=PRIVATE),
        MessageHandler(PRIVATE & filters.TEXT & ~filters.COMMAND & REPORT_TEXT, on_report_text),
        CallbackQueryHandler(on_start_button, pattern=rf"^{prompts.CB_START}\d{{4}}-\d{{2}}$"),
    ]
    cancel: list[BaseHandler] = [
        CommandHandler(list(CANCEL_COMMANDS), on_cancel),
        MessageHandler(filters.UpdateType.MESSAGE & CANCEL_TEXT, on_cancel),
    ]
    states = {
        step: [
            *cancel,
            CallbackQueryHandler(on_step_button, pattern=f"^{prompts.PREFIX}"),
            MessageHandler(_step_text_filter(step), on_step_text),
            MessageHandler(filters.UpdateType.EDITED_MESSAGE, on_step_edited),
            MessageHandler(~filters.COMMAND & ~filters.TEXT, on_step_other),
        ]
        for step in STEPS
    }
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=PTBUserWarning, message=".*per_message.*")
        return ConversationHandler(
            entry_points=entry_points,
            states=states,
            fallbacks=[*cancel, *entry_points],
            name=CONVERSATION_NAME,
            persistent=persistent,
            allow_reentry=False,
        )


def handlers(*, persistent: bool = True) -> list[BaseHandler]:
    """Everything for reports, in order, for group 0 (before question answering)."""
    return [
        conversation(persistent=persistent),
        MessageHandler(PRIVATE & filters.UpdateType.MESSAGE & CANCEL_TEXT, on_cancel_outside),
        CallbackQueryHandler(on_stale_button, pattern=f"^(?:{prompts.PREFIX}|{prompts.CB_START})"),
        CommandHandler(list(MY_REPORTS_COMMANDS), on_my_reports),
        CommandHandler(list(REOPEN_COMMANDS), on_reopen),
        CallbackQueryHandler(on_reopen_button, pattern=f"^{review.CB_REOPEN}"),
    ]
