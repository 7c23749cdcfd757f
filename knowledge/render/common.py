"""What the renderers share: length limits, labels used inside formatted lines, and the
building blocks of several answers (a plan's header, a target's block, an objective's line,
office names, deadline lines, plan buttons)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from babel.dates import format_date

from kernel.i18n import N_, Translator
from kernel.reply import Button
from knowledge.qa.answer import Answer, PlanPart, TargetPart
from knowledge.qa.format import (
    MAX_LABEL,
    clip,
    esc,
    indicator_label,
    is_english,
    join_years,
    short_name,
    values_text,
)
from knowledge.schema import Deadline, Group, Objective, Office, Plan, Target
from knowledge.sections import quote

MAX_OBJECTIVE = 220
MAX_OBJECTIVE_LIST = 150  # an objective among others in a topic answer
MAX_LIST_VALUES = 2  # values shown with a further objective of a topic answer
MAX_DEADLINE = 200
MAX_SHORT = 60

#: Labels used inside formatted lines (marked for extraction, translated where used).
LEAD = N_("Lead:")
COORDINATING = N_("Coordinating:")
TARGET_N = N_("Target {n}")
TARGET_IN_EACH_PLAN = N_("Target {n} in each plan")


def plan_header(plan: Plan) -> str:
    return f"<b>{esc(short_name(plan))}</b>"


def target_block(part: TargetPart, tr: Translator, compact: bool = False) -> list[str]:
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


def objective_line(obj: Objective, plan: Plan, tr: Translator, values: bool = False,
                    limit: int = MAX_OBJECTIVE, all_values: bool = True) -> str:
    group = next((g for g in plan.groups if g.id == obj.group), None)
    head = group_label(group, tr) if group else tr.gettext("Objective")
    text = clip(obj.text, limit)
    line = f"• <b>{esc(head)}</b> · {esc(text)}"
    if (values or text.endswith("…")) and obj.values:
        shown = obj.values if all_values else obj.values[:MAX_LIST_VALUES]
        more = "; …" if len(shown) < len(obj.values) else ""
        line += f" ({values_text(shown, tr)}{more})"
    return line


def office_names(offices: Iterable[Office]) -> str:
    return esc("; ".join(o.name for o in offices))


def group_label(group: Group, tr: Translator) -> str:
    return tr.gettext("Group {n}", n=group.number)


def lead_line(target: Target, tr: Translator) -> str:
    """"Chủ trì: Sở Y tế" (or that the document does not say)."""
    if target.lead is None:
        return esc(tr.gettext("The document does not state which office leads it."))
    line = f"{esc(tr.gettext(LEAD))} {office_names(target.lead)}"
    if target.coordinating:
        line += f"; {esc(tr.gettext(COORDINATING))} {office_names(target.coordinating)}"
    return line


def duty_numbers(numbers: Iterable[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def plan_buttons(answer: Answer, tr: Translator) -> list[list[Button]]:
    del tr
    return [[Button(short_name(p), f"setplan:{p.id}")] for p in choice_plans(answer)]


def document_line(plan: Plan, tr: Translator) -> str:
    doc = plan.document
    number = (tr.gettext("Number {number}", number=doc.number) if doc.number
              else tr.gettext("no number stated"))
    day = tr.date(doc.date, "short" if tr.locale == "vi" else "medium") if doc.date else ""
    issued = (tr.gettext("issued {date}", date=day) if doc.date
              else tr.gettext("no issue date stated"))
    line = f"{number}, {issued}"
    return esc(line[:1].upper() + line[1:])


def deadline_lines(part: PlanPart, tr: Translator, compact: bool,
                   focus: tuple[str, ...] = ()) -> list[str]:
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
            said = quote(text, MAX_DEADLINE, () if is_english(tr) else focus)
            who = f" <i>({esc(_who_to_whom(d, tr))})</i>" if d.reporter or d.recipient else ""
            lines.append(f"{head}: {esc(said)}{who}")
            shown_texts.add(text)
    return lines


def _who_to_whom(d: Deadline, tr: Translator) -> str:
    """"Các phường, xã → UBND thành phố": who reports to whom, as the plan names them."""
    if d.reporter and d.recipient:
        return tr.gettext("{reporter} → {recipient}", reporter=d.reporter,
                          recipient=d.recipient)
    if d.recipient:
        return tr.gettext("Sent to: {recipient}", recipient=d.recipient)
    return tr.gettext("By: {reporter}", reporter=d.reporter)


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


def choice_plans(answer: Answer) -> list[Plan]:
    plans = {p.plan.id: p.plan for p in answer.parts}
    return [plans[i] for i in answer.choices if i in plans] or list(plans.values())
