"""Answers by topic: objectives, criteria lists."""

from __future__ import annotations

from kernel.i18n import Translator
from knowledge.qa.answer import Answer, PlanPart
from knowledge.qa.format import (
    esc,
    is_english,
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


def _criteria_lines(group: Group, tr: Translator, only: tuple[int, ...] = ()) -> list[str]:
    head = tr.ngettext("{group}: {n} criterion", "{group}: {n} criteria", len(group.criteria),
                       group=group_label(group, tr))
    lines = [f"<b>{esc(head)}</b>"]
    lines += [esc(tr.gettext("Criterion {n}: {text}", n=i, text=c))
              for i, c in enumerate(group.criteria, 1) if not only or i in only]
    return lines


def _group_heading(group: Group, tr: Translator) -> str:
    """"Nhóm 5 · Bảo vệ và hỗ trợ trẻ em tương tác lành mạnh, …" (its title as written)."""
    title = group.title_en if is_english(tr) else group.title
    return f"<b>{esc(group_label(group, tr))}</b> · {esc(title)}"


def _topic_part(part: PlanPart, tr: Translator, multi: bool, answer: Answer) -> list[str]:
    lines = [plan_header(part.plan)] if multi else []
    sections = []
    for group in part.groups:
        if answer.about == "group":  # "nhóm 5": its title, objectives, criteria if any
            lines.append(_group_heading(group, tr))
            sections.append(group.section)
            if group.criteria and (answer.criteria or not part.objectives):
                lines += _criteria_lines(group, tr)
            continue
        lines += _criteria_lines(group, tr, answer.target_numbers if answer.criteria else ())
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
        lines += _topic_part(part, tr, multi, answer)
    buttons = plan_buttons(answer, tr) if answer.choices else []
    if buttons:
        lines.append(esc(tr.gettext("Choose your plan for a full answer:")))
    return "\n".join(lines), buttons
