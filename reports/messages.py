"""Report texts in the user's language: problems, usage example, summary, privacy refusal."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date

from kernel.calendar import Month, Period
from kernel.counts import BREAKDOWNS, CATEGORIES, CaseCounts
from kernel.i18n import Translator
from reports.privacy import ADDRESS, AGE, BIRTH_DATE, EMAIL, ID_NUMBER, NAME, PHONE
from reports.problems import Code, Problem
from reports.reasons import DUPLICATE, ENTRY_MISTAKE, FOUND_LATE, OTHER, VERIFIED

_Text = Callable[[Translator], str]

_FIELD_LABELS: dict[str, _Text] = {
    "abuse": lambda tr: tr.gettext("child abuse"),
    "injury": lambda tr: tr.gettext("child injuries"),
    "marriage": lambda tr: tr.gettext("child marriage"),
    "abuse_violence": lambda tr: tr.gettext("violence"),
    "abuse_sexual": lambda tr: tr.gettext("sexual abuse"),
    "abuse_exploitation": lambda tr: tr.gettext("exploitation"),
    "abuse_other": lambda tr: tr.gettext("other abuse"),
    "injury_drowning": lambda tr: tr.gettext("drowning"),
    "injury_traffic": lambda tr: tr.gettext("traffic accidents"),
    "injury_deaths": lambda tr: tr.gettext("deaths"),
}

_PRIVACY_LABELS: dict[str, _Text] = {
    PHONE: lambda tr: tr.gettext("a phone number"),
    ID_NUMBER: lambda tr: tr.gettext("an ID card number"),
    EMAIL: lambda tr: tr.gettext("an email address"),
    BIRTH_DATE: lambda tr: tr.gettext("a date of birth"),
    NAME: lambda tr: tr.gettext("a name"),
    AGE: lambda tr: tr.gettext("a child's age"),
    ADDRESS: lambda tr: tr.gettext("an address"),
}

_REASON_LABELS: dict[str, _Text] = {
    ENTRY_MISTAKE: lambda tr: tr.gettext("Entry mistake"),
    FOUND_LATE: lambda tr: tr.gettext("Case found late"),
    VERIFIED: lambda tr: tr.gettext("After verification"),
    DUPLICATE: lambda tr: tr.gettext("Duplicate case"),
    OTHER: lambda tr: tr.gettext("Other"),
}


def reason_label(tr: Translator, code: str, note: str | None = None) -> str:
    """A correction reason: ``"Nhập nhầm"``, ``"Khác: <note>"``."""
    label = _REASON_LABELS[code](tr) if code in _REASON_LABELS else code
    return f"{label}: {note}" if note else label


def field_label(tr: Translator, name: str) -> str:
    """Lower-case label of a report field (``"abuse"`` → "xâm hại trẻ em")."""
    return _FIELD_LABELS[name](tr)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _quoted(tr: Translator, items: Iterable[str]) -> str:
    return tr.gettext(", ").join(f"“{item}”" for item in items)


def month_label(tr: Translator, month: Month) -> str:
    return tr.month(month.year, month.month)


def render_problem(tr: Translator, problem: Problem) -> str:
    """One short sentence explaining ``problem``."""
    p = dict(problem.params)
    code = problem.code
    label = _cap(field_label(tr, p["field"])) if "field" in p else ""
    if code is Code.NO_COUNTS:
        return tr.gettext("I could not find any numbers in this report.")
    if code is Code.TOO_LONG:
        return tr.gettext(
            "This message is too long for a report (at most {limit} characters).",
            limit=tr.number(p["limit"]),
        )
    if code is Code.UNKNOWN_WORDS:
        # Only words of the report vocabulary and numbers are shown: never what might be a
        # child's name.
        if not p["words"]:
            return tr.gettext("Some words were not understood.")
        if p.get("withheld"):
            return tr.gettext("I did not understand: {words}, and some other words.",
                              words=_quoted(tr, p["words"]))
        return tr.gettext("I did not understand: {words}.", words=_quoted(tr, p["words"]))
    if code is Code.CONFLICT:
        return tr.gettext(
            "{label} is given twice with different numbers ({first} and {second}).",
            label=label,
            first=tr.number(p["first"]),
            second=tr.number(p["second"]),
        )
    if code is Code.NOT_INTEGER:
        return tr.gettext("{label}: “{text}” is not a whole number.", label=label, text=p["text"])
    if code is Code.NEGATIVE:
        return tr.gettext(
            "{label}: “{text}” is negative; a count cannot be below 0.", label=label, text=p["text"]
        )
    if code is Code.NOT_A_NUMBER:
        return tr.gettext(
            "{label}: please write the number in digits instead of “{text}”.",
            label=label,
            text=p["text"],
        )
    if code is Code.MISSING_NUMBER:
        return tr.gettext("{label}: the number is missing.", label=label)
    if code is Code.MISSING_CATEGORIES:
        labels = tr.gettext(", ").join(field_label(tr, f) for f in p["fields"])
        return tr.gettext("Missing: {labels}. Write 0 if there were no cases.", labels=labels)
    if code is Code.TOO_LARGE:
        return tr.gettext(
            "{label}: {value} is too many for one commune in one month (at most {limit}). "
            "Please check.",
            label=label,
            value=tr.number(p["value"]),
            limit=tr.number(p["limit"]),
        )
    if code is Code.BREAKDOWN_EXCEEDS:
        return tr.gettext(
            "{label} ({value}) cannot be more than {total_label} ({total}).",
            label=label,
            value=tr.number(p["value"]),
            total_label=field_label(tr, p["total_field"]),
            total=tr.number(p["total"]),
        )
    if code is Code.BREAKDOWN_SUM_EXCEEDS:
        return tr.gettext(
            "The details of {total_label} add up to {sum}, more than the total ({total}).",
            total_label=field_label(tr, p["total_field"]),
            sum=tr.number(p["sum"]),
            total=tr.number(p["total"]),
        )
    if code is Code.INVALID_MONTH:
        return tr.gettext("“{text}” is not a valid month.", text=p["text"])
    if code is Code.CONFLICTING_MONTHS:
        months = tr.gettext(", ").join(month_label(tr, m) for m in p["months"])
        return tr.gettext(
            "The message names more than one month ({months}). Please send one report per month.",
            months=months,
        )
    if code is Code.MONTH_IN_FUTURE:
        return tr.gettext("{month} has not come yet.", month=month_label(tr, p["month"]))
    if code is Code.MONTH_NOT_OVER:
        month: Month = p["month"]
        first = month.next()
        return tr.gettext(
            "{month} is not over yet; please report it from {date}.",
            month=month_label(tr, month),
            date=tr.date(date(first.year, first.month, 1)),
        )
    if code is Code.MONTH_OUTSIDE_PLAN:
        return tr.gettext(
            "{month} is outside the plan period ({start}–{end}).",
            month=month_label(tr, p["month"]),
            start=p["start"],
            end=p["end"],
        )
    if code is Code.MARKUP:
        return tr.gettext(
            "The message contains formatting code (HTML tags). Please send the report as "
            "plain text."
        )
    if code is Code.REPEATED:
        return tr.gettext(
            "The report appears {times} times in this message. Please send it once.",
            times=tr.number(p["times"]),
        )
    if code is Code.EXTRA_TEXT:
        return tr.gettext(
            "The message has other text besides the report. Please send the report on its "
            "own: the month and the counts only."
        )
    raise ValueError(f"unknown problem code: {code}")


def render_problems(tr: Translator, problems: Iterable[Problem]) -> str:
    """All problems, one bullet per line."""
    return "\n".join(f"• {render_problem(tr, p)}" for p in problems)


def example_report(tr: Translator, month: Month) -> str:
    """A complete report line in the user's language (it parses back to a valid report)."""
    typed = f"{month.month}/{month.year}"  # as officers type it, in either language
    return tr.gettext("report {month}: abuse 2, injury 5, marriage 0", month=typed)


