"""Turn an ``Answer`` into a short HTML reply in the user's language: one module per kind of
answer (targets, offices, facts not stated, topics, deadlines, plans, chat), the shared
building blocks in :mod:`knowledge.render.common`.

Every factual reply ends with its source ("Nguồn: <plan>, mục <section>"); all data text is
HTML-escaped; numbers, units and comparators follow the locale.
"""

from __future__ import annotations

from collections.abc import Callable

from kernel.i18n import Translator
from kernel.reply import Reply
from knowledge.qa.answer import Answer
from knowledge.qa.fit import fit
from knowledge.qa.format import short_name
from knowledge.render.chat import help_text, smalltalk, unknown
from knowledge.render.deadlines import deadlines
from knowledge.render.facts import document, not_stated
from knowledge.render.offices import office_leads_nothing, office_targets, responsibility
from knowledge.render.passages import ask_back, funding, office_duties, passages, task_lead
from knowledge.render.plans import choose_plan, overview
from knowledge.render.targets import (
    compare,
    goal_targets,
    no_such_target,
    no_value_for_year,
    target_value,
)
from knowledge.render.topics import topic

__all__ = ["render_answer", "short_name"]


def render_answer(answer: Answer, tr: Translator) -> Reply:
    """The reply for ``answer`` (HTML, ``Reply.html`` set); the answers to a message's other
    questions follow, each after a blank line."""
    reply = _render_one(answer, tr)
    for other in answer.also:
        more = _render_one(other, tr)
        reply = Reply(f"{reply.text}\n\n{more.text}", reply.buttons + more.buttons, html=True)
    return reply


def _render_one(answer: Answer, tr: Translator) -> Reply:
    renderer = _RENDERERS.get(answer.kind, unknown)
    text, buttons = renderer(answer, tr)
    text = text.strip()
    one_plan_list = answer.kind == "overview" and len(answer.parts) == 1  # asked for all
    if answer.kind not in _ASKED_IN_FULL and not one_plan_list:
        text = fit(text, tr)
    return Reply(text, buttons, html=True)


#: Answers to questions naming their targets: every value asked for is shown.
_ASKED_IN_FULL = frozenset({"target_value", "compare", "no_value_for_year", "responsibility"})


_RENDERERS: dict[str, Callable[[Answer, Translator], tuple[str, list]]] = {
    "target_value": target_value,
    "responsibility": responsibility,
    "office_targets": office_targets,
    "office_leads_nothing": office_leads_nothing,
    "goal_targets": goal_targets,
    "topic": topic,
    "compare": compare,
    "deadlines": deadlines,
    "document": document,
    "choose_plan": choose_plan,
    "no_such_target": no_such_target,
    "no_value_for_year": no_value_for_year,
    "not_stated": not_stated,
    "unknown": unknown,
    "help": help_text,
    "smalltalk": smalltalk,
    "overview": overview,
    "office_duties": office_duties,
    "task_lead": task_lead,
    "funding": funding,
    "passages": passages,
    "ask_back": ask_back,
}
