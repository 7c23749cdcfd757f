"""The supervisors' dashboard (Telegram Mini App) without the web: who is asking, and each
view as plain data in their language, with the same scope, rules and access log as the chat.

Views: completeness of a month (each unit on time, late or missing, the missing first), the
trend of monthly counts with the same months a year earlier, the plan's targets 9, 11 and 13
(the rules of /stats), the units to drill into, and the /stats exports sent to the chat.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kernel.calendar import Month, Period, due_date
from kernel.clock import to_local
from kernel.counts import CATEGORIES
from kernel.i18n import Translator, normalize_locale, translator
from knowledge.render import short_name
from knowledge.target_checks import baseline_years, check_targets
from reports.months import last_complete_month
from reports.svg_chart import trend_svg
from storage import scope as scopes
from storage.access_log import log_access, log_refusal
from storage.aggregation import monthly_series
from storage.dashboard_queries import UnitCompleteness, completeness_rows
from storage.due import due_deadline
from storage.models import Person, Unit
from storage.person_cache import load_person
from storage.stats_queries import load_stats
from storage.types import as_utc
from storage.units import ancestors
from usecases.dashboard.init_data import WebAppUser
from usecases.dashboard.labels import labels
from usecases.deadlines.actions import remind_missing
from usecases.services import Services
from usecases.statistics.answers import StatsFile, callback_data, stats_file, target_facts
from usecases.statistics.targets_text import target_line

#: Months the trend shows, ending with the chosen month.
TREND_MONTHS = 12
#: Months offered in the month picker, newest first.
PICKER_MONTHS = 24
STATUS_ORDER = {"missing": 0, "late": 1, "pending": 2, "on_time": 3, "none": 4}


class Denied(Exception):
    """No data for this person here (outside their scope, or no access at all)."""


@dataclass(frozen=True)
class Viewer:
    person: Person
    scope: scopes.Scope
    tr: Translator


async def viewer_for(svc: Services, user: WebAppUser) -> Viewer:
    """The person the init data was signed for, with their scope; :class:`Denied` when they
    may read no report data (a stranger, a deactivated officer)."""
    async with svc.db.quick() as session:
        person = await load_person(session, user.telegram_id)
    if person is None:
        raise Denied
    scope = scopes.scope_of(person, svc.settings.admin_ids)
    if not scope.can_read:
        await log_refusal(svc.db, person.id, "webapp_no_access")
        raise Denied
    locale = person.language or normalize_locale(user.language_code,
                                                 svc.settings.default_language)
    return Viewer(person, scope, translator(locale))


def _last_month(svc: Services) -> Month:
    return last_complete_month(svc.clock.now().date())


def parse_month(key: str | None, svc: Services) -> Month:
    """``YYYY-MM`` within the months that are over (default: the last one)."""
    last = _last_month(svc)
    if not key:
        return last
    try:
        year, month = (int(part) for part in key.split("-"))
        chosen = Month(year, month)
    except ValueError:
        raise Denied from None
    return min(chosen, last)


async def _visible_unit(svc: Services, viewer: Viewer, unit_id: int | None) -> Unit:
    """The unit asked for (default: the viewer's own, or the first top unit for an admin
    without one), checked against the viewer's scope."""
    async with svc.db.read_session() as session:
        if unit_id is None:
            unit = await scopes.home_unit(session, viewer.scope)
        else:
            unit = await session.get(Unit, unit_id)
            if unit is not None and not await scopes.can_see(session, viewer.scope, unit.id):
                unit = None
    if unit is None:
        await log_refusal(svc.db, viewer.person.id, "webapp_out_of_scope")
        raise Denied
    return unit


async def _log(svc: Services, viewer: Viewer, action: str, unit_id: int, detail: str) -> None:
    async with svc.db.quick(write=True) as session:
        await log_access(session, viewer.person.id, action, unit_id=unit_id, detail=detail)
        await session.commit()


def _ref(unit: Any) -> dict[str, Any]:
    return {"id": unit.id, "code": unit.code, "name": unit.name, "level": unit.level}


# ---------------------------------------------------------------------------- views


