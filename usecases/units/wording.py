"""How ``/unit`` is typed and answered: its usage, the words it reads (names, levels, plans,
child populations) and its refusals."""

from __future__ import annotations

import re

from kernel.i18n import Translator
from kernel.reply import Reply
from knowledge.render import short_name
from storage.models import Unit
from usecases.directory import level_label, unit_text
from usecases.services import Services
from usecases.units.rules import Misplaced

MAX_CODE = 64


MAX_NAME = 200


MAX_POPULATION = 100_000_000


YEARS = (2000, 2100)


TOP = ("-", "—", "–")


OPTIONS = {"plan": "plan", "kehoach": "plan", "pop": "pop", "danso": "pop"}


OPTION = re.compile(r"([a-z_]+)=(.*)", re.IGNORECASE)


WHOLE = re.compile(r"\d+|\d{1,3}(?:[.,_]\d{3})+")


Words = list[str]


def syntax_of(tr: Translator, action: str) -> tuple[str, str]:
    """(syntax, example) of one sub-command."""
    return {
        "add": (
            tr.gettext("/unit add CODE LEVEL PARENT_CODE Name [plan=PLAN_ID] [pop=N]"),
            tr.gettext("/unit add C13 commune D1 Commune 13 pop=1500"),
        ),
        "rename": (
            tr.gettext("/unit rename CODE New name"),
            tr.gettext("/unit rename C13 Ward 13"),
        ),
        "move": (
            tr.gettext("/unit move CODE NEW_PARENT_CODE"),
            tr.gettext("/unit move C13 D2"),
        ),
        "off": (tr.gettext("/unit off CODE"), tr.gettext("/unit off C13")),
        "on": (tr.gettext("/unit on CODE"), tr.gettext("/unit on C13")),
        "pop": (
            tr.gettext("/unit pop CODE N [YEAR]"),
            tr.gettext("/unit pop C13 1600 2026"),
        ),
    }[action]


def usage(tr: Translator) -> Reply:
    """The sub-commands, one example each (``/unit`` alone or an unknown word)."""
    titles = {
        "add": tr.gettext("Add a unit:"),
        "rename": tr.gettext("Rename:"),
        "move": tr.gettext("Move under another unit:"),
        "off": tr.gettext("Deactivate (no more reports or reminders):"),
        "on": tr.gettext("Activate again:"),
        "pop": tr.gettext("Child population (default year: this year):"),
    }
    lines = [tr.gettext("Change units (administrators):")]
    for action, title in titles.items():
        syntax, example = syntax_of(tr, action)
        lines.append(f"• {title} {syntax}")
        lines.append("   " + tr.gettext("e.g. {example}", example=example))
        if action == "add":
            lines.append("   " + top_hint(tr))
    lines.append(levels_hint(tr))
    return Reply("\n".join(lines))


def usage_of(tr: Translator, action: str) -> Reply:
    syntax, example = syntax_of(tr, action)
    lines = [tr.gettext("Usage: {syntax}", syntax=syntax),
             tr.gettext("e.g. {example}", example=example)]
    if action == "add":
        lines += [top_hint(tr), levels_hint(tr)]
    return Reply("\n".join(lines))


def top_hint(tr: Translator) -> str:
    return tr.gettext("PARENT_CODE “-” makes a top-level province or city; it then needs "
                      "plan=PLAN_ID.")


def levels_hint(tr: Translator) -> str:
    return tr.gettext("Levels: commune (xa, phuong, ward), district (huyen, quan), "
                      "city (thanh_pho), province (tinh).")


def read_whole(raw: str) -> int | None:
    return int(re.sub(r"[.,_]", "", raw)) if WHOLE.fullmatch(raw) else None


def read_population(tr: Translator, raw: str) -> int | Reply:
    value = read_whole(raw)
    if value is None or value > MAX_POPULATION:
        return Reply(tr.gettext("The child population must be a whole number from 0 to {max}.",
                                max=tr.number(MAX_POPULATION)))
    return value


def read_name(tr: Translator, words: Words) -> str | Reply:
    name = " ".join(words).strip()
    if not 1 <= len(name) <= MAX_NAME:
        return Reply(tr.gettext("A unit name has 1 to {max} characters.", max=MAX_NAME))
    return name


def read_plan_id(svc: Services, tr: Translator, raw: str) -> str | Reply:
    for candidate in (raw, raw.lower()):
        if candidate in svc.plans:
            return candidate
    return Reply(tr.gettext("I know no plan “{plan}”. Known plans: {plans}.", plan=raw,
                            plans=known_plans(svc)))


def known_plans(svc: Services) -> str:
    return ", ".join(sorted(svc.plans))


def plan_text(svc: Services, plan_id: str | None) -> str:
    if plan_id is None:
        return "—"
    plan = svc.plans.get(plan_id)
    return short_name(plan) if plan else plan_id


def misplaced_reply(tr: Translator, problem: Misplaced, level: str, parent: Unit | None) -> Reply:
    """Why the unit cannot go there (usecases.units.rules), in words."""
    if problem is Misplaced.NEEDS_PARENT:
        return Reply(tr.gettext("A {level} needs a unit above it: give that unit's code instead "
                                "of “-”.", level=level_label(tr, level)))
    if problem is Misplaced.PROVINCE_ON_TOP:
        return Reply(tr.gettext("A province is a top-level unit: its parent code is “-”."))
    assert parent is not None
    if problem is Misplaced.BELOW_COMMUNE:
        return Reply(tr.gettext("{unit} is a commune: no unit can be below a commune.",
                                unit=unit_text(parent)))
    return Reply(tr.gettext("{unit} is inactive: activate it first with /unit on {code}.",
                            unit=unit_text(parent), code=parent.code))


def log_unit(unit: Unit | None) -> str:
    return unit.code if unit is not None else "-"


def cycle_reply(tr: Translator, unit: Unit, parent: Unit | None) -> Reply:
    return Reply(tr.gettext("{parent} is {unit} itself or below it: a unit cannot move below "
                            "itself.", unit=unit_text(unit),
                            parent=unit_text(parent) if parent else "—"))
