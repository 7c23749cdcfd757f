"""Offices: who leads or coordinates a target, what an office leads."""

from __future__ import annotations

import re

from kernel.i18n import Translator
from knowledge.normalize import fold
from knowledge.qa.answer import Answer
from knowledge.qa.format import (
    clip,
    esc,
    join_sections,
    source_line,
    target_title,
)
from knowledge.render.common import (
    COORDINATING,
    LEAD,
    MAX_SHORT,
    duty_numbers,
    group_label,
    objective_line,
    office_names,
    plan_header,
)
from knowledge.schema import Duty, Plan
from knowledge.sections import quote


def _assigned(duty: Duty, focus: tuple[str, ...]) -> str:
    """A duty the plan assigns to a lead office: "• Office: “…” (section)"."""
    return (f"• <b>{esc(duty.office)}</b>: “{esc(quote(duty.text, MAX_ASSIGNMENT, focus))}” "
            f"<i>({esc(duty.section)})</i>")


def responsibility(answer: Answer, tr: Translator) -> tuple[str, list]:
    multi = len(answer.parts) > 1
    lines: list[str] = []
    for part in answer.parts:
        if multi:
            lines.append(plan_header(part.plan))
        sections: list[str] = []
        for tp in part.targets:
            t = tp.target
            head = esc(tr.gettext("Target {n}", n=t.number))
            lines.append(f"<b>{head}</b> · {esc(target_title(t, tr))}")
            if t.lead is None:
                lines.append(esc(tr.gettext("The document does not state which office leads "
                                            "it.")))
            else:
                lines.append(f"{esc(tr.gettext(LEAD))} {office_names(t.lead)}")
                sections += [o.section for o in t.lead]
                numbered = (str(t.number), "chi_tieu", "tieu")
                leads = {o.name for o in t.lead}
                mine = [d for d in part.assigned if d.office in leads and (
                    _names(d, t.number) or not _names_any(d))]
                for duty in mine[:MAX_ASSIGNING + 1]:
                    focus = numbered if _names(duty, t.number) else (answer.focus or ())
                    lines.append(_assigned(duty, focus))
                    sections.append(duty.section)
            if t.coordinating:
                lines.append(f"{esc(tr.gettext(COORDINATING))} "
                             f"{office_names(t.coordinating)}")
                sections += [o.section for o in t.coordinating]
            elif answer.coordinating:
                lines.append(esc(tr.gettext("Coordinating offices: not stated.")))
        for obj in part.objectives:
            lines.append(objective_line(obj, part.plan, tr))
            sections.append(obj.section)
            if obj.lead:
                lines.append(f"{esc(tr.gettext(LEAD))} {office_names(obj.lead)}")
                sections += [o.section for o in obj.lead]
                names = {o.name for o in obj.lead}
                for duty in [d for d in part.assigned if d.office in names][:MAX_ASSIGNING]:
                    lines.append(_assigned(duty, answer.focus or ()))
                    sections.append(duty.section)
            if obj.coordinating:
                lines.append(f"{esc(tr.gettext(COORDINATING))} "
                             f"{office_names(obj.coordinating)}")
        lines.append(source_line(part.plan, sections, tr, short=multi))
    return "\n".join(lines), []






MAX_ASSIGNING = 2  # sentences shown that assign a target to its lead offices
MAX_ASSIGNMENT = 320


def _names(duty: Duty, number: int) -> bool:
    """The duty names target ``number`` (the engine attached the ones that do)."""
    return "chi tieu" in fold(duty.text) and str(number) in fold(duty.text).split()


def _names_any(duty: Duty) -> bool:
    """The duty assigns numbered targets ("thực hiện các chỉ tiêu 3, 4, 5, 6")."""
    return re.search(r"chi tieu \d", fold(duty.text)) is not None


def office_targets(answer: Answer, tr: Translator) -> tuple[str, list]:
    lines: list[str] = []
    multi = len(answer.parts) > 1
    for part in answer.parts:
        duties = part.duties
        if duties is None:
            continue
        name = duties.office.name
        if multi:
            lines.append(plan_header(part.plan))
        if duties.led:
            lines.append(esc(tr.ngettext("{office} leads {n} target: {numbers}",
                                         "{office} leads {n} targets: {numbers}",
                                         len(duties.led), office=name,
                                         numbers=duty_numbers(duties.led))))
        elif part.plan.targets:
            lines.append(esc(tr.gettext("{office} leads no numbered target.", office=name)))
        else:
            lines.append(f"<b>{esc(name)}</b>")
        for n in duties.led:
            target = part.plan.target(n)
            if target is not None:
                lines.append(f"• {n} — {esc(clip(target_title(target, tr), MAX_SHORT))}")
        if duties.coordinated:
            lines.append(esc(tr.gettext("Coordinates: target {numbers}",
                                        numbers=duty_numbers(duties.coordinated))))
        if duties.groups:
            groups = ", ".join(group_label(g, tr) for g in duties.groups)
            lines.append(esc(tr.gettext("Also leads tasks of: {groups}", groups=groups)))
        if duties.objectives:
            lines.append(esc(tr.gettext("Specific objectives it leads: {n}",
                                        n=len(duties.objectives))))
            lines += [objective_line(o, part.plan, tr, values=True) for o in duties.objectives]
        sections = _office_sections(part.plan, name)
        lines.append(source_line(part.plan, sections, tr, short=multi))
    if any(p.duties and p.duties.led for p in answer.parts):
        lines.append(esc(tr.gettext("Ask “target 9” for the details of a target.")))
    return "\n".join(lines), []


def _office_sections(plan: Plan, name: str) -> list[str]:
    """Where the plan names the office: its leads and coordination, else its own paragraph."""
    out = []
    for item in [*plan.targets, *plan.objectives]:
        for o in [*(item.lead or []), *(item.coordinating or [])]:
            if o.name == name:
                out.append(o.section)
    listed = [o.section for o in plan.offices if o.name == name]
    return list(dict.fromkeys(out or listed))[:4]


def _office_paragraphs(plan: Plan, name: str) -> list[str]:
    """The office's own paragraphs first, then where it coordinates."""
    listed = [o.section for o in plan.offices if o.name == name]
    return list(dict.fromkeys(listed + _office_sections(plan, name)))[:4]


def office_leads_nothing(answer: Answer, tr: Translator) -> tuple[str, list]:
    lines = []
    for part in answer.parts:
        duties = part.duties
        if duties is None:
            continue
        name = duties.office.name
        if duties.in_plan:
            text = (tr.gettext("{office} does not lead any target in this plan.", office=name)
                    if part.plan.targets else
                    tr.gettext("{office} does not lead any specific objective of this plan.",
                               office=name))
            lines.append(esc(text))
            sections = _office_paragraphs(part.plan, name)
            if sections:
                lines.append(esc(tr.gettext("The plan names it in section {section}.",
                                            section=join_sections(sections))))
        else:
            lines.append(esc(tr.gettext("This plan does not name {office}.", office=name)))
            sections = []
        lines.append(source_line(part.plan, sections, tr))
    return "\n".join(lines), []
