"""/deadline (/han), /remind (/nhacnho) and the supervisors' "remind them again" button."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.nudges.scheduler import runner_of, send_in_background
from bot.nudges.status import deadline_status
from bot.nudges.texts import REMIND_AGAIN
from handlers.common import Context, caller, edit, send, services
from kernel.calendar import Month
from kernel.i18n import Translator
from kernel.reply import Button, Reply
from reports.messages import month_label
from storage import people

ON_WORDS = frozenset({"on", "bat", "bật", "mo", "mở", "yes", "co", "có"})
OFF_WORDS = frozenset({"off", "tat", "tắt", "dung", "dừng", "no", "khong", "không"})
_AGAIN = re.compile(r"^" + re.escape(REMIND_AGAIN) + r"(\d{4})-(\d{2})$")


async def deadline_command(update: Update, context: Context) -> None:
    who = await caller(update, context)
    svc = services(context)
    policy = runner_of(context.application).policy
    async with svc.db.read_session() as session:
        reply = await deadline_status(
            session, who.person, svc.clock.now(), policy, svc.plans, who.tr
        )
    await send(update, reply)


def reminders_reply(tr: Translator, enabled: bool) -> Reply:
    if enabled:
        text = tr.gettext("Reminders are on: I will remind you before reports are due.")
        button = Button(tr.gettext("Turn reminders off"), "remind:off")
    else:
        text = tr.gettext("Reminders are off: I will not remind you about reports.")
        button = Button(tr.gettext("Turn reminders on"), "remind:on")
    return Reply(text, [[button]])


async def _set_reminders(update: Update, context: Context, enabled: bool) -> Translator:
    who = await caller(update, context)
    async with services(context).db.session() as session:
        await people.set_reminders(session, who.telegram_id, enabled)
        if enabled:  # they are talking to us, so they no longer block the bot
            await people.mark_unblocked(session, who.telegram_id)
        await session.commit()
    return who.tr


async def remind_command(update: Update, context: Context) -> None:
    """``/remind`` toggles reminders; ``/remind on`` / ``/remind off`` set them."""
    who = await caller(update, context)
    arg = " ".join(context.args or []).strip().lower()
    enabled = True if arg in ON_WORDS else False if arg in OFF_WORDS else (
        not who.person.reminders_enabled
    )
    tr = await _set_reminders(update, context, enabled)
    await send(update, reminders_reply(tr, enabled))


async def remind_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    enabled = query.data == "remind:on"
    tr = await _set_reminders(update, context, enabled)
    await edit(update, reminders_reply(tr, enabled))


async def again_button(update: Update, context: Context) -> None:
    """A supervisor asks to remind the officers of the units still missing a month."""
    query = update.callback_query
    assert query is not None and query.data is not None
    who = await caller(update, context)
    tr = who.tr
    match = _AGAIN.match(query.data)
    person = who.person
    if person.role not in ("supervisor", "admin") or (
        person.role == "supervisor" and person.unit_id is None
    ):
        await query.answer(tr.gettext("Only supervisors can send reminders."), show_alert=True)
        return
    await query.answer()
    if match is None or not 1 <= int(match.group(2)) <= 12:
        return
    month = Month(int(match.group(1)), int(match.group(2)))
    runner = runner_of(context.application)
    policy = runner.policy
    if not policy.is_working_time(services(context).clock.now()):
        await send(update, Reply(tr.gettext(
            "Reminders go out only in working hours ({start}–{end}, Monday to Saturday). "
            "Please tap again then.",
            start=policy.work_start.strftime("%H:%M"), end=policy.work_end.strftime("%H:%M"),
        )))
        return
    plan = await runner.plan_again(person.unit_id, month)
    label = month_label(tr, month)
    if not plan.missing_units:
        text = tr.gettext("Every unit has reported for {month}: no one to remind.", month=label)
    elif not plan.outgoing:
        text = tr.gettext(
            "The officers of the {units} units still missing {month} were already reminded "
            "today, or have turned reminders off.",
            units=tr.number(plan.missing_units), month=label,
        )
    else:
        send_in_background(context.application, list(plan.outgoing))
        text = tr.gettext(
            "Reminding {officers} officers in {units} units that have not reported for {month}.",
            officers=tr.number(len(plan.outgoing)), units=tr.number(plan.missing_units),
            month=label,
        )
    await send(update, Reply(text))


def handlers() -> list:
    return [
        CommandHandler(["deadline", "han"], deadline_command),
        CommandHandler(["remind", "nhacnho"], remind_command),
        CallbackQueryHandler(remind_button, pattern=r"^remind:(on|off)$"),
        CallbackQueryHandler(again_button, pattern="^" + re.escape(REMIND_AGAIN)),
    ]
