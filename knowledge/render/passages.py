"""What the plans say in their own words: passages quoted at sentence ends, an office's duties,
who is assigned a task, the funding, numbers no plan can mean."""

from __future__ import annotations

import re

from kernel.i18n import Translator
from knowledge.normalize import fold
from knowledge.qa.answer import Answer, PlanPart
from knowledge.qa.format import esc, source_line
from knowledge.qa.numbers import OddNumber
from knowledge.qa.passages import PassageHit
from knowledge.render.common import duty_numbers, plan_buttons, plan_header
from knowledge.schema import Clause, Duty, Plan
from knowledge.sections import Section, quote

#: Characters of a quoted passage (cut at a sentence end), of a duty in a list.
MAX_QUOTE = 300
MAX_QUOTE_ALONE = 900  # one duty or passage alone: quoted nearly whole
MAX_QUOTE_PAIR = 600  # each of two
MAX_DUTY = 170
MAX_DUTIES = 6  # duties an office is assigned, shown before "and N more"
MAX_COORDINATING = 3
FEW_DUTIES = 4  # this few duties (or passages) are quoted at MAX_QUOTE
SHORT_TITLE = 6  # a section title this short ("Mục đích") heads its passages


def cite(section: str, point: int, tr: Translator) -> str:
    """"V.7, ý 2" / "V.7, point 2"; a section's own line is just "V.7"."""
    if point <= 0:
        return section
    return tr.gettext("{section}, point {point}", section=section, point=point)


def _quoted(text: str, limit: int, focus: tuple[str, ...] = ()) -> str:
    return f"“{esc(quote(text, limit, focus))}”"


#: "có hiệu lực (thi hành) kể từ ngày ký": in force from the day it was signed.
_FROM_SIGNING = re.compile(r"\bhieu luc (?:thi hanh )?(?:ke )?tu ngay ky\b")


def quote_limit(count: int) -> int:
    """How long each of ``count`` quotes may be: nearly whole when alone, short in a list."""
    if count <= 1:
        return MAX_QUOTE_ALONE
    if count == 2:
        return MAX_QUOTE_PAIR
    return MAX_QUOTE if count <= FEW_DUTIES else MAX_DUTY


def _passage_line(hit: PassageHit, tr: Translator, limit: int = MAX_QUOTE,
                  focus: tuple[str, ...] = (), plan: Plan | None = None) -> str:
    """A quoted passage and where it is; with ``plan``, the office it is a duty of."""
    where = esc(cite(hit.passage.section, hit.passage.point, tr))
    office = _assigned_to(plan, hit.passage.section, hit.passage.text) if plan else ""
    return f"• {office}{_quoted(hit.passage.text, limit, focus)} <i>({where})</i>"


def _section_lines(section: Section, focus: tuple[str, ...]) -> list[str]:
    """A section named by its heading: its items (numbered) or its passages, quoted."""
    del focus  # a section asked by its heading is quoted from its start
    lines = [f"<b>{esc(f'{section.label} {section.title}'.strip())}</b>"]
    limit = MAX_QUOTE if len(section.passages) <= FEW_DUTIES else MAX_DUTY
    if section.passages:
        lines += [f"• {_quoted(p.text, limit)}" for p in section.passages]
    for child in section.children:
        if child.passages and (len(child.title.split()) <= SHORT_TITLE or not child.title):
            if child.title:
                lines.append(f"<b>{esc(child.label)} {esc(child.title)}</b>")
            lines += [f"• {_quoted(p.text, MAX_DUTY)}" for p in child.passages[:4]]
        else:
            lines.append(f"• {esc(child.label)} {esc(quote(child.heading(), MAX_DUTY))}")
    return lines


def passages(answer: Answer, tr: Translator) -> tuple[str, list]:
    """The passages that answer, quoted, each with its section; the plan and sections last."""
    multi = len(answer.parts) > 1
    lines: list[str] = []
    for part in answer.parts:
        if multi:
            lines.append(plan_header(part.plan))
        for section in part.sections:
            lines += _section_lines(section, answer.focus or ())
        limit = MAX_DUTY if multi else quote_limit(len(part.passages))
        lines += [_passage_line(h, tr, limit, answer.focus or ()) for h in part.passages]
        issued = part.plan.document.date
        if issued and any(_FROM_SIGNING.search(fold(h.passage.text)) for h in part.passages):
            lines.append(esc(tr.gettext("Signed (issued) on {date}.", date=tr.date(issued))))
        sections = [s.id for s in part.sections] + [h.passage.section for h in part.passages]
        lines.append(source_line(part.plan, sections, tr, short=multi))
    buttons = plan_buttons(answer, tr) if answer.choices else []
    if buttons:
        lines.append(esc(tr.gettext("Choose your plan for a full answer:")))
    return "\n".join(lines), buttons