async def start(svc: Services, viewer: Viewer, unit_id: int | None) -> dict[str, Any]:
    """What the page needs first: labels, the unit and the path to it, the months."""
    tr = viewer.tr
    unit = await _visible_unit(svc, viewer, unit_id)
    place = await _place(svc, viewer, unit)
    month = _last_month(svc)
    months = []
    for _ in range(PICKER_MONTHS):
        months.append({"key": month.key, "label": tr.month(month.year, month.month)})
        month = month.previous()
    can_remind = viewer.person.role in ("supervisor", "admin")
    return {"lang": tr.locale, "labels": labels(tr), "months": months, **place,
            "can_remind": can_remind}


async def units_view(svc: Services, viewer: Viewer, unit_id: int) -> dict[str, Any]:
    """The unit and the path to it within the viewer's scope."""
    return await _place(svc, viewer, await _visible_unit(svc, viewer, unit_id))


async def _place(svc: Services, viewer: Viewer, unit: Unit) -> dict[str, Any]:
    async with svc.db.read_session() as session:
        path = [u for u in await ancestors(session, unit.id)
                if await scopes.can_see(session, viewer.scope, u.id)]
    return {"unit": _ref(unit), "path": [_ref(u) for u in path if u.id != unit.id]}


def _status(row: UnitCompleteness, *, due_passed: bool) -> str:
    """missing (after the due date), pending (not sent, not due yet), late, on time."""
    if row.communes == 0:
        return "none"
    if row.missing:
        return "missing" if due_passed else "pending"
    return "late" if row.late else "on_time"


async def completeness(
    svc: Services, viewer: Viewer, unit_id: int | None, month_key: str | None
) -> dict[str, Any]:
    """Each unit below (a commune: itself) on time, late or missing for the month, the units
    with communes missing first; the counts of the whole unit at the top.

    The scope check and the reads share one short Core transaction (the page asks often)."""
    tr = viewer.tr
    if unit_id is None:
        unit_id = (await _visible_unit(svc, viewer, None)).id
    month = parse_month(month_key, svc)
    due_day = svc.settings.due_day_for(svc.unit_plans.plan_of(unit_id))
    deadline = due_deadline(month, due_day, svc.settings.tz)
    async with svc.db.quick() as session:
        visible = await scopes.can_see(session, viewer.scope, unit_id)  # type: ignore[arg-type]
        found = await completeness_rows(session, unit_id, month, deadline) if visible else None
    if found is None:
        await log_refusal(svc.db, viewer.person.id, "webapp_out_of_scope")
        raise Denied
    whole, rows = found
    await _log(svc, viewer, "webapp_completeness", unit_id, month.key)
    due = due_date(month, due_day)
    due_passed = svc.clock.now().date() > due
    status = {row.unit_id: _status(row, due_passed=due_passed) for row in rows}
    rows.sort(key=lambda r: (STATUS_ORDER[status[r.unit_id]], -r.missing, r.name, r.code))
    words = labels(tr)
    listed = [
        {
            "id": row.unit_id, "code": row.code, "name": row.name, "level": row.level,
            "status": status[row.unit_id], "status_label": words["status_" + status[row.unit_id]],
            "communes": row.communes, "on_time": row.on_time, "late": row.late,
            "missing": row.missing,
            "submitted": tr.date(to_local(as_utc(row.submitted_at)).date())
            if row.level == "commune" and row.submitted_at else None,
            "drill": row.level != "commune" and row.unit_id != unit_id,
        }
        for row in rows
    ]
    return {
        "unit": {"id": whole.unit_id, "code": whole.code, "name": whole.name,
                 "level": whole.level},
        "month": month.key, "month_label": tr.month(month.year, month.month),
        "due": tr.date(due), "due_passed": due_passed,
        "counts": {"communes": whole.communes, "on_time": whole.on_time, "late": whole.late,
                   "missing": whole.missing},
        "rows": listed,
    }


