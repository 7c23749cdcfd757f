"""The plan-target lines of the /stats reply: the target value, the figure compared with it
and on/off track, or why it cannot be judged (too few reports, no population, no baseline)."""

from __future__ import annotations

from kernel.i18n import Translator
from knowledge.render import short_name
from knowledge.schema import Plan, Value
from knowledge.target_checks import ENOUGH_PERCENT, Missing, Status, TargetCheck


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def num(tr: Translator, value: float) -> str:
    return tr.number(round(value, 1)) if isinstance(value, float) else tr.number(value)


def signed(tr: Translator, value: float) -> str:
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return sign + num(tr, abs(value))


def _rate(tr: Translator, value: float) -> str:
    """Enough decimals for small rates (0.013%), one for large ones (1,666.7)."""
    return tr.number(round(value, 1 if value >= 10 else 2 if value >= 0.1 else 3))


def _value_text(tr: Translator, value: Value) -> str:
    number = num(tr, value.value or 0)
    unit = {
        "%": "%",
        "per_10000_children": tr.gettext("/10,000 children"),
        "per_100000_children": tr.gettext("/100,000 children"),
    }.get(value.unit, "")
    amount = f"{number}{unit}"
    if value.comparator == "below":
        text = tr.gettext("below {amount}", amount=amount)
    elif value.comparator == "down_to":
        text = tr.gettext("down to {amount}", amount=amount)
    elif value.comparator == "range" and value.value_max is not None:
        text = tr.gettext("a fall of {low}–{high}{unit}", low=number,
                          high=num(tr, value.value_max), unit=unit)
    elif value.comparator in ("reduce_by", "range"):
        text = tr.gettext("a fall of at least {amount}", amount=amount)
    else:
        text = f"{value.comparator_text} {value.text}"
    return f"{text} ({value.year})" if value.year else text


def _actual_text(tr: Translator, check: TargetCheck) -> str:
    if check.actual is None:
        return ""
    if check.per is not None:
        rate = _rate(tr, check.actual)
        shown = f"{rate}%" if check.per == 100 else tr.gettext(
            "{rate} per {per} children", rate=rate, per=tr.number(check.per)
        )
        if check.annualised:
            shown += " " + tr.gettext("(yearly rate from this period)")
        return tr.gettext("now {value}", value=shown)
    return tr.gettext(
        "{change}% compared with the same period {year} ({count})",
        change=signed(tr, check.actual), year=check.compared_year,
        count=tr.number(check.compared_count or 0),
    )


def _why_no_data(tr: Translator, check: TargetCheck) -> str:
    received, expected = check.received or 0, check.expected or 0
    if check.missing is Missing.INCOMPLETE:
        return tr.gettext(
            "Not enough reports to judge (at least {share} needed): {missing} of {expected} "
            "missing.", share=tr.percent(ENOUGH_PERCENT / 100),
            missing=tr.number(expected - received), expected=tr.number(expected),
        )
    if check.missing is Missing.EARLIER_INCOMPLETE:
        return tr.gettext(
            "Too few reports in the same period {year} to compare with ({received} of "
            "{expected}).", year=check.compared_year, received=tr.number(received),
            expected=tr.number(expected),
        )
    if check.missing is Missing.REPORTS:
        return tr.gettext("No reports for this period yet.")
    if check.missing is Missing.POPULATION:
        return tr.gettext("The child population is unknown, so the rate cannot be computed.")
    if check.missing is Missing.EARLIER_ZERO:
        return tr.gettext("No cases in the same period {year}: no percentage change.",
                          year=check.compared_year)
    return tr.gettext("No reports for the same period {year} to compare with.",
                      year=check.compared_year)


def target_line(tr: Translator, check: TargetCheck) -> str:
    """``• Target 9 — <indicator>: below 4.5% (2025). Now 0.53% — ✅ on track``."""
    head = tr.gettext("Target {number}", number=check.target)
    if check.status is Status.NO_VALUE or check.indicator is None or check.value is None:
        return f"• {head}: " + tr.gettext("no target value for this period.")
    label = check.indicator.label if tr.locale == "vi" else check.indicator.label_en
    line = f"• {head} — {label}: {_value_text(tr, check.value)}."
    if check.status is Status.NOT_COMPARABLE:
        return line + " " + tr.gettext("Not compared automatically.")
    if check.status is Status.NO_DATA:
        return f"{line} {_why_no_data(tr, check)}"
    mark = (
        "✅ " + tr.gettext("on track")
        if check.status is Status.ON_TRACK
        else "⚠️ " + tr.gettext("off track")
    )
    return f"{line} {cap(_actual_text(tr, check))} — {mark}"


def target_lines(tr: Translator, plan: Plan | None, checks: list[TargetCheck]) -> list[str]:
    """The plan-target section (a blank line first)."""
    if plan is None:
        return ["", tr.gettext("This unit has no plan, so there are no targets to compare.")]
    return ["", tr.gettext("Plan targets ({plan}):", plan=short_name(plan))] + [
        target_line(tr, check) for check in checks
    ]