def usage_example(tr: Translator, month: Month | None = None) -> str:
    """How to write a report, with examples for ``month`` (default October 2025)."""
    month = month or Month(2025, 10)
    typed = f"{month.month}/{month.year}"
    detailed = tr.gettext(
        "report {month}: abuse 2 (violence 1, sexual 1), injury 5 (drowning 2), marriage 0",
        month=typed,
    )
    none = tr.gettext("report {month}: no cases", month=typed)
    return tr.gettext(
        "Send the report like this:\n{example}\n"
        "Details are optional, for example:\n{detailed}\n"
        "Write 0 when there were no cases; a month without any cases:\n{none}\n"
        "Numbers only: no names, ages or addresses.",
        none=none,
        example=example_report(tr, month),
        detailed=detailed,
    )


def _counts_dict(counts: CaseCounts | Mapping[str, int | None]) -> Mapping[str, int | None]:
    return counts.as_dict() if isinstance(counts, CaseCounts) else counts


#: Each category's breakdown fields, in report order.
_PARTS: dict[str, tuple[str, ...]] = {
    category: tuple(part for part, total in BREAKDOWNS.items() if total == category)
    for category in CATEGORIES
}


def report_summary(
    tr: Translator, month: Month | None, counts: CaseCounts | Mapping[str, int | None]
) -> str:
    """The report as the bot understood it: one line per category, breakdowns in brackets."""
    values = _counts_dict(counts)
    if month is None:
        lines = [tr.gettext("Report:")]
    else:
        lines = [tr.gettext("Report for {month}:", month=month_label(tr, month))]
    for category in CATEGORIES:
        value = values.get(category)
        shown = tr.number(value) if value is not None else "—"
        parts = [
            f"{field_label(tr, part)} {tr.number(v)}"
            for part in _PARTS[category]
            if (v := values.get(part)) is not None
        ]
        details = f" ({tr.gettext(', ').join(parts)})" if parts else ""
        lines.append(f"• {_cap(field_label(tr, category))}: {shown}{details}")
    return "\n".join(lines)


