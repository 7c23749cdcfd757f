"""Answers by topic: objectives, criteria lists."""

from __future__ import annotations

from kernel.i18n import Translator
from knowledge.qa.answer import Answer, PlanPart
from knowledge.qa.format import (
    esc,
    source_line,
)
from knowledge.render.common import (
    MAX_OBJECTIVE,
    MAX_OBJECTIVE_LIST,
    TARGET_N,
    group_label,
    objective_line,
    plan_buttons,
    plan_header,
    target_block,
)
from knowledge.schema import Group


def _criteria_lines(group: Group, tr: Translator) -> list[str]:
    head = tr.ngettext("{group}: {n} criterion", "{group}: {n} criteria", len(group.criteria),
                       group=group_label(group, tr))
    lines = [f"<b>{esc(head)}</b>"]
    lines += [f"{i}. {esc(c)}" for i, c in enumerate(group.criteria, 1)]
    return lines


def _topic_part(part: PlanPart, tr: Translator, multi: bool) -> list[str]:
    lines = [plan_header(part.plan)] if multi else []
    sections = []
    for group in part.groups:
        lines += _criteria_lines(group, tr)
        sections.append(group.section)
    for tp in part.targets:
        lines += target_block(tp, tr, compact=True) if tp.indicators else [
            f"<b>{esc(tr.gettext(TARGET_N, n=tp.target.number))}</b>"]
        sections.append(tp.target.section)
    limit = MAX_OBJECTIVE if len(part.objectives) == 1 else MAX_OBJECTIVE_LIST
    for i, obj in enumerate(part.objectives):  # the best match with all its values
        lines.append(objective_line(obj, part.plan, tr, limit=limit, all_values=i == 0))
        sections.append(obj.section)
    lines.append(source_line(part.plan, sections, tr, short=multi))
    return lines


def topic(answer: Answer, tr: Translator) -> tuple[str, list]:
    multi = len(answer.parts) > 1 or bool(answer.choices)
    lines: list[str] = []
    for part in answer.parts:
        lines += _topic_part(part, tr, multi)
    buttons = plan_buttons(answer, tr) if answer.choices else []
    if buttons:
        lines.append(esc(tr.gettext("Choose your plan for a full answer:")))
    return "\n".join(lines), buttons
