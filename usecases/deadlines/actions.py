"""What /deadline, /remind and the supervisors' "remind them again" button do (no Telegram)."""

from __future__ import annotations

import re
import unicodedata

from kernel.calendar import Month
from kernel.i18n import Translator
from kernel.reply import Button, Reply
from reports.messages import month_label
from storage import people
from storage.models import Person
from usecases.dashboard.links import dashboard_button
from usecases.deadlines.planner import remind_again
from usecases.deadlines.status import deadline_status
from usecases.deadlines.texts import REMIND_AGAIN
from usecases.services import Services

ON_WORDS = frozenset({"on", "bat", "bật", "mo", "mở", "yes", "co", "có"})
OFF_WORDS = frozenset({"off", "tat", "tắt", "dung", "dừng", "no", "khong", "không"})
_AGAIN = re.compile(r"^" + re.escape(REMIND_AGAIN) + r"(\d{4})-(\d{2})$")


async def deadline_reply(svc: Services, person: Person, tr: Translator) -> Reply:
    """The /deadline answer for the person's role."""
    async with svc.db.read_session() as session:
        reply = await deadline_status(
            session, person, svc.clock.now(), svc.nudge_policy, svc.plans, tr
        )
    if person.role in ("supervisor", "admin") and person.active:
        today = svc.clock.now().date()
        month = Month(today.year, today.month).previous()
        opener = dashboard_button(tr, svc.settings.webapp_url, person.unit_id, month,
                                  "completeness")
        if opener is not None:
            reply.buttons.append([opener])
    return reply


#: Callback data of the On and Off buttons under /remind.
CB_REMIND_ON, CB_REMIND_OFF = "remind:on", "remind:off"


def reminders_reply(tr: Translator, enabled: bool, *, changed: bool = True) -> Reply:
    """The reminders' state with On and Off buttons, the state's own marked. ``changed``: it
    was just set (else the person only asked to see it)."""
    if changed:
        text = (
            tr.gettext("Reminders are on: I will remind you before reports are due.")
            if enabled
            else tr.gettext("Reminders are off: I will not remind you about reports.")
        )
    else:
        text = (
            tr.gettext("Reminders are on: I remind you before reports are due.")
            if enabled
            else tr.gettext("Reminders are off: I do not remind you about reports.")
        )
        text += "\n" + tr.gettext("Tap On or Off to change it, or send /remind on or "
                                  "/remind off.")
    on, off = tr.gettext("On"), tr.gettext("Off")
    buttons = [Button(("✅ " + on) if enabled else on, CB_REMIND_ON),
               Button(off if enabled else ("✅ " + off), CB_REMIND_OFF)]
    return Reply(text, [buttons])


def wanted_reminders(words: str) -> bool | None:
    """``/remind on`` / ``/remind off`` (or bật / tắt, with or without accents): True or
    False; None for anything else (``/remind`` alone only shows the state)."""
    arg = unicodedata.normalize("NFC", words.strip().lower())
    if arg in ON_WORDS:
        return True
    if arg in OFF_WORDS:
        return False
    return None


async def remind_reply(svc: Services, person: Person, tr: Translator, words: str) -> Reply:
    """``/remind``: the current state with On and Off buttons; ``/remind on|off`` sets it."""
    enabled = wanted_reminders(words)
    if enabled is None:
        reply = reminders_reply(tr, bool(person.reminders_enabled), changed=False)
        if words.strip():  # not quoted back: it is only said that it was not understood
            reply.text = tr.gettext("I did not understand that: use On or Off.") + "\n" + (
                reply.text)
        return reply
    await set_reminders(svc, person.telegram_id, enabled)
    return reminders_reply(tr, enabled)


async def remind_button_reply(svc: Services, telegram_id: int, tr: Translator,
                              data: str) -> Reply:
    """The On or Off button tapped: set it; the reply replaces the message with the buttons."""
    enabled = data == CB_REMIND_ON
    await set_reminders(svc, telegram_id, enabled)
    return reminders_reply(tr, enabled)


async def set_reminders(svc: Services, telegram_id: int, enabled: bool) -> None:
    """Reminders on or off for the person (turning them on also means they are reachable)."""
    async with svc.db.session() as session:
        await people.set_reminders(session, telegram_id, enabled)
        if enabled:  # they are talking to us, so they no longer block the bot
            await people.mark_unblocked(session, telegram_id)
        await session.commit()
    svc.people.forget(telegram_id)


async def remind_again_reply(
    svc: Services, person: Person, tr: Translator, data: str
) -> tuple[Reply | None, str | None]:
    """A supervisor asks to remind the officers still missing a month: (reply, or None; a
    refusal for the button's alert, or None). The reminders go out in the background."""
    if person.role not in ("supervisor", "admin") or (
        person.role == "supervisor" and person.unit_id is None
    ):
        return None, tr.gettext("Only supervisors can send reminders.")
    match = _AGAIN.match(data)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        return None, None
    month = Month(int(match.group(1)), int(match.group(2)))
    return await remind_missing(svc, person, tr, month)


async def remind_missing(
    svc: Services, person: Person, tr: Translator, month: Month, unit_id: int | None = None
) -> tuple[Reply | None, str | None]:
    """Remind the officers of the units still missing ``month`` under ``unit_id`` (default:
    the supervisor's own unit; the caller checks it is within their scope), by the reminder
    rules: working hours only, once a day per officer, not those who turned reminders off."""
    if person.role not in ("supervisor", "admin") or (
        person.role == "supervisor" and person.unit_id is None
    ):
        return None, tr.gettext("Only supervisors can send reminders.")
    policy = svc.nudge_policy
    now = svc.clock.now()
    if not policy.is_working_time(now):
        return Reply(tr.gettext(
            "Reminders go out only in working hours ({start}–{end}, Monday to Saturday). "
            "Please tap again then.",
            start=policy.work_start.strftime("%H:%M"), end=policy.work_end.strftime("%H:%M"),
        )), None
    async with svc.db.read_session() as session:
        plan = await remind_again(session, unit_id or person.unit_id, month, now, policy,
                                  svc.settings.default_language)
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
        if svc.send_reminders is not None:
            svc.send_reminders(list(plan.outgoing))
        text = tr.gettext(
            "Reminding {officers} officers in {units} units that have not reported for {month}.",
            officers=tr.number(len(plan.outgoing)), units=tr.number(plan.missing_units),
            month=label,
        )
    return Reply(text), None
