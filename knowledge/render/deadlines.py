"""The plans' reporting deadlines and milestones."""

from __future__ import annotations

from kernel.i18n import Translator
from knowledge.qa.answer import Answer
from knowledge.qa.format import source_line
from knowledge.render.common import deadline_lines, plan_header


def deadlines(answer: Answer, tr: Translator) -> tuple[str, list]:
    multi = len(answer.parts) > 1
    lines: list[str] = []
    for part in answer.parts:
        if multi:
            lines.append(plan_header(part.plan))
        lines += deadline_lines(part, tr, compact=multi, focus=answer.focus or ())
        lines.append(source_line(part.plan, [d.section for d in part.deadlines], tr,
                                 short=multi))
    return "\n".join(lines), []
