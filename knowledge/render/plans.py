"""Choosing a plan (a compact line per plan, buttons) and the overview of a plan."""

from __future__ import annotations

from kernel.i18n import Translator
from knowledge.qa.answer import Answer, PlanPart
from knowledge.qa.format import (
    MAX_LABEL,
    clip,
    esc,
    is_english,
    join_sections,
    join_years,
    source_line,
    values_text,
)
from knowledge.render.common import (
    TARGET_N,
    document_line,
    duty_numbers,
    office_names,
    plan_buttons,
    plan_header,
)
from knowledge.render.passages import funding_compact
from knowledge.schema import Plan

#: One plan's objectives are listed whole (up to this many characters each).
MAX_FULL_LABEL = 400


def _compact_line(answer: Answer, part: PlanPart, tr: Translator) -> str:
    about = answer.about
    if about == "responsibility":
        leads = [tp.target.lead for tp in part.targets] or [o.lead for o in part.objectives]
        if not leads or any(lead is None for lead in leads):
            return esc(tr.gettext("not stated"))
        named = [f"{esc(tr.gettext(TARGET_N, n=tp.target.number))}: " for tp in part.targets]
        if len(named) < 2:
            named = [""] * len(leads)
        return "; ".join(f"{head}{office_names(lead or [])}"
                         for head, lead in zip(named, leads, strict=True))
    if about == "goal_targets":
        return esc(tr.gettext("targets {numbers}",
                              numbers=duty_numbers(t.target.number for t in part.targets)))
    if about == "office_targets" and part.duties:
        d = part.duties
        if d.led or not d.objectives:
            return esc(tr.gettext("{office}: targets {numbers}", office=d.office.name,
                                  numbers=duty_numbers(d.led) or "—"))
        return esc(tr.gettext("{office}: specific objectives: {n}", office=d.office.name,
                              n=len(d.objectives)))
    if about == "office_duties" and part.assigned:
        sections = join_sections(d.section for d in part.assigned)
        return esc(tr.ngettext("{office}: {n} duty ({sections})",
                               "{office}: {n} duties ({sections})", len(part.assigned),
                               office=part.assigned[0].office, sections=clip(sections, 40)))
    if about == "funding":
        return funding_compact(part, tr)
    if about == "document":
        return document_line(part.plan, tr)
    if about == "overview":
        return esc(_plan_size(part.plan, tr))
    pieces = []
    for tp in part.targets:
        if not tp.indicators:
            pieces.append(esc(tr.gettext("no value for {years}", years=join_years(answer.years))))
        for ind in tp.indicators:
            pieces.append(values_text(ind.values, tr))
    return " | ".join(pieces)


def choose_plan(answer: Answer, tr: Translator) -> tuple[str, list]:
    lines = [esc(tr.gettext("You have not chosen a plan. In each plan:"))]
    if answer.target_numbers:
        numbers = ", ".join(str(n) for n in answer.target_numbers)
        lines[0] = f"<b>{esc(tr.gettext(TARGET_N, n=numbers))}</b> — " + lines[0]
    elif answer.goal_number is not None:
        lines[0] = f"<b>{esc(tr.gettext('Goal {n}', n=answer.goal_number))}</b> — " + lines[0]
    for part in answer.parts:
        sections = [t.target.section for t in part.targets]
        where = f" <i>({esc(join_sections(sections))})</i>" if sections else ""
        lines.append(f"• {plan_header(part.plan)}: {_compact_line(answer, part, tr)}{where}")
    lines.append(esc(tr.gettext("Choose your plan for a full answer:")))
    return "\n".join(lines), plan_buttons(answer, tr)


def _plan_size(plan: Plan, tr: Translator) -> str:
    if plan.targets:
        return tr.ngettext("{n} target", "{n} targets", len(plan.targets))
    loose = [o for o in plan.objectives if not o.group]
    return tr.ngettext("{n} specific objective", "{n} specific objectives", len(loose))


def overview(answer: Answer, tr: Translator) -> tuple[str, list]:
    multi = len(answer.parts) > 1
    lines: list[str] = []
    label = MAX_LABEL if multi else MAX_FULL_LABEL
    for part in answer.parts:
        plan = part.plan
        lines.append(f"{plan_header(plan)}: {esc(_plan_size(plan, tr))}")
        sections = []
        for goal in plan.goals if answer.about != "groups" else ():
            numbers = [tp.target.number for tp in part.targets if tp.target.goal == goal.number]
            if not numbers:
                continue
            title = goal.title_en if is_english(tr) else goal.title
            head = tr.gettext("Goal {n}", n=goal.number)
            span = tr.gettext("targets {first}–{last}", first=min(numbers), last=max(numbers))
            lines.append(f"• <b>{esc(head)}</b>: {esc(title)} ({esc(span)})")
            sections.append(goal.section)
        if plan.groups:
            lines.append(esc(tr.ngettext("And {n} group of objectives:",
                                         "And {n} groups of objectives:", len(plan.groups))))
            for group in plan.groups:
                title = group.title_en if is_english(tr) else group.title
                head = tr.gettext("Group {n}", n=group.number)
                lines.append(f"• <b>{esc(head)}</b>. {esc(clip(title, MAX_LABEL))}")
                sections.append(group.section)
        for obj in part.objectives:  # one plan: in full
            lines.append(f"• {esc(clip(obj.text, label))}")
            sections.append(obj.section)
        lines.append(source_line(plan, sections, tr, short=multi))
    if any(p.targets for p in answer.parts):
        lines.append(esc(tr.gettext("Ask “goal 2” or “target 14” for the details.")))
    return "\n".join(lines), []
