"""/myreports and /reopen as plain async functions (no Telegram); reads go to the access log."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kernel.calendar import Month
from kernel.clock import to_local
from kernel.counts import CATEGORIES
from kernel.i18n import Translator, translator
from kernel.reply import Button, Reply
from reports.messages import field_label, month_label, reason_label
from reports.months import last_complete_month
from reports.reasons import MAX_NOTE_CHARS, REASONS, reason_from_text
from storage import access_log, people
from storage import case_reports as cr
from storage.models import Person, Report
from storage.report_queries import version_by_token
from usecases.reporting import prompts
from usecases.reporting.access import Access, resolve
from usecases.reporting.flow import Env, client_token
from usecases.reporting.inputs import read_month

RECENT_MONTHS = 6


@dataclass
class ReviewOutcome:
    reply: Reply
    #: Messages for other people: (telegram id, reply).
    notify: list[tuple[int, Reply]] = field(default_factory=list)


def _report_line(tr: Translator, month: Month, report: Report | None) -> str:
    label = month_label(tr, month)
    if report is None:
        return tr.gettext("• {month}: not sent", month=label)
    counts = tr.gettext(", ").join(
        f"{field_label(tr, c)} {tr.number(getattr(report, c))}" for c in CATEGORIES
    )
    line = f"• {label}: {counts}"
    if report.version > 1:
        line += " " + tr.gettext("(corrected, version {version})", version=report.version)
    return line


async def my_reports(env: Env, person: Person, tr: Translator, args: list[str]) -> ReviewOutcome:
    """The unit's reports for the last complete months, newest first (access-logged)."""
    code = args[0] if args else None
    async with env.db.session() as session:
        access = await resolve(session, person, env.admin_ids, code)
        if access.reporter is None:
            await _log_refusal(session, person, access, env)
            return ReviewOutcome(prompts.denied_reply(tr, access, "/myreports {code}"))
        reporter = access.reporter
        period = env.plan_period(reporter.plan_id)
        end = last_complete_month(env.today)
        months = []
        month = end
        for _ in range(RECENT_MONTHS):
            if period is None or period[0] <= month.year <= period[1]:
                months.append(month)
            month = month.previous()
        start = months[-1] if months else end
        found = {
            cr.month_of(r): r for r in await cr.reports_of_unit(session, reporter.unit_id,
                                                                start, end)
        }
        await access_log.log_access(
            session, reporter.person_id, "view_reports", unit_id=reporter.unit_id,
            detail=f"{start.key}..{end.key}", now=env.now,
        )
        await session.commit()
    lines = [tr.gettext("Reports of {unit} ({code}):", unit=reporter.unit_name,
                        code=reporter.unit_code)]
    lines += [_report_line(tr, m, found.get(m)) for m in months]
    if not months:
        lines.append(tr.gettext("No reporting months in the plan period yet."))
    buttons = []
    own_unit = reporter.unit_id == person.unit_id
    if months and months[0] not in found and own_unit:
        label = tr.gettext("Send the report for {month}", month=month_label(tr, months[0]))
        buttons.append([Button(label, prompts.start_button_data(months[0]))])
    return ReviewOutcome(Reply("\n".join(lines), buttons))


#: Callback data of the reason buttons of /reopen: ``ro:<unit id>:<YYYY-MM>:<reason>``.
CB_REOPEN = "ro:"
_REOPEN_DATA = re.compile(r"^ro:(\d{1,12}):(\d{4})-(\d{2}):([a-z_]{1,20})$")


async def stale_button_text(env: Env, telegram_id: int, tr: Translator, data: str) -> str:
    """The notice on a report button tapped when no report is being entered: "already saved"
    for the Confirm of a report saved meanwhile (e.g. a double tap)."""
    if data.startswith(prompts.CB_CONFIRM):
        token = client_token(telegram_id, data.removeprefix(prompts.CB_CONFIRM))
        async with env.db.quick() as session:
            if await version_by_token(session, token) is not None:
                return prompts.already_saved_text(tr)
    return prompts.stale_button_text(tr)


def reopen_usage(tr: Translator) -> Reply:
    return Reply(
        tr.gettext(
            "Use: /reopen UNIT_CODE MM/YYYY, for example: /reopen C11 10/2025. I then ask for "
            "the reason; you may also type it after the month."
        )
    )


