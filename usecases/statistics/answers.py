"""/stats without Telegram: resolve the unit and period, check scope, log, render, export.

Only months that are over are counted (:func:`reports.periods.completed_part`): a period not
started is refused, one partly to come covers its months up to the last complete month.
Every read of report data and every file is written to the access log (in its own committed
transaction) before anything is shown.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

from kernel.calendar import FIRST_YEAR, LAST_YEAR, Month, Period
from kernel.counts import CATEGORIES
from kernel.i18n import Translator, translator
from kernel.reply import Button, Reply
from knowledge.target_checks import Facts, baseline_years, check_targets
from reports.chart import trend_chart
from reports.export import export_filename, rows_to_csv, rows_to_xlsx
from reports.periods import completed_part
from storage import scope as scopes
from storage.access_log import log_access, log_refusal
from storage.models import Person, Unit
from storage.stats_queries import StatsData, export_rows, load_stats, monthly_series
from usecases.dashboard.links import dashboard_button
from usecases.services import Services
from usecases.statistics import refusals
from usecases.statistics.request import Refused, Request, resolve
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


async def stats_reply(svc: Services, person: Person, tr: Translator, args: str) -> Reply:
    """The answer to ``/stats [unit] [period]`` (only the period's months that are over)."""
    scope = scopes.scope_of(person, svc.settings.admin_ids)
    if not scope.can_read:
        await log_refusal(svc.db, person.id, "not_member")
        return refusals.refusal(tr)
    today = svc.clock.now().date()
    async with svc.db.read_session() as session:
        request = await resolve(session, scope, args, today, tr)
        if isinstance(request, Request):
            unit, asked, covered = request.unit, request.asked, request.covered
            plan = svc.plans.get(unit.plan_id or "")
            if plan is not None and not (
                asked.start.year <= plan.period_end and asked.end.year >= plan.period_start
            ):
                return refusals.outside_plan(tr, asked, unit.name, plan.period_start,
                                             plan.period_end)
            if covered is None:
                return request.not_started(tr)
            data = await load_stats(
                session, unit, covered, due_day=svc.settings.due_day_for(unit.plan_id),
                tz=svc.settings.tz, baseline_years=baseline_years(plan),
            )
    if isinstance(request, Refused):
        if request.why:
            await log_refusal(svc.db, person.id, request.why)
        return request.reply
    await _log(svc, person, "stats", unit.id, covered)
    checks = check_targets(plan, target_facts(data)) if plan else []
    buttons = stats_buttons(tr, unit, covered)
    opener = dashboard_button(tr, svc.settings.webapp_url, unit.id, covered.end, "completeness")
    if opener is not None:
        buttons.insert(0, [opener])
    return Reply(render_stats(tr, data, plan, checks, asked=asked), buttons=buttons)


def target_facts(data: StatsData) -> dict[str, Facts]:
    """What the target checks need, per category: counts, reports received and expected here
    and in the years compared with."""
    earlier_year = data.period.previous_year().end.year
    earlier_reports = {
        year: (done.received, done.expected) for year, done in data.earlier_completeness.items()
    }
    done = data.completeness
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
            reports=done.received if done.expected else data.totals.reports,
            expected=done.expected,
            earlier_reports=earlier_reports,
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
    kind, unit_id, asked = parsed
    scope = scopes.scope_of(person, svc.settings.admin_ids)
    if not scope.can_read:
        await log_refusal(svc.db, person.id, "not_member")
        return refusals.refusal(tr)
    # Only months that are over: a button for months still to come is forged.
    covered = completed_part(asked, svc.clock.now().date())
    period = covered or asked
    start, end = period.start, period.end
    async with svc.db.read_session() as session:
        unit = await session.get(Unit, unit_id)
        visible = unit is not None and await scopes.can_see(session, scope, unit_id)
        if visible and covered is not None:
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
    if covered is None:
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