def _duty_line(duty: Duty, tr: Translator, limit: int = MAX_DUTY,
               focus: tuple[str, ...] = ()) -> str:
    return f"• {_quoted(_after_office(duty), limit, focus)} <i>({esc(duty.section)})</i>"


def _after_office(duty: Duty) -> str:
    """A duty without the list of offices it starts with ("Phòng LĐTBXH, Phòng Y tế, …:
    Theo nhiệm vụ được giao" → "Theo nhiệm vụ được giao")."""
    head, colon, tail = duty.text.partition(": ")
    if colon and tail and fold(duty.office) in fold(head) and len(head) > len(duty.office) + 20:
        return tail
    return duty.text


def office_duties(answer: Answer, tr: Translator) -> tuple[str, list]:
    """An office's duties: the targets it leads, what it is assigned, where it takes part.
    For a group's leads (``about`` task_lead): each office with its assignment."""
    if answer.about == "task_lead":
        return _group_leads(answer, tr)
    multi = len(answer.parts) > 1
    lines: list[str] = []
    for part in answer.parts:
        if not part.assigned:
            continue
        office = part.assigned[0].office
        head = f"<b>{esc(office)}</b>"
        if multi:
            head = f"{plan_header(part.plan)} · {head}"
        lines.append(head)
        led = part.duties.led if part.duties else ()
        if led:
            lines.append(esc(tr.ngettext("Leads target {numbers}.", "Leads targets {numbers}.",
                                         len(led), numbers=duty_numbers(led))))
        own = [d for d in part.assigned if d.role == "lead"]
        taking_part = [d for d in part.assigned if d.role == "coordinate"]
        count = len(own) + len(taking_part)
        limit = quote_limit(count)
        if own:
            lines.append(esc(tr.gettext("Assigned:")))
            lines += [_duty_line(d, tr, limit, answer.focus or ()) for d in own[:MAX_DUTIES]]
        if taking_part:
            lines.append(esc(tr.gettext("Takes part (coordinates):")))
            lines += [_duty_line(d, tr, limit, answer.focus or ())
                      for d in taking_part[:MAX_COORDINATING]]
        more = max(0, len(own) - MAX_DUTIES) + max(0, len(taking_part) - MAX_COORDINATING)
        if more:
            lines.append("<i>" + esc(tr.ngettext(
                "…and {n} more duty: ask about a topic, e.g. “{office} drowning”.",
                "…and {n} more duties: ask about a topic, e.g. “{office} drowning”.",
                more, office=office)) + "</i>")
        shown = own[:MAX_DUTIES] + taking_part[:MAX_COORDINATING]
        lines.append(source_line(part.plan, [d.section for d in shown], tr, short=multi))
    return "\n".join(lines), []


def _group_leads(answer: Answer, tr: Translator) -> tuple[str, list]:
    lines: list[str] = []
    for part in answer.parts:
        for group in part.groups:
            title = group.title_en if tr.locale != "vi" else group.title
            lines.append(f"<b>{esc(tr.gettext('Group {n}', n=group.number))}</b> · "
                         f"{esc(title)}")
        for duty in part.assigned:
            lines.append(f"• <b>{esc(duty.office)}</b>: "
                         f"{_quoted(_after_office(duty), MAX_DUTY, answer.focus or ())} "
                         f"<i>({esc(duty.section)})</i>")
        lines.append(source_line(part.plan, [d.section for d in part.assigned], tr))
    return "\n".join(lines), []


def task_lead(answer: Answer, tr: Translator) -> tuple[str, list]:
    """Who is assigned the task the question names, with the passage that says so."""
    multi = len(answer.parts) > 1
    lines: list[str] = []
    for part in answer.parts:
        if multi:
            lines.append(plan_header(part.plan))
        sections = []
        for hit in part.passages:
            here = [d for d in part.assigned if d.section == hit.passage.section
                    and (d.text in hit.passage.text or hit.passage.text in d.text)]
            leads = list(dict.fromkeys(d.office for d in here if d.role == "lead"))
            partners = list(dict.fromkeys(d.office for d in here if d.role == "coordinate"
                                          and d.office not in leads))
            if leads:
                lines.append(f"{esc(tr.gettext('Lead:'))} <b>{esc('; '.join(leads))}</b>")
            if partners:
                lines.append(f"{esc(tr.gettext('Coordinating:'))} {esc('; '.join(partners))}")
            limit = MAX_DUTY if multi else MAX_QUOTE
            lines.append(_passage_line(hit, tr, limit, answer.focus or ()))
            sections.append(hit.passage.section)
        lines.append(source_line(part.plan, sections, tr, short=multi))
    buttons = plan_buttons(answer, tr) if answer.choices and multi else []
    if buttons:
        lines.append(esc(tr.gettext("Choose your plan for a full answer:")))
    return "\n".join(lines), buttons


