"""Help, questions nothing answers, small talk."""

from __future__ import annotations

from kernel.i18n import Translator
from knowledge.qa.answer import Answer
from knowledge.qa.format import esc, short_name


def _examples(tr: Translator) -> list[str]:
    return [
        "• " + esc(tr.gettext("target 14 for 2025")),
        "• " + esc(tr.gettext("who is responsible for target 9?")),
        "• " + esc(tr.gettext("child marriage")),
    ]


def help_text(answer: Answer, tr: Translator) -> tuple[str, list]:
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


def unknown(answer: Answer, tr: Translator) -> tuple[str, list]:
    if answer.years:  # "năm 2030 thì sao?": a year, but of what?
        year = answer.years[0]
        lines = [
            esc(tr.gettext("Which target do you mean for {year}? For example:", year=year)),
            "• " + esc(tr.gettext("target {n} for {year}", n=14, year=year)),
            "• " + esc(tr.gettext("child marriage in {year}", year=year)),
        ]
        return "\n".join(lines), []
    if answer.parts:  # a plan in scope has nothing on it: say so, and what can be asked
        names = ", ".join(short_name(p.plan) for p in answer.parts)
        lines = [
            esc(tr.gettext("I found nothing on this in {plan}.", plan=names)),
            esc(tr.gettext("You can ask about its targets, an office's duties, the funding, "
                           "reporting, or its goals, for example:")),
            *_plan_examples(tr),
        ]
        return "\n".join(lines), []
    lines = [
        esc(tr.gettext("I can only answer questions about the Action Plans for Children "
                       "(targets, responsible offices, deadlines). Try:")),
        *_examples(tr),
    ]
    return "\n".join(lines), []


def _plan_examples(tr: Translator) -> list[str]:
    return [
        "• " + esc(tr.gettext("target 14 for 2025")),
        "• " + esc(tr.gettext("what must the Department of Education do?")),
        "• " + esc(tr.gettext("funding of the plan")),
        "• " + esc(tr.gettext("who do we report to?")),
        "• " + esc(tr.gettext("what are the goals of the plan?")),
    ]


def smalltalk(answer: Answer, tr: Translator) -> tuple[str, list]:
    text = {
        "thanks": tr.gettext("You're welcome! Ask again whenever you need, e.g. “{example}”.",
                             example=tr.gettext("target 14 for 2025")),
        "bye": tr.gettext("Goodbye! Come back any time."),
    }.get(answer.social or "", tr.gettext("OK! Ask me about a target, an office or a "
                                           "deadline whenever you need."))
    return esc(text), []
