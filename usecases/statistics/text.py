"""The /stats reply text: totals, the year-earlier change, rates, completeness, plan targets."""

from __future__ import annotations

from kernel.counts import BREAKDOWNS, CATEGORIES
from kernel.i18n import Translator
from knowledge.render import short_name
from knowledge.schema import Plan, Value
from knowledge.target_checks import Missing, Status, TargetCheck
from reports.messages import field_label, period_label
from storage.aggregation import Completeness, Totals, rate_per_100k
from storage.stats_queries import StatsData

#: Telegram allows 4096 characters; the per-unit list is cut to stay below this.
MAX_CHARS = 3800


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _num(tr: Translator, value: float) -> str:
    return tr.number(round(value, 1)) if isinstance(value, float) else tr.number(value)


def _rate(tr: Translator, value: float) -> str:
    """Enough decimals for small rates (0.013%), one for large ones (1,666.7)."""
    return tr.number(round(value, 1 if value >= 10 else 2 if value >= 0.1 else 3))


def _signed(tr: Translator, value: float) -> str:
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return sign + _num(tr, abs(value))


def change_text(tr: Translator, now: int, before: Totals, field: str, year: int) -> str:
    """``Same period 2024: 3 (+2, +66.7%)``, honest about missing or zero baselines."""
    if before.reports == 0:
        return tr.gettext("Same period {year}: no reports.", year=year)
    old = getattr(before.counts, field)
    if now == old:
        change = tr.gettext("no change")
    elif old == 0:
        change = _signed(tr, now - old)
    else:
        change = f"{_signed(tr, now - old)}, {_signed(tr, (now - old) * 100 / old)}%"
    return tr.gettext("Same period {year}: {count} ({change})", year=year,
                      count=tr.number(old), change=change)


def _category_lines(tr: Translator, data: StatsData) -> list[str]:
    lines = []
    earlier_year = data.period.previous_year().end.year
    for name in CATEGORIES:
        count = getattr(data.totals.counts, name)
        head = f"{_cap(field_label(tr, name))}: {tr.number(count)}"
        rate = rate_per_100k(count, data.population) if data.totals.reports else None
        if rate is not None:
            head += " — " + tr.gettext("{rate} per 100,000 children", rate=_num(tr, rate))
        lines.append(head)
        parts = [
            f"{field_label(tr, b)} {tr.number(v)}"
            for b, owner in BREAKDOWNS.items()
            if owner == name and (v := getattr(data.totals.counts, b)) is not None
        ]
        if parts:
            lines.append("   " + ", ".join(parts))
        lines.append("   " + change_text(tr, count, data.previous, name, earlier_year))
    return lines


def completeness_text(tr: Translator, done: Completeness) -> str:
    if not done.expected:
        return tr.gettext("No reporting communes.")
    return tr.gettext(
        "{received} of {expected} received ({share}), {on_time} on time ({on_time_share})",
        received=tr.number(done.received),
        expected=tr.number(done.expected),
        share=tr.percent(done.completeness or 0),
        on_time=tr.number(done.on_time),
        on_time_share=tr.percent(done.timeliness or 0),
    )


def _child_lines(tr: Translator, data: StatsData) -> list[str]:
    lines = []
    for child in data.children:
        c = child.totals.counts
        figures = " / ".join(tr.number(getattr(c, name)) for name in CATEGORIES)
        done = child.completeness
        lines.append(
            f"• {child.unit.name} ({child.unit.code}): {figures} · "
            + tr.gettext("reports {received}/{expected}, on time {on_time}",
                         received=tr.number(done.received), expected=tr.number(done.expected),
                         on_time=tr.number(done.on_time))
        )
    return lines


def _value_text(tr: Translator, value: Value) -> str:
    number = _num(tr, value.value or 0)
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
                          high=_num(tr, value.value_max), unit=unit)
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
        change=_signed(tr, check.actual), year=check.compared_year,
        count=tr.number(check.compared_count or 0),
    )


def target_line(tr: Translator, check: TargetCheck) -> str:
    head = tr.gettext("Target {number}", number=check.target)
    if check.status is Status.NO_VALUE or check.indicator is None or check.value is None:
        return f"• {head}: " + tr.gettext("no target value for this period.")
    label = check.indicator.label if tr.locale == "vi" else check.indicator.label_en
    line = f"• {head} — {label}: {_value_text(tr, check.value)}."
    if check.status is Status.NOT_COMPARABLE:
        return line + " " + tr.gettext("Not compared automatically.")
    if check.status is Status.NO_DATA:
        if check.missing is Missing.REPORTS:
            why = tr.gettext("No reports for this period yet.")
        elif check.missing is Missing.POPULATION:
            why = tr.gettext("The child population is unknown, so the rate cannot be computed.")
        elif check.missing is Missing.EARLIER_ZERO:
            why = tr.gettext("No cases in the same period {year}: no percentage change.",
                             year=check.compared_year)
        else:
            why = tr.gettext("No reports for the same period {year} to compare with.",
                             year=check.compared_year)
        return f"{line} {why}"
    mark = (
        "✅ " + tr.gettext("on track")
        if check.status is Status.ON_TRACK
        else "⚠️ " + tr.gettext("off track")
    )
    return f"{line} {_cap(_actual_text(tr, check))} — {mark}"


def render_stats(
    tr: Translator, data: StatsData, plan: Plan | None, checks: list[TargetCheck]
) -> str:
    unit = data.unit
    lines = [
        "📊 " + tr.gettext("Statistics: {unit} ({code}), {period}", unit=unit.name,
                           code=unit.code, period=period_label(tr, data.period)),
    ]
    if data.population:
        lines.append(tr.gettext("Children: {count} (figures for {year})",
                                count=tr.number(data.population), year=data.population_year))
    else:
        lines.append(tr.gettext("Child population unknown: no rates."))
    lines.append("")
    lines += _category_lines(tr, data)
    lines += ["", tr.gettext("Reports: {summary}",
                             summary=completeness_text(tr, data.completeness))]
    if data.completeness.expected and data.completeness.received < data.completeness.expected:
        lines.append("⚠️ " + tr.gettext("Not every report has arrived: totals may be low."))
    tail = _target_lines(tr, data, plan, checks)
    if data.children:
        lines += ["", tr.gettext("By unit (abuse / injuries / marriage):")]
        budget = MAX_CHARS - len("\n".join(lines + tail))
        children = _child_lines(tr, data)
        for i, line in enumerate(children):
            if budget - len(line) - 1 < 80 and i < len(children) - 1:
                lines.append(tr.gettext("… and {n} more units (see the CSV file).",
                                        n=len(children) - i))
                break
            lines.append(line)
            budget -= len(line) + 1
    return "\n".join(lines + tail)


def _target_lines(
    tr: Translator, data: StatsData, plan: Plan | None, checks: list[TargetCheck]
) -> list[str]:
    if plan is None:
        return ["", tr.gettext("This unit has no plan, so there are no targets to compare.")]
    return ["", tr.gettext("Plan targets ({plan}):", plan=short_name(plan))] + [
        target_line(tr, check) for check in checks
    ]
