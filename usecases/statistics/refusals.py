"""/stats answered without statistics: who may not read them, an unknown unit, a period that
is wrong, not over yet or outside the years and plan covered."""

from __future__ import annotations

from kernel.calendar import Month, Period
from kernel.i18n import Translator
from kernel.reply import Reply
from reports.messages import month_label, period_label
from reports.privacy import looks_like_code


def refusal(tr: Translator) -> Reply:
    """The caller is not a registered officer or supervisor."""
    return Reply(tr.gettext("Statistics are for registered officers and supervisors. "
                            "Ask your supervisor for an invite link."))


def unknown_unit(tr: Translator, code: str) -> Reply:
    """The same reply for an unknown code and for a unit outside the caller's scope (the
    code is quoted back only when it looks like one, never a word that may be a name)."""
    if looks_like_code(code):
        return Reply(tr.gettext("I know no unit “{code}” that you can see. Check the code, or "
                                "send /stats without a code for your own unit.", code=code))
    return Reply(tr.gettext("I know no unit with that code that you can see. Check the code, "
                            "or send /stats without a code for your own unit."))


def period_help(tr: Translator, wrong: str | None = None, *, backwards: bool = False) -> Reply:
    """The period was not understood: the accepted forms, after the wrong period itself when
    it reads as one (``wrong``: only digits, separators and period words, safe to quote)."""
    help_text = tr.gettext(
        "I did not understand the period. Examples: /stats thang 10/2025, "
        "/stats quy 3 2025, /stats 6 thang dau nam 2025, /stats 2025, "
        "/stats 1/2025 - 6/2025. A unit code may come first: /stats CODE quy 3 2025."
    )
    if not wrong:
        return Reply(help_text)
    if backwards:
        head = tr.gettext("“{period}” runs backwards: write the earlier month first.",
                          period=wrong)
        return Reply(f"{head}\n{help_text}")
    head = tr.gettext("“{period}” is not a valid period: months run from 1 to 12, quarters "
                      "from 1 to 4, halves are 1 and 2.", period=wrong)
    return Reply(f"{head}\n{help_text}")


def not_started(tr: Translator, period: Period, last: Month) -> Reply:
    """No month of `period` is over yet: name it and the latest month that can be shown."""
    typed = f"{last.month}/{last.year}"  # as the officer would type it, in both languages
    return Reply(tr.gettext(
        "There are no figures for {period} yet: statistics count whole months only, and the "
        "latest month that is over is {last}. Send /stats {example} to see it.",
        period=period_label(tr, period), last=month_label(tr, last), example=typed,
    ))


def outside_years(tr: Translator, first: int, last: int) -> Reply:
    return Reply(tr.gettext(
        "Statistics cover the years {first} to {last}; please choose a period in them.",
        first=first, last=last))


def outside_plan(tr: Translator, period: Period, unit: str, start: int, end: int) -> Reply:
    return Reply(tr.gettext(
        "{period} is outside the plan period of {unit} ({start}–{end}).",
        period=period_label(tr, period), unit=unit, start=start, end=end,
    ))


def which_unit(tr: Translator) -> Reply:
    return Reply(tr.gettext("Which unit? Send /stats followed by a unit code; "
                            "/units lists them."))
