"""The reminder messages in the user's language (Telegram-free: they return Replies)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from kernel.calendar import Month
from kernel.i18n import Translator
from kernel.reply import Button, Reply
from reports.messages import month_label, nudge_text
from usecases.deadlines.milestones import Milestone

#: Callback data prefixes: the report conversation's entry point, and "remind them again".
REPORT_START = "report:start:"
REMIND_AGAIN = "nudge:again:"
#: Unit names listed in a digest before "and N more".
MAX_NAMES = 25
#: A milestone's wording is cut after this many characters in lists.
MAX_MILESTONE_CHARS = 120


def report_button(tr: Translator, month: Month) -> Button:
    """One tap starts the report for ``month``."""
    return Button(
        tr.gettext("📝 Report {month} now", month=month_label(tr, month)),
        REPORT_START + month.key,
    )


def nudge_reply(tr: Translator, kind: str, month: Month, due: date) -> Reply:
    """An officer's reminder: what is due, by when, and a button to report at once."""
    text = "\n".join([
        nudge_text(tr, kind, month, due),
        tr.gettext("To stop these reminders: /remind"),
    ])
    return Reply(text, [[report_button(tr, month)]])


def unit_names(tr: Translator, names: Sequence[str], limit: int = MAX_NAMES) -> str:
    shown = tr.gettext(", ").join(names[:limit])
    if len(names) > limit:
        return tr.gettext("{names} and {n} more", names=shown, n=tr.number(len(names) - limit))
    return shown


def digest_reply(
    tr: Translator, month: Month, due: date, total: int, missing: Sequence[str]
) -> Reply:
    """A supervisor's summary after the due day: x of y units reported, who is missing."""
    label, reported = month_label(tr, month), total - len(missing)
    if not missing:
        return Reply(tr.gettext(
            "All {total} units have reported for {month}. Thank you!",
            total=tr.number(total), month=label,
        ))
    lines = [
        tr.gettext(
            "Reports for {month} (due {date}): {reported} of {total} units have reported.",
            month=label, date=tr.date(due), reported=tr.number(reported),
            total=tr.number(total),
        ),
        tr.gettext("Not yet reported: {names}.", names=unit_names(tr, missing)),
    ]
    button = Button(tr.gettext("🔔 Remind them again"), REMIND_AGAIN + month.key)
    return Reply("\n".join(lines), [[button]])


def milestone_when(tr: Translator, milestone: Milestone) -> str:
    if milestone.precision == "day":
        return tr.gettext("by {date}", date=tr.date(milestone.end))
    if milestone.precision == "month":
        return tr.gettext("in {month}", month=tr.month(milestone.end.year, milestone.end.month))
    return tr.gettext("in {year}", year=milestone.end.year)


def shorten(text: str, limit: int = MAX_MILESTONE_CHARS) -> str:
    """Cut at a word boundary so a list stays readable on a phone."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def milestone_line(tr: Translator, milestone: Milestone) -> str:
    return f"• {milestone_when(tr, milestone)}: {shorten(milestone.text(tr.locale))}"


def milestone_reply(tr: Translator, plan_name: str, milestone: Milestone) -> Reply:
    """A supervisor's reminder of a plan milestone."""
    return Reply("\n".join([
        tr.gettext("Plan milestone coming up ({plan}):", plan=plan_name),
        f"• {milestone_when(tr, milestone)}: {milestone.text(tr.locale)}",
    ]))
