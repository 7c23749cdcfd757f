"""/stats without Telegram: resolve the unit and period, check scope, log, render, export.

Every read of report data and every file is written to the access log (in its own committed
transaction) before anything is shown.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Any

from kernel.calendar import FIRST_YEAR, LAST_YEAR, Month, Period
from kernel.counts import CATEGORIES
from kernel.i18n import Translator, translator
from kernel.reply import Button, Reply
from knowledge.target_checks import Facts, baseline_years, check_targets
from reports.chart import trend_chart
from reports.export import export_filename, rows_to_csv, rows_to_xlsx
from reports.periods import PeriodError, PeriodOutOfRange, parse_period
from reports.privacy import looks_like_code
from storage import scope as scopes
from storage.access_log import log_access, log_refusal
from storage.models import Person, Unit
from storage.stats_queries import StatsData, export_rows, load_stats, monthly_series
from usecases.services import Services
from usecases.statistics.text import period_label, render_stats

CALLBACK_PREFIX = "stats"
FILE_KINDS = ("png", "csv", "xlsx")
#: The chart shows at least this many months (ending with the period).
CHART_MONTHS = 12
#: Exports are always in Vietnamese (they are shared with provincial offices).
EXPORT_LOCALE = "vi"
_KIND_CODES = {"month": "m", "quarter": "q", "half": "h", "year": "y", "range": "r"}
_CALLBACK = re.compile(r"^stats:(png|csv|xlsx):(\d+):(\d{6}):(\d{6}):([mqhyr])$")


@dataclass(frozen=True)
class StatsFile:
    """A file to send: a photo (``kind == "png"``) or a document."""

    kind: str
    data: bytes
    filename: str
    caption: str


# ---------------------------------------------------------------------------- text


def refusal(tr: Translator) -> Reply:
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


def period_help(tr: Translator) -> Reply:
    return Reply(tr.gettext(
        "I did not understand the period. Examples: /stats thang 10/2025, "
        "/stats quy 3 2025, /stats 6 thang dau nam 2025, /stats 2025, "
        "/stats 1/2025 - 6/2025. A unit code may come first: /stats CODE quy 3 2025."
    ))


async def stats_reply(svc: Services, person: Person, tr: Translator, args: str) -> Reply:
    """The answer to ``/stats [unit] [period]``."""
    scope = scopes.scope_of(person, svc.settings.admin_ids)
    if not scope.can_read:
        await log_refusal(svc.db, person.id, "not_member")
        return refusal(tr)
    today = svc.clock.now().date()
    async with svc.db.read_session() as session:
        resolved = await _resolve(session, scope, args, today, tr)
        if isinstance(resolved, _Refused):
            refused = resolved
        else:
            refused = None
            unit, period = resolved
            plan = svc.plans.get(unit.plan_id or "")
            if plan is not None and not (
                period.start.year <= plan.period_end and period.end.year >= plan.period_start
            ):
                return Reply(tr.gettext(
                    "{period} is outside the plan period of {unit} ({start}–{end}).",
                    period=period_label(tr, period), unit=unit.name, start=plan.period_start,
                    end=plan.period_end,
                ))
            data = await load_stats(
                session, unit, period, due_day=svc.settings.due_day_for(unit.plan_id),
                tz=svc.settings.tz, baseline_years=baseline_years(plan),
            )
    if refused is not None:
        if refused.why:
            await log_refusal(svc.db, person.id, refused.why)
        return refused.reply
    await _log(svc, person, "stats", unit.id, period)
    checks = check_targets(plan, target_facts(data)) if plan else []
    return Reply(render_stats(tr, data, plan, checks), buttons=stats_buttons(tr, unit, period))


@dataclass(frozen=True)
class _Refused:
    """/stats answered without statistics; ``why``: the access-log code of a refused request."""

    reply: Reply
    why: str | None = None


async def _resolve(
    session: Any, scope: scopes.Scope, args: str, today: Any, tr: Translator
) -> tuple[Unit, Period] | _Refused:
    """``[unit code] [period]``: a visible unit code first, else the whole text is a period."""
    text = args.strip()
    tokens = text.split()
    unit = await scopes.visible_unit(session, scope, tokens[0]) if tokens else None
    period_text = " ".join(tokens[1:]) if unit is not None else text
    try:
        period = parse_period(period_text, today=today)
    except PeriodOutOfRange as exc:
        return _Refused(Reply(tr.gettext(
            "Statistics cover the years {first} to {last}; please choose a period in them.",
            first=exc.first, last=exc.last)))
    except PeriodError:
        if unit is None and tokens and _parses(" ".join(tokens[1:]), today):
            return _Refused(unknown_unit(tr, tokens[0]), "unknown_unit")
        return _Refused(period_help(tr))
    if unit is None:
        unit = await scopes.home_unit(session, scope)
    if unit is None:
        return _Refused(Reply(tr.gettext("Which unit? Send /stats followed by a unit code; "
                                         "/units lists them.")))
    return unit, period


def _parses(text: str, today: Any) -> bool:
    try:
        parse_period(text, today=today)
    except PeriodError:
        return False
    return True


def target_facts(data: StatsData) -> dict[str, Facts]:
    earlier_year = data.period.previous_year().end.year
    facts = {}
    for name in CATEGORIES:
        earlier: dict[int, int | None] = {
            year: getattr(t.counts, name) if t.reports else None
            for year, t in data.baselines.items()
        }
        earlier[earlier_year] = (
            getattr(data.previous.counts, name) if data.previous.reports else None
        )
        facts[name] = Facts(
            year=data.period.end.year,
            months=len(data.period.months()),
            count=getattr(data.totals.counts, name),
            population=data.population,
            earlier=earlier,
            reports=data.totals.reports,
        )
    return facts


def callback_data(kind: str, unit_id: int, period: Period) -> str:
    start, end = period.start, period.end
    return (f"{CALLBACK_PREFIX}:{kind}:{unit_id}:{start.year}{start.month:02d}:"
            f"{end.year}{end.month:02d}:{_KIND_CODES[period.kind]}")


def parse_callback(data: str) -> tuple[str, int, Period] | None:
    match = _CALLBACK.match(data)
    if not match:
        return None
    kind, unit_id, start, end, code = match.groups()
    try:
        first = Month(int(start[:4]), int(start[4:]))
        last = Month(int(end[:4]), int(end[4:]))
    except ValueError:
        return None
    period_kind = next(k for k, c in _KIND_CODES.items() if c == code)
    if last < first or first.year < FIRST_YEAR or last.year > LAST_YEAR:
        return None
    return kind, int(unit_id), Period(first, last, period_kind)  # type: ignore[arg-type]


def stats_buttons(tr: Translator, unit: Unit, period: Period) -> list[list[Button]]:
    return [
        [Button("📈 " + tr.gettext("Chart"), callback_data("png", unit.id, period))],
        [
            Button("CSV", callback_data("csv", unit.id, period)),
            Button("Excel (XLSX)", callback_data("xlsx", unit.id, period)),
        ],
    ]


# ---------------------------------------------------------------------------- files


async def stats_file(
    svc: Services, person: Person, tr: Translator, data: str
) -> StatsFile | Reply:
    """The chart or export behind a /stats button (scope checked again, access logged)."""
    parsed = parse_callback(data)
    if parsed is None:
        return Reply(tr.gettext("This button has expired. Send /stats again."))
    kind, unit_id, period = parsed
    scope = scopes.scope_of(person, svc.settings.admin_ids)
    if not scope.can_read:
        await log_refusal(svc.db, person.id, "not_member")
        return refusal(tr)
    start, end = period.start, period.end
    async with svc.db.read_session() as session:
        unit = await session.get(Unit, unit_id)
        visible = unit is not None and await scopes.can_see(session, scope, unit_id)
        if visible:
            assert unit is not None
            if kind == "png":
                first = _chart_start(period)
                series = await monthly_series(session, unit.id, first, end)
            else:
                rows = await export_rows(session, unit.id, start, end, tz=svc.settings.tz,
                                         due_day=svc.settings.due_day_for(unit.plan_id))
    if not visible or unit is None:
        # A forged or stale button: the same answer as an expired one, naming nothing.
        await log_refusal(svc.db, person.id, "out_of_scope")
        return Reply(tr.gettext("This button has expired. Send /stats again."))
    action = {"png": "stats_chart", "csv": "export_csv", "xlsx": "export_xlsx"}[kind]
    await _log(svc, person, action, unit.id, period)
    label = period_label(tr, period)
    if kind == "png":
        shown = Period(first, end, "range") if first < start else period
        title = f"{unit.name}: {period_label(tr, shown)}"
        png = await asyncio.to_thread(trend_chart, series, title=title, tr=tr)
        filename = export_filename("chart", unit.code, first, end, "png")
        caption = tr.gettext("Monthly cases, {unit}: {period}", unit=unit.name,
                             period=period_label(tr, shown))
        return StatsFile("png", png, filename, caption)
    vi = translator(EXPORT_LOCALE)
    if kind == "csv":
        content = rows_to_csv(rows, tr=vi)
    else:
        content = await asyncio.to_thread(rows_to_xlsx, rows, tr=vi, sheet_title=unit.code)
    caption = tr.gettext("Reports of {unit}: {period} ({n} rows)", unit=unit.name,
                         period=label, n=tr.number(len(rows)))
    return StatsFile(kind, content, export_filename("reports", unit.code, start, end, kind),
                     caption)


def _chart_start(period: Period) -> Month:
    """At least ``CHART_MONTHS`` months, ending with the period's last month."""
    first = period.end
    for _ in range(CHART_MONTHS - 1):
        first = first.previous()
    return min(first, period.start)


async def _log(svc: Services, person: Person, action: str, unit_id: int, period: Period) -> None:
    async with svc.db.session() as session:
        await log_access(session, person.id, action, unit_id=unit_id,
                         detail=f"{period.start.key}..{period.end.key}")
        await session.commit()

