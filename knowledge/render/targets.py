"""Targets and goals: values by year, comparisons across plans, a goal's targets."""

from __future__ import annotations

from kernel.i18n import Translator
from knowledge.qa.answer import Answer, TargetPart
from knowledge.qa.format import (
    clip,
    esc,
    indicator_label,
    is_english,
    join_years,
    short_name,
    source_line,
    target_title,
    values_text,
)
from knowledge.render.common import (
    TARGET_IN_EACH_PLAN,
    lead_line,
    objective_line,
    plan_header,
    target_block,
)


def target_value(answer: Answer, tr: Translator) -> tuple[str, list]:
    multi = len(answer.parts) > 1
    lines: list[str] = []
    for part in answer.parts:
        if multi:
            lines.append(plan_header(part.plan))
        for tp in part.targets:
            if tp.indicators:
                lines += target_block(tp, tr)
                if answer.with_lead:
                    lines.append(lead_line(tp.target, tr))
                missing = [y for y in answer.years if y not in tp.years_available]
                if missing and tp.years_available:  # "2025 và 2030" where only 2030 is set
                    lines.append(_no_value_line(tp, tuple(missing), tr))
            else:
                lines.append(_no_value_line(tp, answer.years, tr))
        if not part.targets:
            lines.append(esc(_no_target_text(answer, tr)))
        goal = next((g for g in part.plan.goals if g.number == answer.goal_number), None)
        if goal is not None:
            title = goal.title_en if is_english(tr) else goal.title
            lines.append(esc(tr.gettext("Under goal {n}: {title}", n=goal.number, title=title)))
        sections = [t.target.section for t in part.targets]
        if answer.with_lead:  # where the plan names the lead and coordinating offices
            sections += [o.section for t in part.targets
                         for o in (t.target.lead or []) + (t.target.coordinating or [])]
        lines.append(source_line(part.plan, sections, tr, short=multi))
        if multi:
            lines.append("")
    return "\n".join(lines), []


def _no_value_line(tp: TargetPart, years: tuple[int, ...], tr: Translator) -> str:
    text = tr.gettext("Target {n} sets no value for {years}; it has values for: {available}.",
                      n=tp.target.number, years=join_years(years),
                      available=join_years(tp.years_available) or "—")
    return esc(text)


def _no_target_text(answer: Answer, tr: Translator) -> str:
    numbers = ", ".join(str(n) for n in answer.target_numbers)
    return tr.gettext("This plan has no target {n}.", n=numbers)


def compare(answer: Answer, tr: Translator) -> tuple[str, list]:
    numbers = ", ".join(str(n) for n in answer.target_numbers)
    lines = [f"<b>{esc(tr.gettext(TARGET_IN_EACH_PLAN, n=numbers))}</b>"]
    if answer.years:
        lines[0] += f" ({join_years(answer.years)})"
    sources = []
    for part in answer.parts:
        lines.append(plan_header(part.plan))
        for tp in part.targets:
            if not tp.indicators:
                lines.append(_no_value_line(tp, answer.years, tr))
                continue
            for ind in tp.indicators:
                prefix = (esc(clip(indicator_label(ind, tr), 60)) + ": "
                          if len(tp.indicators) > 1 or len(part.targets) > 1 else "")
                lines.append(f"• {prefix}{values_text(ind.values, tr)}")
        sources.append(source_line(part.plan, [t.target.section for t in part.targets], tr,
                                   short=True))
    if answer.parts and answer.parts[0].targets:
        first = answer.parts[0].targets[0]
        lines.insert(1, esc(target_title(first.target, tr)))
    return "\n".join(lines + sources), []


def no_value_for_year(answer: Answer, tr: Translator) -> tuple[str, list]:
    part = answer.parts[0]
    if not part.targets:
        lines = []
        for obj in part.objectives:
            available = sorted({v.year for v in obj.values if v.year is not None})
            lines.append(esc(tr.gettext("This objective sets no value for {years}; it has values "
                                        "for: {available}.", years=join_years(answer.years),
                                        available=join_years(available) or "—")))
            lines.append(objective_line(obj, part.plan, tr, values=True))
        lines.append(source_line(part.plan, [o.section for o in part.objectives], tr))
        return "\n".join(lines), []
    tp = part.targets[0]
    lines = [_no_value_line(tp, answer.years, tr)]
    lines += target_block(tp, tr)
    lines.append(source_line(part.plan, [tp.target.section], tr))
    return "\n".join(lines), []


def no_such_target(answer: Answer, tr: Translator) -> tuple[str, list]:
    if answer.goal_number is not None and answer.parts:
        plan = answer.parts[0].plan
        goals = sorted(g.number for g in plan.goals) or sorted({t.goal for t in plan.targets})
        if not goals:
            return esc(tr.gettext("{plan} has no numbered goals.", plan=short_name(plan))), []
        text = tr.gettext("This plan has no goal {n}; its goals are {first}–{last}.",
                          n=answer.goal_number, first=goals[0], last=goals[-1])
        return esc(text), []
    numbers = ", ".join(str(n) for n in answer.target_numbers)
    if not answer.parts:
        return esc(tr.gettext("No plan has a target {n}. Targets are numbered 1–24.",
                              n=numbers)), []
    plan = answer.parts[0].plan
    if not plan.targets:
        text = tr.gettext("{plan} has no numbered targets.", plan=short_name(plan))
        return esc(text), []
    nums = sorted(t.number for t in plan.targets)
    text = tr.gettext("{plan} has no target {n}; its targets are {first}–{last}.",
                      plan=short_name(plan), n=numbers, first=nums[0], last=nums[-1])
    return esc(text), []


def goal_targets(answer: Answer, tr: Translator) -> tuple[str, list]:
    part = answer.parts[0]
    plan = part.plan
    goal = next((g for g in plan.goals if g.number == answer.goal_number), None)
    head = esc(tr.gettext("Goal {n}", n=answer.goal_number))
    title = (goal.title_en if is_english(tr) else goal.title) if goal else ""
    lines = [f"<b>{head}</b>: {esc(title)}" if title else f"<b>{head}</b>"]
    for tp in part.targets:
        lines.append(f"• {tp.target.number} — {esc(target_title(tp.target, tr))}")
    lines.append(source_line(plan, [goal.section] if goal else [], tr))
    return "\n".join(lines), []
