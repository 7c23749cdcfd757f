"""Facts a document does not state, and the document itself (number, date)."""

from __future__ import annotations

from kernel.i18n import Translator
from kernel.reply import Button
from knowledge.qa.answer import Answer
from knowledge.qa.format import (
    clip,
    esc,
    is_english,
    short_name,
    source_line,
)
from knowledge.render.common import (
    LEAD,
    MAX_OBJECTIVE,
    deadline_lines,
    document_line,
    objective_line,
    office_names,
    target_block,
)


def not_stated(answer: Answer, tr: Translator) -> tuple[str, list]:
    lines = []
    for part in answer.parts:
        plan = part.plan
        sections: list[str] = []
        numbers = ", ".join(str(t.target.number) for t in part.targets)
        if part.fact == "lead" and not part.targets:
            lines.append(esc(tr.gettext("The document does not state which office leads this "
                                        "objective.")))
            for obj in part.objectives:
                lines.append(objective_line(obj, plan, tr))
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
                    lines.append(f"{esc(tr.gettext(LEAD))} {office_names(tp.target.lead)}")
                    sections += [o.section for o in tp.target.lead]
        elif part.fact == "year":
            lines.append(esc(tr.gettext("The document does not state by which year target {n} "
                                        "must be reached.", n=numbers)))
            for tp in part.targets:
                lines += target_block(tp, tr)
                sections.append(tp.target.section)
        elif part.fact == "document.number":
            lines.append(esc(tr.gettext("The document does not state its number.")))
        elif part.fact == "document.date":
            lines.append(esc(tr.gettext("The document does not state its issue date.")))
        elif part.fact == "document.signer":
            lines.append(esc(tr.gettext("The text has no signature: it does not show who "
                                        "signed it.")))
        elif part.fact == "office":
            office = part.duties.office.name if part.duties else ""
            lines.append(esc(tr.gettext("The document does not assign targets to offices, so it "
                                        "does not state which targets {office} leads.",
                                        office=office)))
        elif part.fact == "deadline":
            lines.append(esc(tr.gettext("The document does not set reporting deadlines.")))
        elif part.fact == "deadline_date":
            lines.append(esc(tr.gettext("The document does not state a date for it.")))
            lines += deadline_lines(part, tr, compact=False)
            sections = [d.section for d in part.deadlines]
        elif part.fact == "deadline_kind":
            lines.append(esc(tr.gettext("The document does not set this kind of report or "
                                        "review. What it sets:")))
            lines += deadline_lines(part, tr, compact=len(part.deadlines) > 3)
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


def document(answer: Answer, tr: Translator) -> tuple[str, list]:
    lines = []
    for part in answer.parts:
        plan = part.plan
        lines.append(document_line(plan, tr))
        period = (str(plan.period_start) if plan.period_start == plan.period_end
                  else f"{plan.period_start}–{plan.period_end}")
        lines.append(esc(tr.gettext("Period: {period}", period=period)))
        if plan.document.basis:
            lines.append(esc(tr.gettext("Implements: {basis}",
                                        basis=clip(plan.document.basis, MAX_OBJECTIVE))))
        if plan.document.signer:
            lines.append(esc(tr.gettext("Signed by: {title} {name}",
                                        title=plan.document.signer_title or "",
                                        name=plan.document.signer)))
        lines.append(source_line(plan, [], tr))
    return "\n".join(lines), []