def privacy_refusal(tr: Translator, kinds: Iterable[str]) -> str:
    """Why a message with personal data is refused (and not stored)."""
    found = tr.gettext(", ").join(_PRIVACY_LABELS[k](tr) for k in kinds if k in _PRIVACY_LABELS)
    return tr.gettext(
        "To protect the children, I cannot accept this message: it seems to contain {found}. "
        "It has not been saved. Reports contain counts only; please remove names, ages, "
        "addresses and contact details and send it again.",
        found=found or tr.gettext("personal details"),
    )


def privacy_note(tr: Translator) -> str:
    """The line added to an answer whose question seemed to hold a child's details."""
    return tr.gettext("🔒 Please do not send children's names, ages, addresses or contacts: "
                      "I do not need them to answer.")


def period_label(tr: Translator, period: Period) -> str:
    """``Q3 2025`` / ``Quý 3/2025``, ``H1 2025`` / ``6 tháng đầu năm 2025`` …"""
    start, end = period.start, period.end
    if period.kind == "month":
        return month_label(tr, start)
    if period.kind == "quarter":
        return tr.gettext("Q{quarter} {year}", quarter=period.quarter, year=start.year)
    if period.kind == "half":
        if period.half == 1:
            return tr.gettext("first half of {year}", year=start.year)
        return tr.gettext("second half of {year}", year=start.year)
    if period.kind == "year":
        return tr.gettext("year {year}", year=start.year)
    return tr.gettext("{start} to {end}", start=month_label(tr, start), end=month_label(tr, end))


def nudge_text(tr: Translator, kind: str, month: Month, due: date) -> str:
    """The reminder sent for nudge ``kind`` ("before_3", "due", "overdue_1" …)."""
    label, when = month_label(tr, month), tr.date(due)
    if kind.startswith("before_"):
        n = int(kind.removeprefix("before_"))
        if n == 1:
            return tr.gettext(
                "Reminder: the report for {month} is due tomorrow, {date}.", month=label, date=when
            )
        return tr.gettext(
            "Reminder: the report for {month} is due in {n} days, on {date}.",
            n=n,
            month=label,
            date=when,
        )
    if kind.startswith("overdue_"):
        return tr.gettext(
            "The report for {month} was due on {date} and has not arrived yet. "
            "Please send it as soon as you can.",
            month=label,
            date=when,
        )
    return tr.gettext(
        "The report for {month} is due on {date}. Please send it if you have not yet.",
        month=label,
        date=when,
    )
