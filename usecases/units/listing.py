"""``/units`` (``/donvi``): a unit with its children and how many people each has."""

from __future__ import annotations

from kernel.i18n import Translator
from kernel.reply import Reply
from knowledge.render import short_name
from storage import scope as scopes
from storage.models import Person, Unit
from storage.stats_queries import people_counts
from storage.units import child_units, root_units
from usecases.directory import (
    MAX_LINES,
    caller_scope,
    level_label,
    more_lines,
    supervisors_only,
    unit_text,
    unknown_unit,
)
from usecases.services import Services


async def units_reply(svc: Services, person: Person, tr: Translator, args: str) -> Reply:
    """A unit with its children and how many people each has (admins and supervisors)."""
    scope = caller_scope(svc, person)
    if not (scope.is_admin or scope.is_supervisor):
        return supervisors_only(tr)
    code = args.strip().split()[0] if args.strip() else ""
    async with svc.db.read_session() as session:
        if code:
            unit = await scopes.visible_unit(session, scope, code)
            if unit is None:
                return unknown_unit(tr, code)
        else:
            unit = await session.get(Unit, scope.unit_id) if scope.unit_id else None
        if unit is None:  # an admin without a unit: the top of the tree
            roots = list(await root_units(session))
            if not roots:
                return Reply(tr.gettext("No units yet. Import them with: "
                                        "python -m bot units import FILE.csv"))
            counts = await people_counts(session, [u.id for u in roots])
            lines = [tr.gettext("Top-level units:")]
            lines += [_unit_line(tr, u, counts[u.id]) for u in roots[:MAX_LINES]]
            lines += more_lines(tr, MAX_LINES, len(roots))
            lines.append(tr.gettext("Send /units CODE to see the units below one."))
            return Reply("\n".join(lines))
        children = list(await child_units(session, unit.id))
        counts = await people_counts(session, [unit.id] + [c.id for c in children])
    head = f"🏛 {unit_text(unit)} — {level_label(tr, unit.level)} · " + tr.gettext(
        "people: {n}", n=tr.number(counts[unit.id])
    )
    lines = [head]
    if unit.plan_id:
        plan = svc.plans.get(unit.plan_id)
        name = short_name(plan) if plan else unit.plan_id
        lines.append(tr.gettext("Plan: {plan}", plan=name))
    if not unit.active:
        lines.append(tr.gettext("This unit is inactive."))
    if children:
        lines.append(tr.gettext("Units below:"))
        lines += [_unit_line(tr, c, counts[c.id]) for c in children[:MAX_LINES]]
        lines += more_lines(tr, MAX_LINES, len(children))
    else:
        lines.append(tr.gettext("No units below this one."))
    return Reply("\n".join(lines))


def _unit_line(tr: Translator, unit: Unit, count: int) -> str:
    line = f"• {unit_text(unit)} — {level_label(tr, unit.level)} · " + tr.gettext(
        "people: {n}", n=tr.number(count)
    )
    return line if unit.active else line + " " + tr.gettext("(inactive)")
