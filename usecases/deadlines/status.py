"""``/deadline``: the caller's next deadlines and whether their unit has reported."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from kernel.calendar import Month
from kernel.clock import to_local
from kernel.i18n import Translator
from kernel.reply import Button, Reply
from knowledge.schema import Plan
from reports.messages import month_label
from storage import nudge_queries as queries
from storage.models import REPORTING_LEVEL, Person, Unit
from storage.units import unit_by_id
from usecases.deadlines.milestones import upcoming
from usecases.deadlines.planner import plan_of
from usecases.deadlines.policy import NudgePolicy
from usecases.deadlines.texts import REMIND_AGAIN, milestone_line, report_button, unit_names

#: Missing units named in /deadline before "and N more".
MAX_MISSING_SHOWN = 10


def _until(tr: Translator, due: date, today: date) -> str:
    days = (due - today).days
    if days == 0:
        return tr.gettext("today")
    if days == 1:
        return tr.gettext("tomorrow")
    return tr.gettext("{n} days left", n=tr.number(days))


def month_line(tr: Translator, month: Month, due: date, today: date,
               submitted_at: datetime | None, *, current: bool = False) -> str:
    """One month of an officer's unit: received, still open, or overdue."""
    label, when = month_label(tr, month), tr.date(due)
    if submitted_at is not None:
        received = tr.date(to_local(submitted_at).date())
        return "✅ " + tr.gettext("{month}: received on {date}.", month=label, date=received)
    if current:
        return "🗓 " + tr.gettext("{month}: due {date}.", month=label, date=when)
    if today <= due:
        return "⏳ " + tr.gettext(
            "{month}: due {date} ({until}), not received yet.",
            month=label, date=when, until=_until(tr, due, today),
        )
    return "⚠️ " + tr.gettext("{month}: was due {date}, not received yet.", month=label, date=when)


def reminders_line(tr: Translator, person: Person) -> str:
    if person.reminders_enabled:
        return tr.gettext("Reminders are on (turn off: /remind).")
    return tr.gettext("Reminders are off (turn on: /remind).")


async def officer_status(
    session: AsyncSession, person: Person, unit: Unit, now: datetime, policy: NudgePolicy,
    tr: Translator,
) -> Reply:
    today = to_local(now).date()
    current = Month(today.year, today.month)
    last = current.previous()
    plan_id = plan_of(person, unit)
    months = [last.previous(), last]
    reported = {
        month: (await queries.unit_statuses(session, unit.id, month) or [None])[0]
        for month in months
    }
    lines = [tr.gettext("📅 Report deadlines — {unit}", unit=unit.name)]
    buttons: list[list[Button]] = []
    for month in months:
        status = reported[month]
        submitted = status.submitted_at if status else None
        if month != last and submitted is not None:
            continue  # an older month is shown only while it is missing
        lines.append(month_line(tr, month, policy.due_date(month, plan_id), today, submitted))
        if submitted is None:
            buttons.append([report_button(tr, month)])
    lines.append(month_line(tr, current, policy.due_date(current, plan_id), today, None,
                            current=True))
    lines += ["", reminders_line(tr, person)]
    return Reply("\n".join(lines), buttons)


async def overview_status(
    session: AsyncSession, scope: Unit | None, now: datetime, policy: NudgePolicy,
    tr: Translator, plan_id: str | None,
) -> tuple[list[str], list[list[Button]]]:
    """Lines for a supervisor or admin: last month's reports across their units."""
    today = to_local(now).date()
    month = Month(today.year, today.month).previous()
    due = policy.due_date(month, plan_id)
    units = await queries.unit_statuses(session, scope.id if scope else None, month)
    title = scope.name if scope else tr.gettext("all units")
    lines = [tr.gettext("📅 Report deadlines — {unit}", unit=title)]
    if not units:
        lines.append(tr.gettext("No reporting units are registered here yet."))
        return lines, []
    missing = [u.name for u in units if not u.reported]
    lines.append(tr.gettext(
        "Reports for {month} (due {date}): {reported} of {total} units have reported.",
        month=month_label(tr, month), date=tr.date(due),
        reported=tr.number(len(units) - len(missing)), total=tr.number(len(units)),
    ))
    buttons: list[list[Button]] = []
    if missing:
        names = unit_names(tr, missing, MAX_MISSING_SHOWN)
        lines.append(tr.gettext("Not yet reported: {names}.", names=names))
        if today > due:
            buttons.append([Button(tr.gettext("🔔 Remind them again"), REMIND_AGAIN + month.key)])
    return lines, buttons


def milestone_lines(tr: Translator, plan: Plan | None, today: date) -> list[str]:
    if plan is None:
        return [tr.gettext("Choose your plan with /plan to see its milestones.")]
    found = upcoming(plan, today)
    name = plan.name if tr.locale == "vi" else plan.name_en
    if not found:
        return [tr.gettext("{plan}: no dated milestones ahead.", plan=name)]
    return [tr.gettext("Plan milestones ({plan}):", plan=name)] + [
        milestone_line(tr, m) for m in found
    ]


async def deadline_status(
    session: AsyncSession,
    person: Person,
    now: datetime,
    policy: NudgePolicy,
    plans: Mapping[str, Plan],
    tr: Translator,
) -> Reply:
    """The /deadline answer for ``person``'s role."""
    unit = await unit_by_id(session, person.unit_id) if person.unit_id else None
    today = to_local(now).date()
    plan = plans.get(plan_of(person, unit) or "")
    if person.role == "officer" and unit is not None and unit.level == REPORTING_LEVEL:
        return await officer_status(session, person, unit, now, policy, tr)
    if person.role in ("supervisor", "admin") and (unit is not None or person.role == "admin"):
        lines, buttons = await overview_status(
            session, unit, now, policy, tr, plan.id if plan else None
        )
        lines += ["", *milestone_lines(tr, plan, today)]
        if person.role == "supervisor":
            lines += ["", reminders_line(tr, person)]
        return Reply("\n".join(lines), buttons)
    lines = []
    if person.role == "officer":
        lines.append(tr.gettext("You are not attached to a commune yet; ask your supervisor."))
    else:
        lines.append(tr.gettext(
            "Monthly case reports are sent by commune officers (ask your supervisor for an "
            "invite). Reports for a month are due on day {day} of the following month.",
            day=policy.due_day_for(plan.id if plan else None),
        ))
    lines += ["", *milestone_lines(tr, plan, today)]
    return Reply("\n".join(lines))
