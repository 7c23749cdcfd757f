"""A person's preferences: the plan questions are answered from (/plan) and the language
(/lang), remembered in the database."""

from __future__ import annotations

from kernel.i18n import SUPPORTED, Translator, translator
from kernel.reply import Button, Reply
from knowledge.render import short_name
from storage import people
from usecases.services import Services

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}
#: Callback data: ``setplan:<plan id>`` ("-": no fixed plan), ``setlang:<code>``.
CB_PLAN, CB_LANG, NO_PLAN = "setplan:", "setlang:", "-"


def plan_menu(svc: Services, tr: Translator, current: str | None) -> Reply:
    rows = []
    for plan in svc.plans.values():
        label = short_name(plan)
        if plan.id == current:
            label = "✓ " + label
        rows.append([Button(label, f"{CB_PLAN}{plan.id}")])
    rows.append([Button(tr.gettext("No fixed plan (ask across all)"), f"{CB_PLAN}{NO_PLAN}")])
    text = tr.gettext("Which plan should I answer from?")
    if current and current in svc.plans:
        name = short_name(svc.plans[current])
        text = tr.gettext("Your plan: {name}.", name=name) + "\n" + text
    return Reply(text, rows)


def plan_named(svc: Services, text: str) -> str | None:
    """The one plan a typed text names (``/plan tra vinh 2024``), else None."""
    matches = svc.qa.match_plans(text) if text.strip() else []
    return matches[0] if len(matches) == 1 else None


def chosen_plan(svc: Services, data: str) -> str | None | bool:
    """The plan a ``setplan:`` button chose: its id, None (no fixed plan), or False when that
    plan is no longer available."""
    plan_id = data.removeprefix(CB_PLAN)
    if plan_id == NO_PLAN:
        return None
    return plan_id if plan_id in svc.plans else False


def unavailable_plan(tr: Translator) -> Reply:
    return Reply(tr.gettext("That plan is no longer available."))


async def set_plan(svc: Services, telegram_id: int, plan_id: str | None, tr: Translator) -> Reply:
    """Remember the plan (None: every plan) and say so."""
    async with svc.db.session() as session:
        await people.set_plan(session, telegram_id, plan_id)
        await session.commit()
    svc.people.forget(telegram_id)
    if plan_id:
        name = short_name(svc.plans[plan_id])
        return Reply(tr.gettext("Plan set: {name}. Your questions are answered from it.",
                                name=name))
    return Reply(tr.gettext("No fixed plan: I answer across all plans."))


def pending_answer(
    svc: Services, telegram_id: int, plan_id: str | None, tr: Translator
) -> Reply | None:
    """The question the person asked before choosing a plan, answered from it now."""
    last = svc.last_questions.pop(telegram_id, None)
    if not last or not plan_id:
        return None
    return svc.questions.answer(last, plan_id=plan_id, tr=tr).reply


def language_menu(tr: Translator) -> Reply:
    buttons = [[Button(LANGUAGE_NAMES[code], f"{CB_LANG}{code}") for code in SUPPORTED]]
    return Reply(tr.gettext("Choose your language:"), buttons)


def language_of(svc: Services, text: str) -> str | None:
    """A supported language code typed (``/lang en``) or tapped (``setlang:en``)."""
    code = text.removeprefix(CB_LANG).strip().lower()
    return code if code in SUPPORTED else None


async def set_language(svc: Services, telegram_id: int, code: str) -> Reply:
    """Remember the language; the confirmation is in it."""
    async with svc.db.session() as session:
        await people.set_language(session, telegram_id, code)
        await session.commit()
    svc.people.forget(telegram_id)
    return Reply(translator(code).gettext("Language set: English."))