def _clauses(clauses: list[Clause], plan: Plan) -> list[str]:
    return [f"• {_assigned_to(plan, c.section, c.text)}{_quoted(c.text, MAX_QUOTE)} "
            f"<i>({esc(c.section)})</i>" for c in clauses]


def _assigned_to(plan: Plan, section: str, text: str) -> str:
    """"<b>Phòng Tài chính - Kế hoạch</b>: " when ``text`` is a duty of an office the text
    itself does not name (a clause under the office's heading); else nothing."""
    folded = fold(text)
    for duty in plan.duties:
        if duty.section == section and folded in fold(duty.text):
            if fold(duty.office) in folded:
                return ""
            return f"<b>{esc(duty.office)}</b>: "
    return ""


def funding_lines(plan: Plan, tr: Translator, amount: bool) -> tuple[list[str], list[str]]:
    """The funding of one plan and the sections it comes from."""
    funding = plan.funding
    lines: list[str] = []
    if amount:
        lines.append(esc(tr.gettext("The plan states no amount of money.")))
    if funding is None or not (funding.sources or funding.principles):
        lines.append(esc(tr.gettext("The plan does not state how it is funded.")))
        return lines, []
    if funding.sources:
        lines.append(esc(tr.gettext("Sources of funds:")))
        lines += _clauses(funding.sources, plan)
    else:
        lines.append(esc(tr.gettext("The plan has no funding section and names no source of "
                                    "funds. What it says of budgets:")))
    if funding.principles:
        if funding.sources:
            lines.append(esc(tr.gettext("Budgeting:")))
        lines += _clauses(funding.principles, plan)
    sections = ([funding.section] if funding.section else []) + [
        c.section for c in funding.sources + funding.principles]
    return lines, sections


def funding(answer: Answer, tr: Translator) -> tuple[str, list]:
    multi = len(answer.parts) > 1
    lines: list[str] = []
    for part in answer.parts:
        if multi:
            lines.append(plan_header(part.plan))
        if part.passages:  # what the question asks of the money in particular
            sources = part.plan.funding.sources if part.plan.funding else []
            sections = []
            if answer.with_sources and sources:  # "lấy từ nguồn nào, Sở Tài chính làm gì"
                lines.append(esc(tr.gettext("Sources of funds:")))
                lines += _clauses(sources, part.plan)
                sections += [c.section for c in sources]
            quoted = {fold(c.text) for c in sources} if answer.with_sources else set()
            hits = [h for h in part.passages if fold(h.passage.text) not in quoted]
            if sections and hits:
                lines.append(esc(tr.gettext("Budgeting:")))
            lines += [_passage_line(h, tr, MAX_QUOTE, answer.focus or (), part.plan)
                      for h in hits]
            sections += [h.passage.section for h in hits]
        else:
            body, sections = funding_lines(part.plan, tr, answer.amount and part is
                                           answer.parts[0])
            lines += body
        lines.append(source_line(part.plan, sections, tr, short=multi))
    return "\n".join(lines), []


def funding_compact(part: PlanPart, tr: Translator) -> str:
    """One plan's funding on one line (choosing a plan)."""
    funding = part.plan.funding
    if funding is None or not funding.sources:
        return esc(tr.gettext("no funding section; no source stated"))
    return esc("; ".join(quote(c.text, 60) for c in funding.sources[:2]))


def ask_back(answer: Answer, tr: Translator) -> tuple[str, list]:
    """A number no plan can mean: say which and how to ask."""
    lines = [esc(_odd_line(odd, tr)) for odd in answer.odd]
    lines.append(esc(tr.gettext("Please ask again, for example: “{example}”.",
                                example=tr.gettext("target 14 for 2025"))))
    return "\n".join(lines), []


def _odd_line(odd: OddNumber, tr: Translator) -> str:
    if odd.kind == "target":
        return tr.gettext("Targets are numbered 1 to 24: which one do you mean by “{typed}”?",
                          typed=odd.typed)
    return tr.gettext("“{typed}” is not a year: which year do you mean (e.g. 2025 or 2030)?",
                      typed=odd.typed)

