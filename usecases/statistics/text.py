"""The /stats reply text: the months covered, the population and its year, totals with the
year-earlier change, rates, completeness, each unit below and the plan targets.

Missing is never shown as zero: a period without any report says so instead of totals, a
unit without reports is "not reported", and a change is shown only when both periods have
reports.
"""

from __future__ import annotations

from kernel.calendar import Period
from kernel.counts import BREAKDOWNS, CATEGORIES
from kernel.i18n import Translator
from knowledge.schema import Plan
from knowledge.target_checks import TargetCheck, enough_reports
from reports.messages import field_label, month_label, period_label
from storage.aggregation import Completeness, Totals, rate_per_100k
from storage.stats_queries import ChildStats, StatsData
from usecases.statistics.targets_text import cap, num, signed, target_lines

__all__ = ["change_text", "child_line", "completeness_text", "period_label", "render_stats"]

#: Telegram allows 4096 characters; the per-unit list is cut to stay below this.
MAX_CHARS = 3800


def change_text(
    tr: Translator, now: int, before: Totals, field: str, year: int,
    done: Completeness | None = None,
) -> str:
    """``Same period 2024: 3 (+2, +66.7%)``, honest about missing, thin or zero baselines
    (``done``: how completely the earlier period was reported)."""
    if before.reports == 0:
        return tr.gettext("Same period {year}: no reports.", year=year)
    old = getattr(before.counts, field)
    if now == old:
        change = tr.gettext("no change")
    elif old == 0:
        change = signed(tr, now - old)
    else:
        change = f"{signed(tr, now - old)}, {signed(tr, (now - old) * 100 / old)}%"
    text = tr.gettext("Same period {year}: {count} ({change})", year=year,
                      count=tr.number(old), change=change)
    if done is not None and not enough_reports(done.received, done.expected):
        text += " — " + tr.gettext("only {received} of {expected} reports then",
                                   received=tr.number(done.received),
                                   expected=tr.number(done.expected))
    return text


def _category_lines(tr: Translator, data: StatsData) -> list[str]:
    if not data.totals.reports:
        return [tr.gettext("No reports have arrived for this period: there are no figures "
                           "to show.")]
    lines = []
    earlier_year = data.period.previous_year().end.year
    done_before = data.earlier_completeness.get(earlier_year)
    for name in CATEGORIES:
        count = getattr(data.totals.counts, name)
        head = f"{cap(field_label(tr, name))}: {tr.number(count)}"
        rate = rate_per_100k(count, data.population)
        if rate is not None:
            head += " — " + tr.gettext("{rate} per 100,000 children", rate=num(tr, rate))
        lines.append(head)
        parts = [
            f"{field_label(tr, b)} {tr.number(v)}"
            for b, owner in BREAKDOWNS.items()
            if owner == name and (v := getattr(data.totals.counts, b)) is not None
        ]
        if parts:
            lines.append("   " + ", ".join(parts))
        lines.append("   " + change_text(tr, count, data.previous, name, earlier_year,
                                         done_before))
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


def child_line(tr: Translator, child: ChildStats) -> str:
    """``• Name (CODE): 3 / 9 / 1 · reports 3/10, on time 2``, or ``not reported``."""
    done = child.completeness
    name = f"• {child.unit.name} ({child.unit.code}): "
    if not child.totals.reports:
        if not done.expected:
            return name + tr.gettext("not reported")
        return name + tr.gettext("not reported (0 of {expected} reports)",
                                 expected=tr.number(done.expected))
    figures = " / ".join(tr.number(getattr(child.totals.counts, n)) for n in CATEGORIES)
    return name + f"{figures} · " + tr.gettext(
        "reports {received}/{expected}, on time {on_time}", received=tr.number(done.received),
        expected=tr.number(done.expected), on_time=tr.number(done.on_time),
    )


def _population_line(tr: Translator, data: StatsData) -> str:
    year = data.period.end.year
    if not data.population:
        return tr.gettext("No child population for {year} or earlier: no rates.", year=year)
    count = tr.number(data.population)
    if data.population_year == year:
        return tr.gettext("Children: {count} (figures for {year})", count=count, year=year)
    return tr.gettext("Children: {count} (figures for {year}; none yet for {period_year})",
                      count=count, year=data.population_year, period_year=year)


def _head_lines(tr: Translator, data: StatsData, asked: Period) -> list[str]:
    unit = data.unit
    lines = [
        "📊 " + tr.gettext("Statistics: {unit} ({code}), {period}", unit=unit.name,
                           code=unit.code, period=period_label(tr, asked)),
    ]
    if asked != data.period:
        lines.append(tr.gettext("Figures to the end of {month}: {period} is not over yet.",
                                month=month_label(tr, data.period.end),
                                period=period_label(tr, asked)))
    return lines + [_population_line(tr, data)]


def render_stats(
    tr: Translator, data: StatsData, plan: Plan | None, checks: list[TargetCheck],
    *, asked: Period | None = None,
) -> str:
    """The whole reply; ``asked``: the period asked for when it is longer than the months
    covered (``data.period``, those that are over)."""
    lines = _head_lines(tr, data, asked or data.period)
    lines.append("")
    lines += _category_lines(tr, data)
    done = data.completeness
    lines += ["", tr.gettext("Reports: {summary}", summary=completeness_text(tr, done))]
    if data.totals.reports and done.expected and done.received < done.expected:
        lines.append("⚠️ " + tr.gettext("Not every report has arrived: totals may be low."))
    tail = target_lines(tr, plan, checks)
    if data.children:
        lines += ["", tr.gettext("By unit (abuse / injuries / marriage):")]
        budget = MAX_CHARS - len("\n".join(lines + tail))
        children = [child_line(tr, child) for child in data.children]
        for i, line in enumerate(children):
            if budget - len(line) - 1 < 80 and i < len(children) - 1:
                lines.append(tr.gettext("… and {n} more units (see the CSV file).",
                                        n=tr.number(len(children) - i)))
                break
            lines.append(line)
            budget -= len(line) + 1
    return "\n".join(lines + tail)
