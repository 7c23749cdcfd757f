"""Turn an ``Answer`` into a short HTML reply in the user's language.

Every factual reply ends with its source ("Nguồn: <plan>, mục <section>"); all data text is
HTML-escaped; numbers, units and comparators follow the locale.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from babel.dates import format_date

from kernel.i18n import N_, Translator
from kernel.reply import Button, Reply
from knowledge.qa.answer import Answer, PlanPart, TargetPart
from knowledge.qa.fit import fit
from knowledge.qa.format import (
    MAX_LABEL,
    clip,
    esc,
    indicator_label,
    is_english,
    join_sections,
    join_years,
    short_name,
    source_line,
    target_title,
    values_text,
)
from knowledge.schema import Deadline, Group, Objective, Office, Plan

MAX_OBJECTIVE = 220
MAX_OBJECTIVE_LIST = 150  # an objective among others in a topic answer
MAX_LIST_VALUES = 2  # values shown with a further objective of a topic answer
MAX_DEADLINE = 180
MAX_SHORT = 60

#: Labels used inside formatted lines (marked for extraction, translated where used).
LEAD = N_("Lead:")
COORDINATING = N_("Coordinating:")
TARGET_N = N_("Target {n}")
TARGET_IN_EACH_PLAN = N_("Target {n} in each plan")


def render_answer(answer: Answer, tr: Translator) -> Reply:
    """The reply for ``answer`` (HTML, ``Reply.html`` set)."""
    renderer = _RENDERERS.get(answer.kind, _unknown)
    text, buttons = renderer(answer, tr)
    text = text.strip()
    if answer.kind not in _ASKED_IN_FULL:
        text = fit(text, tr)
    return Reply(text, buttons, html=True)


#: Answers to questions naming their targets: every value asked for is shown.
_ASKED_IN_FULL = frozenset({"target_value", "compare", "no_value_for_year", "responsibility"})


# ---------------------------------------------------------------------- targets

def _target_block(part: TargetPart, tr: Translator, compact: bool = False) -> list[str]:
    target, shown = part.target, list(part.indicators)
    head = f"<b>{esc(tr.gettext(TARGET_N, n=target.number))}</b>"
    if len(shown) == 1:
        ind = shown[0]
        line = f"{head} · {esc(clip(indicator_label(ind, tr), MAX_LABEL))}"
        values = values_text(ind.values, tr)
        return [f"{line}: {values}"] if compact else [line, values]
    lines = [head]
    for ind in shown:
        label = esc(clip(indicator_label(ind, tr), MAX_LABEL))
        lines.append(f"• {label}: {values_text(ind.values, tr)}")
    return lines


def _plan_header(plan: Plan) -> str:
    return f"<b>{esc(short_name(plan))}</b>"


def _target_value(answer: Answer, tr: Translator) -> tuple[str, list]:
    multi = len(answer.parts) > 1
    lines: list[str] = []
    for part in answer.parts:
        if multi:
            lines.append(_plan_header(part.plan))
        for tp in part.targets:
            if tp.indicators:
                lines += _target_block(tp, tr)
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
        lines.append(source_line(part.plan, [t.target.section for t in part.targets], tr,
                                 short=multi))
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


def _compare(answer: Answer, tr: Translator) -> tuple[str, list]:
    numbers = ", ".join(str(n) for n in answer.target_numbers)
    lines = [f"<b>{esc(tr.gettext(TARGET_IN_EACH_PLAN, n=numbers))}</b>"]
    if answer.years:
        lines[0] += f" ({join_years(answer.years)})"
    sources = []
    for part in answer.parts:
        lines.append(_plan_header(part.plan))
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


def _no_value_for_year(answer: Answer, tr: Translator) -> tuple[str, list]:
    part = answer.parts[0]
    if not part.targets:
        lines = []
        for obj in part.objectives:
            available = sorted({v.year for v in obj.values if v.year is not None})
            lines.append(esc(tr.gettext("This objective sets no value for {years}; it has values "
                                        "for: {available}.", years=join_years(answer.years),
                                        available=join_years(available) or "—")))
            lines.append(_objective_line(obj, part.plan, tr, values=True))
        lines.append(source_line(part.plan, [o.section for o in part.objectives], tr))
        return "\n".join(lines), []
    tp = part.targets[0]
    lines = [_no_value_line(tp, answer.years, tr)]
    lines += _target_block(tp, tr)
    lines.append(source_line(part.plan, [tp.target.section], tr))
    return "\n".join(lines), []


def _no_such_target(answer: Answer, tr: Translator) -> tuple[str, list]:
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


# ---------------------------------------------------------------------- offices

def _office_names(offices: Iterable[Office]) -> str:
    return esc("; ".join(o.name for o in offices))


def _responsibility(answer: Answer, tr: Translator) -> tuple[str, list]:
    multi = len(answer.parts) > 1
    lines: list[str] = []
    for part in answer.parts:
        if multi:
            lines.append(_plan_header(part.plan))
        sections: list[str] = []
        for tp in part.targets:
            t = tp.target
            head = esc(tr.gettext("Target {n}", n=t.number))
            lines.append(f"<b>{head}</b> · {esc(target_title(t, tr))}")
            if t.lead is None:
                lines.append(esc(tr.gettext("The document does not state which office leads "
                                            "it.")))
            else:
                lines.append(f"{esc(tr.gettext(LEAD))} {_office_names(t.lead)}")
                sections += [o.section for o in t.lead]
            if t.coordinating:
                lines.append(f"{esc(tr.gettext(COORDINATING))} "
                             f"{_office_names(t.coordinating)}")
                sections += [o.section for o in t.coordinating]
            elif answer.coordinating:
                lines.append(esc(tr.gettext("Coordinating offices: not stated.")))
        for obj in part.objectives:
            lines.append(_objective_line(obj, part.plan, tr))
            sections.append(obj.section)
            if obj.lead:
                lines.append(f"{esc(tr.gettext(LEAD))} {_office_names(obj.lead)}")
                sections += [o.section for o in obj.lead]
            if obj.coordinating:
                lines.append(f"{esc(tr.gettext(COORDINATING))} "
                             f"{_office_names(obj.coordinating)}")
        lines.append(source_line(part.plan, sections, tr, short=multi))
    return "\n".join(lines), []


def _duty_numbers(numbers: Iterable[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def _group_label(group: Group, tr: Translator) -> str:
    return tr.gettext("Group {n}", n=group.number)


def _office_targets(answer: Answer, tr: Translator) -> tuple[str, list]:
    lines: list[str] = []
    multi = len(answer.parts) > 1
    for part in answer.parts:
        duties = part.duties
        if duties is None:
            continue
        name = duties.office.name
        if multi:
            lines.append(_plan_header(part.plan))
        if duties.led:
            lines.append(esc(tr.ngettext("{office} leads {n} target: {numbers}",
                                         "{office} leads {n} targets: {numbers}",
                                         len(duties.led), office=name,
                                         numbers=_duty_numbers(duties.led))))
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
                                        numbers=_duty_numbers(duties.coordinated))))
        if duties.groups:
            groups = ", ".join(_group_label(g, tr) for g in duties.groups)
            lines.append(esc(tr.gettext("Also leads tasks of: {groups}", groups=groups)))
        if duties.objectives:
            lines.append(esc(tr.gettext("Specific objectives it leads: {n}",
                                        n=len(duties.objectives))))
            lines += [_objective_line(o, part.plan, tr, values=True) for o in duties.objectives]
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


def _office_leads_nothing(answer: Answer, tr: Translator) -> tuple[str, list]:
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


# ---------------------------------------------------------------------- not stated

def _not_stated(answer: Answer, tr: Translator) -> tuple[str, list]:
    lines = []
    for part in answer.parts:
        plan = part.plan
        sections: list[str] = []
        numbers = ", ".join(str(t.target.number) for t in part.targets)
        if part.fact == "lead" and not part.targets:
            lines.append(esc(tr.gettext("The document does not state which office leads this "
                                        "objective.")))
            for obj in part.objectives:
                lines.append(_objective_line(obj, plan, tr))
                sections.append(obj.section)
        elif part.fact == "lead":
            lines.append(esc(tr.gettext("The document does not state which office leads target "
                                        "{n}.", n=numbers)))
            sections = [t.target.section for t in part.targets]
        elif part.fact == "coordinating":
            lines.append(esc(tr.gettext("The document does not state which offices coordinate "
                                        "target {n}.", n=numbers)))
            for tp in part.targets:
                if tp.target.lead:
                    lines.append(f"{esc(tr.gettext(LEAD))} {_office_names(tp.target.lead)}")
                    sections += [o.section for o in tp.target.lead]
        elif part.fact == "year":
            lines.append(esc(tr.gettext("The document does not state by which year target {n} "
                                        "must be reached.", n=numbers)))
            for tp in part.targets:
                lines += _target_block(tp, tr)
                sections.append(tp.target.section)
        elif part.fact == "document.number":
            lines.append(esc(tr.gettext("The document does not state its number.")))
        elif part.fact == "document.date":
            lines.append(esc(tr.gettext("The document does not state its issue date.")))
        elif part.fact == "office":
            office = part.duties.office.name if part.duties else ""
            lines.append(esc(tr.gettext("The document does not assign targets to offices, so it "
                                        "does not state which targets {office} leads.",
                                        office=office)))
        elif part.fact == "deadline":
            lines.append(esc(tr.gettext("The document does not set reporting deadlines.")))
        elif part.fact == "deadline_date":
            lines.append(esc(tr.gettext("The document does not state a date for it.")))
            lines += _deadline_lines(part, tr, compact=False)
            sections = [d.section for d in part.deadlines]
        elif part.fact == "deadline_kind":
            lines.append(esc(tr.gettext("The document does not set this kind of report or "
                                        "review. What it sets:")))
            lines += _deadline_lines(part, tr, compact=len(part.deadlines) > 3)
            sections = [d.section for d in part.deadlines]
        elif part.fact == "topic" and answer.topic:
            topic = answer.topic[1] if is_english(tr) else answer.topic[0]
            lines.append(esc(tr.gettext("{plan} sets no target or objective on “{topic}”.",
                                        plan=short_name(plan), topic=topic)))
        else:
            continue  # another plan, offered below
        lines.append(source_line(plan, sections, tr, short=len(answer.parts) > 1))
    others = [p.plan for p in answer.parts if p.fact is None]
    if others:
        names = ", ".join(short_name(p) for p in others)
        lines.append(esc(tr.gettext("Plans that do: {plans}.", plans=names)))
        buttons = [[Button(short_name(p), f"setplan:{p.id}")] for p in others]
        return "\n".join(lines), buttons
    return "\n".join(lines), []


def _document(answer: Answer, tr: Translator) -> tuple[str, list]:
    lines = []
    for part in answer.parts:
        plan = part.plan
        lines.append(_document_line(plan, tr))
        period = (str(plan.period_start) if plan.period_start == plan.period_end
                  else f"{plan.period_start}–{plan.period_end}")
        lines.append(esc(tr.gettext("Period: {period}", period=period)))
        if plan.document.basis:
            lines.append(esc(tr.gettext("Implements: {basis}",
                                        basis=clip(plan.document.basis, MAX_OBJECTIVE))))
        lines.append(source_line(plan, [], tr))
    return "\n".join(lines), []


def _document_line(plan: Plan, tr: Translator) -> str:
    doc = plan.document
    number = (tr.gettext("Number {number}", number=doc.number) if doc.number
              else tr.gettext("no number stated"))
    day = tr.date(doc.date, "short" if tr.locale == "vi" else "medium") if doc.date else ""
    issued = (tr.gettext("issued {date}", date=day) if doc.date
              else tr.gettext("no issue date stated"))
    line = f"{number}, {issued}"
    return esc(line[:1].upper() + line[1:])


# ---------------------------------------------------------------------- goals

def _goal_targets(answer: Answer, tr: Translator) -> tuple[str, list]:
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


# ---------------------------------------------------------------------- topics

def _objective_line(obj: Objective, plan: Plan, tr: Translator, values: bool = False,
                    limit: int = MAX_OBJECTIVE, all_values: bool = True) -> str:
    group = next((g for g in plan.groups if g.id == obj.group), None)
    head = _group_label(group, tr) if group else tr.gettext("Objective")
    text = clip(obj.text, limit)
    line = f"• <b>{esc(head)}</b> · {esc(text)}"
    if (values or text.endswith("…")) and obj.values:
        shown = obj.values if all_values else obj.values[:MAX_LIST_VALUES]
        more = "; …" if len(shown) < len(obj.values) else ""
        line += f" ({values_text(shown, tr)}{more})"
    return line


def _criteria_lines(group: Group, tr: Translator) -> list[str]:
    head = tr.ngettext("{group}: {n} criterion", "{group}: {n} criteria", len(group.criteria),
                       group=_group_label(group, tr))
    lines = [f"<b>{esc(head)}</b>"]
    lines += [f"{i}. {esc(c)}" for i, c in enumerate(group.criteria, 1)]
    return lines


def _topic_part(part: PlanPart, tr: Translator, multi: bool) -> list[str]:
    lines = [_plan_header(part.plan)] if multi else []
    sections = []
    for group in part.groups:
        lines += _criteria_lines(group, tr)
        sections.append(group.section)
    for tp in part.targets:
        lines += _target_block(tp, tr, compact=True) if tp.indicators else [
            f"<b>{esc(tr.gettext(TARGET_N, n=tp.target.number))}</b>"]
        sections.append(tp.target.section)
    limit = MAX_OBJECTIVE if len(part.objectives) == 1 else MAX_OBJECTIVE_LIST
    for i, obj in enumerate(part.objectives):  # the best match with all its values
        lines.append(_objective_line(obj, part.plan, tr, limit=limit, all_values=i == 0))
        sections.append(obj.section)
    lines.append(source_line(part.plan, sections, tr, short=multi))
    return lines


def _topic(answer: Answer, tr: Translator) -> tuple[str, list]:
    multi = len(answer.parts) > 1 or bool(answer.choices)
    lines: list[str] = []
    for part in answer.parts:
        lines += _topic_part(part, tr, multi)
    buttons = _plan_buttons(answer, tr) if answer.choices else []
    if buttons:
        lines.append(esc(tr.gettext("Choose your plan for a full answer:")))
    return "\n".join(lines), buttons


# ---------------------------------------------------------------------- deadlines

def _deadline_kind(d: Deadline, tr: Translator) -> str:
    return {
        "six_monthly_report": tr.gettext("Six-monthly report"),
        "annual_report": tr.gettext("Annual report"),
        "review": tr.gettext("Review"),
        "evaluation": tr.gettext("Evaluation"),
    }.get(d.kind, tr.gettext("Reporting"))


def deadline_when(d: Deadline, tr: Translator) -> str:
    if d.month and d.day:
        day = format_date(date(2000, d.month, d.day), "d MMMM", locale=tr.locale)
        when = (tr.gettext("before {date}", date=day) if d.before
                else tr.gettext("on {date}", date=day))
        if d.years:
            when += f" ({join_years(d.years)})"
        return when
    if d.month:
        month = format_date(date(2000, d.month, 1), "MMMM", locale=tr.locale)
        if d.years:
            return tr.gettext("{month} of {years}", month=month, years=join_years(d.years))
        return tr.gettext("in {month}", month=month)
    if d.years:
        return tr.gettext("in {years}", years=join_years(d.years))
    return tr.gettext("no date stated")


def _deadline_lines(part: PlanPart, tr: Translator, compact: bool) -> list[str]:
    lines = []
    shown_texts: set[str] = set()
    for d in part.deadlines:
        text = d.text_en if is_english(tr) else d.text
        head = f"• <b>{esc(_deadline_kind(d, tr))}</b> — {esc(deadline_when(d, tr))}"
        if compact and not (d.month or d.years):
            lines.append(f"{head}: {esc(clip(text, MAX_SHORT))}")
        elif compact or text in shown_texts:
            lines.append(head)
        else:
            lines.append(f"{head}: {esc(clip(text, MAX_DEADLINE))}")
            shown_texts.add(text)
    return lines


def _deadlines(answer: Answer, tr: Translator) -> tuple[str, list]:
    multi = len(answer.parts) > 1
    lines: list[str] = []
    for part in answer.parts:
        if multi:
            lines.append(_plan_header(part.plan))
        lines += _deadline_lines(part, tr, compact=multi)
        lines.append(source_line(part.plan, [d.section for d in part.deadlines], tr,
                                 short=multi))
    return "\n".join(lines), []


# ---------------------------------------------------------------------- choosing a plan

def _plan_buttons(answer: Answer, tr: Translator) -> list[list[Button]]:
    del tr
    return [[Button(short_name(p), f"setplan:{p.id}")] for p in _choice_plans(answer)]


def _choice_plans(answer: Answer) -> list[Plan]:
    plans = {p.plan.id: p.plan for p in answer.parts}
    return [plans[i] for i in answer.choices if i in plans] or list(plans.values())


def _compact_line(answer: Answer, part: PlanPart, tr: Translator) -> str:
    about = answer.about
    if about == "responsibility":
        leads = [tp.target.lead for tp in part.targets] or [o.lead for o in part.objectives]
        if not leads or any(lead is None for lead in leads):
            return esc(tr.gettext("not stated"))
        named = [f"{esc(tr.gettext(TARGET_N, n=tp.target.number))}: " for tp in part.targets]
        if len(named) < 2:
            named = [""] * len(leads)
        return "; ".join(f"{head}{_office_names(lead or [])}"
                         for head, lead in zip(named, leads, strict=True))
    if about == "goal_targets":
        return esc(tr.gettext("targets {numbers}",
                              numbers=_duty_numbers(t.target.number for t in part.targets)))
    if about == "office_targets" and part.duties:
        d = part.duties
        if d.led or not d.objectives:
            return esc(tr.gettext("{office}: targets {numbers}", office=d.office.name,
                                  numbers=_duty_numbers(d.led) or "—"))
        return esc(tr.gettext("{office}: specific objectives: {n}", office=d.office.name,
                              n=len(d.objectives)))
    if about == "document":
        return _document_line(part.plan, tr)
    if about == "overview":
        return esc(_plan_size(part.plan, tr))
    pieces = []
    for tp in part.targets:
        if not tp.indicators:
            pieces.append(esc(tr.gettext("no value for {years}", years=join_years(answer.years))))
        for ind in tp.indicators:
            pieces.append(values_text(ind.values, tr))
    return " | ".join(pieces)


def _choose_plan(answer: Answer, tr: Translator) -> tuple[str, list]:
    lines = [esc(tr.gettext("You have not chosen a plan. In each plan:"))]
    if answer.target_numbers:
        numbers = ", ".join(str(n) for n in answer.target_numbers)
        lines[0] = f"<b>{esc(tr.gettext(TARGET_N, n=numbers))}</b> — " + lines[0]
    elif answer.goal_number is not None:
        lines[0] = f"<b>{esc(tr.gettext('Goal {n}', n=answer.goal_number))}</b> — " + lines[0]
    for part in answer.parts:
        sections = [t.target.section for t in part.targets]
        where = f" <i>({esc(join_sections(sections))})</i>" if sections else ""
        lines.append(f"• {_plan_header(part.plan)}: {_compact_line(answer, part, tr)}{where}")
    lines.append(esc(tr.gettext("Choose your plan for a full answer:")))
    return "\n".join(lines), _plan_buttons(answer, tr)


# ---------------------------------------------------------------------- overview

def _plan_size(plan: Plan, tr: Translator) -> str:
    if plan.targets:
        return tr.ngettext("{n} target", "{n} targets", len(plan.targets))
    loose = [o for o in plan.objectives if not o.group]
    return tr.ngettext("{n} specific objective", "{n} specific objectives", len(loose))


def _overview(answer: Answer, tr: Translator) -> tuple[str, list]:
    multi = len(answer.parts) > 1
    lines: list[str] = []
    for part in answer.parts:
        plan = part.plan
        lines.append(f"{_plan_header(plan)}: {esc(_plan_size(plan, tr))}")
        sections = []
        for goal in plan.goals:
            numbers = [tp.target.number for tp in part.targets if tp.target.goal == goal.number]
            if not numbers:
                continue
            title = goal.title_en if is_english(tr) else goal.title
            head = tr.gettext("Goal {n}", n=goal.number)
            span = tr.gettext("targets {first}–{last}", first=min(numbers), last=max(numbers))
            lines.append(f"• <b>{esc(head)}</b> ({esc(span)}): {esc(clip(title, MAX_LABEL))}")
            sections.append(goal.section)
        if plan.groups:
            lines.append("• " + esc(tr.gettext(
                "Also {n} groups of objectives (Group 1–{n}); ask “group 3”.",
                n=len(plan.groups))))
        for obj in part.objectives:
            lines.append(f"• {esc(clip(obj.text, MAX_LABEL))}")
            sections.append(obj.section)
        lines.append(source_line(plan, sections, tr, short=multi))
    if any(p.targets for p in answer.parts):
        lines.append(esc(tr.gettext("Ask “goal 2” or “target 14” for the details.")))
    return "\n".join(lines), []


# ---------------------------------------------------------------------- help, unknown

def _examples(tr: Translator) -> list[str]:
    return [
        "• " + esc(tr.gettext("target 14 for 2025")),
        "• " + esc(tr.gettext("who is responsible for target 9?")),
        "• " + esc(tr.gettext("child marriage")),
    ]


def _help(answer: Answer, tr: Translator) -> tuple[str, list]:
    intro = [
        esc(tr.gettext("I answer questions about the Action Plans for Children: targets, "
                       "values by year, responsible offices and reporting deadlines.")),
        esc(tr.gettext("Ask, for example:")),
        *_examples(tr),
    ]
    if answer.social == "greeting":  # a short hello, not the whole manual
        lines = [esc(tr.gettext("Hello!")), *intro]
    else:
        lines = [
            *intro,
            "• " + esc(tr.gettext("which targets does the Department of Health lead?")),
            "• " + esc(tr.gettext("compare target 11")),
            "• " + esc(tr.gettext("reporting deadlines")),
        ]
    lines.append(esc(tr.gettext("Choose your plan with /plan.")))
    return "\n".join(lines), []


def _unknown(answer: Answer, tr: Translator) -> tuple[str, list]:
    if answer.years:  # "năm 2030 thì sao?": a year, but of what?
        year = answer.years[0]
        lines = [
            esc(tr.gettext("Which target do you mean for {year}? For example:", year=year)),
            "• " + esc(tr.gettext("target {n} for {year}", n=14, year=year)),
            "• " + esc(tr.gettext("child marriage in {year}", year=year)),
        ]
        return "\n".join(lines), []
    lines = [
        esc(tr.gettext("I can only answer questions about the Action Plans for Children "
                       "(targets, responsible offices, deadlines). Try:")),
        *_examples(tr),
    ]
    return "\n".join(lines), []


def _smalltalk(answer: Answer, tr: Translator) -> tuple[str, list]:
    text = {
        "thanks": tr.gettext("You're welcome! Ask again whenever you need, e.g. “{example}”.",
                             example=tr.gettext("target 14 for 2025")),
        "bye": tr.gettext("Goodbye! Come back any time."),
    }.get(answer.social or "", tr.gettext("OK! Ask me about a target, an office or a "
                                           "deadline whenever you need."))
    return esc(text), []


_RENDERERS: dict[str, Callable[[Answer, Translator], tuple[str, list]]] = {
    "target_value": _target_value,
    "responsibility": _responsibility,
    "office_targets": _office_targets,
    "office_leads_nothing": _office_leads_nothing,
    "goal_targets": _goal_targets,
    "topic": _topic,
    "compare": _compare,
    "deadlines": _deadlines,
    "document": _document,
    "choose_plan": _choose_plan,
    "no_such_target": _no_such_target,
    "no_value_for_year": _no_value_for_year,
    "not_stated": _not_stated,
    "unknown": _unknown,
    "help": _help,
    "smalltalk": _smalltalk,
    "overview": _overview,
}