async def trend(
    svc: Services, viewer: Viewer, unit_id: int | None, month_key: str | None
) -> dict[str, Any]:
    """Monthly counts by category for the 12 months ending with the month, beside the same
    months a year earlier; months without any report are gaps, never zeros."""
    tr = viewer.tr
    unit = await _visible_unit(svc, viewer, unit_id)
    end = parse_month(month_key, svc)
    start = end
    for _ in range(TREND_MONTHS - 1):
        start = start.previous()
    async with svc.db.read_session() as session:
        now = await monthly_series(session, unit.id, start, end)
        before = await monthly_series(session, unit.id, _year_before(start), _year_before(end))
    await _log(svc, viewer, "webapp_trend", unit.id, f"{start.key}..{end.key}")
    words = labels(tr)
    series = {
        c: ([getattr(t.counts, c) if t.reports else None for _, t in now],
            [getattr(t.counts, c) if t.reports else None for _, t in before])
        for c in CATEGORIES
    }
    months = [tr.month(m.year, m.month) for m, _ in now]
    table = [
        {"month": label, "reports": t.reports,
         **{c: series[c][0][i] for c in CATEGORIES},
         **{f"{c}_before": series[c][1][i] for c in CATEGORIES}}
        for i, (label, (_, t)) in enumerate(zip(months, now, strict=True))
    ]
    charts = [
        {"category": c, "title": words[c],
         "svg": trend_svg(months, series[c][0], series[c][1], title=words[c],
                          now_label=words["this_year"], before_label=words["year_before"],
                          number=tr.number)}
        for c in CATEGORIES
    ]
    return {"unit": _ref(unit), "from": tr.month(start.year, start.month),
            "to": tr.month(end.year, end.month), "charts": charts, "table": table}


async def targets(
    svc: Services, viewer: Viewer, unit_id: int | None, month_key: str | None
) -> dict[str, Any]:
    """The plan's targets with data (9, 11, 13) for the year of the month, up to that month:
    the same figures, rules and words as /stats, with the plan's value and its section."""
    tr = viewer.tr
    unit = await _visible_unit(svc, viewer, unit_id)
    end = parse_month(month_key, svc)
    period = Period(Month(end.year, 1), end, "range")
    plan_id = svc.unit_plans.plan_of(unit.id)
    plan = svc.plans.get(plan_id or "")
    async with svc.db.read_session() as session:
        data = await load_stats(session, unit, period, due_day=svc.settings.due_day_for(plan_id),
                                tz=svc.settings.tz, baseline_years=baseline_years(plan))
    await _log(svc, viewer, "webapp_targets", unit.id, f"{period.start.key}..{period.end.key}")
    if plan is None:
        return {"unit": _ref(unit), "plan": None, "targets": [],
                "note": tr.gettext("This unit has no plan, so there are no targets to compare.")}
    by_number = {t.number: t for t in plan.targets}
    items = []
    for check in check_targets(plan, target_facts(data)):
        target = by_number.get(check.target)
        items.append({
            "number": check.target, "status": check.status.value,
            "text": target_line(tr, check).removeprefix("• "),
            "source": tr.gettext("Source: {plan}, section {section}", plan=short_name(plan),
                                 section=target.section) if target else "",
        })
    return {"unit": _ref(unit), "plan": short_name(plan),
            "period": tr.gettext("{start} to {end}", start=tr.month(period.start.year, 1),
                                 end=tr.month(end.year, end.month)),
            "targets": items}


async def remind(
    svc: Services, viewer: Viewer, unit_id: int | None, month_key: str | None
) -> dict[str, Any]:
    """The supervisor's reminder to the units below still missing the month: the chat
    button's rules and limits (working hours, once a day, reminders turned off)."""
    unit = await _visible_unit(svc, viewer, unit_id)
    month = parse_month(month_key, svc)
    reply, refusal = await remind_missing(svc, viewer.person, viewer.tr, month, unit.id)
    await _log(svc, viewer, "webapp_remind", unit.id, month.key)
    return {"ok": reply is not None, "message": reply.text if reply else (refusal or "")}


async def export(
    svc: Services, viewer: Viewer, unit_id: int | None, month_key: str | None, kind: str
) -> StatsFile | str:
    """The /stats CSV or XLSX of the unit for the year up to the month (the chat's exports,
    with their scope check and access log): the file to send to the chat, or why not."""
    if kind not in ("csv", "xlsx"):
        raise Denied
    unit = await _visible_unit(svc, viewer, unit_id)
    end = parse_month(month_key, svc)
    period = Period(Month(end.year, 1), end, "range")
    made = await stats_file(svc, viewer.person, viewer.tr, callback_data(kind, unit.id, period))
    return made if isinstance(made, StatsFile) else made.text


def _year_before(month: Month) -> Month:
    return Month(month.year - 1, month.month)