async def reopen(env: Env, person: Person, tr: Translator, args: list[str]) -> ReviewOutcome:
    """``/reopen CODE MM/YYYY [reason]``: let the unit's officers correct a locked month once
    more (supervisors and admins). Without a reason in words, the reasons come as buttons."""
    if len(args) < 2:
        return ReviewOutcome(reopen_usage(tr))
    if kinds := env.screen.report(" ".join(args)):
        return ReviewOutcome(prompts.privacy_reply(tr, kinds))
    month = read_month(args[1], env.today)
    if month is None:
        return ReviewOutcome(reopen_usage(tr))
    reason = None
    if len(args) > 2:
        reason = reason_from_text(" ".join(args[2:]))
        if reason is None:
            text = tr.gettext("Please tap a reason, or type a short one in words (at most {n} "
                              "characters).", n=MAX_NOTE_CHARS)
            return ReviewOutcome(Reply(text))
    return await _reopen(env, person, tr, month, reason, unit_code=args[0])


async def reopen_button(env: Env, person: Person, tr: Translator, data: str) -> ReviewOutcome:
    """A reason tapped under /reopen's question (the unit's scope is checked again: a forged
    button learns nothing)."""
    match = _REOPEN_DATA.match(data)
    if match is None or match.group(4) not in REASONS or not 1 <= int(match.group(3)) <= 12:
        return ReviewOutcome(Reply(prompts.stale_button_text(tr)))
    month = Month(int(match.group(2)), int(match.group(3)))
    return await _reopen(env, person, tr, month, (match.group(4), None),
                         unit_id=int(match.group(1)))


async def _reopen(
    env: Env, person: Person, tr: Translator, month: Month,
    reason: tuple[str, str | None] | None, *, unit_code: str | None = None,
    unit_id: int | None = None,
) -> ReviewOutcome:
    async with env.db.session() as session:
        access = await resolve(session, person, env.admin_ids, unit_code, unit_id=unit_id,
                               supervisors_only=True)
        if access.reporter is None:
            await _log_refusal(session, person, access, env)
            return ReviewOutcome(prompts.denied_reply(tr, access, "/reopen {code} 10/2025"))
        reporter = access.reporter
        report = await cr.get_report(session, reporter.unit_id, month)
        unit, label = reporter.unit_name, month_label(tr, month)
        if report is None:
            text = tr.gettext(
                "{unit} has no report for {month} yet, so there is nothing to re-open: "
                "the officer can send it directly.",
                unit=unit, month=label,
            )
            return ReviewOutcome(Reply(text))
        policy = env.policy_for(reporter.plan_id)
        if not policy.is_locked(month, env.now):
            text = tr.gettext(
                "The report for {month} of {unit} is not locked yet: the officer can still "
                "correct it until {date}.",
                month=label, unit=unit,
                date=tr.date(to_local(policy.locks_at(month)).date()),
            )
            return ReviewOutcome(Reply(text))
        if reason is None:
            question = tr.gettext("Why re-open the report for {month} of {unit}?",
                                  month=label, unit=unit)
            data = f"{CB_REOPEN}{reporter.unit_id}:{month.key}:"
            return ReviewOutcome(Reply(question, prompts.reason_buttons(tr, data)))
        code, note = reason
        await cr.reopen_report(
            session, reporter.unit_id, month, person_id=reporter.person_id,
            role=reporter.role, reason=code, note=note, now=env.now,
        )
        officers = await people.people_in_subtree(
            session, reporter.unit_id, role="officer", reachable_only=True
        )
        await session.commit()
    text = tr.gettext(
        "Re-opened: the officers of {unit} can now correct the report for {month} once.",
        unit=unit, month=label,
    ) + "\n" + tr.gettext("Reason: {reason}", reason=reason_label(tr, code, note))
    notify = [
        (officer.telegram_id, _reopened_notice(officer, month))
        for officer in officers
        if officer.telegram_id != person.telegram_id
    ]
    return ReviewOutcome(Reply(text), notify)


async def _log_refusal(session: Any, person: Person, access: Access, env: Env) -> None:
    """A refused request, in the access log (in the same write transaction)."""
    if access.denied is not None:
        await access_log.log_access(session, person.id, "refused",
                                    detail=access.denied.value, now=env.now)
        await session.commit()


def _reopened_notice(officer: Person, month: Month) -> Reply:
    tr = translator(officer.language)
    label = month_label(tr, month)
    text = tr.gettext(
        "Your supervisor re-opened the report for {month}. You can now send a correction.",
        month=label,
    )
    button = Button(tr.gettext("Correct the report for {month}", month=label),
                    prompts.start_button_data(month))
    return Reply(text, [[button]])
