"""Changing the unit tree in chat, without Telegram: ``/unit`` (``/suadonvi``), admins only.

``/unit add|rename|move|off|on|pop ...`` (unaccented Vietnamese words too: ``them``, ``doiten``,
``chuyen``, ``tat``, ``bat``, ``danso``). The tree rules are those of the CSV import
(:func:`storage.units.import_units_csv`): a district or commune needs a parent, a province has
none, nothing goes below a commune; also nothing new goes below an inactive unit. Every change is
one transaction written to the access log; a refused command changes nothing.

Deactivating a unit that still has active units below it is refused (with how many and which):
turning off a whole district by accident would silently drop every commune below it from
reporting, reminders and statistics, so the admin turns the communes off first, on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from sqlalchemy.exc import IntegrityError

from kernel.i18n import Translator
from kernel.reply import Reply
from knowledge.render import short_name
from storage import scope as scopes
from storage.access_log import log_access
from storage.models import REPORTING_LEVEL, Person, Unit
from storage.stats_queries import people_counts
from storage.units import (
    UnitTreeError,
    active_below,
    add_unit,
    is_within,
    move_unit,
    parse_level,
    population_of,
    rename_unit,
    replace_plan_below,
    set_active,
    set_population,
)
from usecases.people import admins_only, caller_scope, level_label, unit_text, unknown_unit
from usecases.services import Services

MAX_CODE = 64
MAX_NAME = 200
MAX_POPULATION = 100_000_000
YEARS = (2000, 2100)
#: Units named when refusing to deactivate a unit with active units below it.
SHOWN_BELOW = 5
_TOP = ("-", "—", "–")
_NEEDS_PARENT = ("district", REPORTING_LEVEL)
_SUBCOMMANDS = {
    "add": "add", "them": "add", "new": "add", "tao": "add",
    "rename": "rename", "doiten": "rename", "doi_ten": "rename",
    "move": "move", "chuyen": "move",
    "off": "off", "tat": "off", "deactivate": "off",
    "on": "on", "bat": "on", "activate": "on",
    "pop": "pop", "danso": "pop", "dan_so": "pop", "population": "pop",
}  # fmt: skip
_OPTIONS = {"plan": "plan", "kehoach": "plan", "pop": "pop", "danso": "pop"}
_OPTION = re.compile(r"([a-z_]+)=(.*)", re.IGNORECASE)
_WHOLE = re.compile(r"\d+|\d{1,3}(?:[.,_]\d{3})+")

Words = list[str]
Action = Callable[[Services, Person, Translator, Words], Awaitable[Reply]]


async def unit_reply(svc: Services, person: Person, tr: Translator, args: str) -> Reply:
    """``/unit SUBCOMMAND ...`` (admins): add, rename, move, deactivate or activate a unit, or
    set its child population."""
    if not caller_scope(svc, person).is_admin:
        return admins_only(tr)
    words = args.split()
    action = _SUBCOMMANDS.get(words[0].lower()) if words else None
    if action is None:
        return usage(tr)
    return await _ACTIONS[action](svc, person, tr, words[1:])


# ---------------------------------------------------------------------------- usage


def _syntax(tr: Translator, action: str) -> tuple[str, str]:
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
        syntax, example = _syntax(tr, action)
        lines.append(f"• {title} {syntax}")
        lines.append("   " + tr.gettext("e.g. {example}", example=example))
        if action == "add":
            lines.append("   " + _top_hint(tr))
    lines.append(_levels_hint(tr))
    return Reply("\n".join(lines))


def _usage_of(tr: Translator, action: str) -> Reply:
    syntax, example = _syntax(tr, action)
    lines = [tr.gettext("Usage: {syntax}", syntax=syntax),
             tr.gettext("e.g. {example}", example=example)]
    if action == "add":
        lines += [_top_hint(tr), _levels_hint(tr)]
    return Reply("\n".join(lines))


def _top_hint(tr: Translator) -> str:
    return tr.gettext("PARENT_CODE “-” makes a top-level province or city; it then needs "
                      "plan=PLAN_ID.")


def _levels_hint(tr: Translator) -> str:
    return tr.gettext("Levels: commune (xa, phuong, ward), district (huyen, quan), "
                      "city (thanh_pho), province (tinh).")


# ---------------------------------------------------------------------------- checks


def _whole(raw: str) -> int | None:
    return int(re.sub(r"[.,_]", "", raw)) if _WHOLE.fullmatch(raw) else None


def _population(tr: Translator, raw: str) -> int | Reply:
    value = _whole(raw)
    if value is None or value > MAX_POPULATION:
        return Reply(tr.gettext("The child population must be a whole number from 0 to {max}.",
                                max=tr.number(MAX_POPULATION)))
    return value


def _name(tr: Translator, words: Words) -> str | Reply:
    name = " ".join(words).strip()
    if not 1 <= len(name) <= MAX_NAME:
        return Reply(tr.gettext("A unit name has 1 to {max} characters.", max=MAX_NAME))
    return name


def _plan_id(svc: Services, tr: Translator, raw: str) -> str | Reply:
    for candidate in (raw, raw.lower()):
        if candidate in svc.plans:
            return candidate
    return Reply(tr.gettext("I know no plan “{plan}”. Known plans: {plans}.", plan=raw,
                            plans=_known_plans(svc)))


def _known_plans(svc: Services) -> str:
    return ", ".join(sorted(svc.plans))


def _plan_text(svc: Services, plan_id: str | None) -> str:
    if plan_id is None:
        return "—"
    plan = svc.plans.get(plan_id)
    return short_name(plan) if plan else plan_id


def _needs_parent(tr: Translator, level: str) -> Reply:
    return Reply(tr.gettext("A {level} needs a unit above it: give that unit's code instead of "
                            "“-”.", level=level_label(tr, level)))


def _province_on_top(tr: Translator) -> Reply:
    return Reply(tr.gettext("A province is a top-level unit: its parent code is “-”."))


def _below_commune(tr: Translator, parent: Unit) -> Reply:
    return Reply(tr.gettext("{unit} is a commune: no unit can be below a commune.",
                            unit=unit_text(parent)))


def _inactive_parent(tr: Translator, parent: Unit) -> Reply:
    return Reply(tr.gettext("{unit} is inactive: activate it first with /unit on {code}.",
                            unit=unit_text(parent), code=parent.code))


def _log_unit(unit: Unit | None) -> str:
    return unit.code if unit is not None else "-"


# ---------------------------------------------------------------------------- add


async def _add(svc: Services, person: Person, tr: Translator, words: Words) -> Reply:
    if len(words) < 4:
        return _usage_of(tr, "add")
    code, level_word, parent_code = words[:3]
    name_words: Words = []
    options: dict[str, str] = {}
    for word in words[3:]:
        match = _OPTION.fullmatch(word)
        option = _OPTIONS.get(match.group(1).lower()) if match else None
        if option is None:
            name_words.append(word)
        elif option in options:
            return _usage_of(tr, "add")
        else:
            options[option] = match.group(2)  # type: ignore[union-attr]

    level = parse_level(level_word)
    if level is None:
        return Reply(tr.gettext("I do not know the level “{level}”.", level=level_word) + "\n"
                     + _levels_hint(tr))
    if len(code) > MAX_CODE or code in _TOP:
        return Reply(tr.gettext("A unit code has 1 to {max} characters, without spaces.",
                                max=MAX_CODE))
    name = _name(tr, name_words)
    if isinstance(name, Reply):
        return name
    plan_id: str | None = None
    if "plan" in options:
        found = _plan_id(svc, tr, options["plan"])
        if isinstance(found, Reply):
            return found
        plan_id = found
    population: int | None = None
    if "pop" in options:
        found_pop = _population(tr, options["pop"])
        if isinstance(found_pop, Reply):
            return found_pop
        population = found_pop
    top = parent_code in _TOP
    if top and level in _NEEDS_PARENT:
        return _needs_parent(tr, level)
    if not top and level == "province":
        return _province_on_top(tr)
    if top and plan_id is None:
        return Reply(tr.gettext("A top-level unit needs its plan: add plan=PLAN_ID. Known "
                                "plans: {plans}.", plans=_known_plans(svc)))
    year = svc.clock.now().year

    async with svc.db.session() as session:
        existing = await scopes.find_unit(session, code)
        if existing is not None:
            return Reply(tr.gettext("The code {code} is already used by {unit}.", code=code,
                                    unit=unit_text(existing)))
        parent: Unit | None = None
        if not top:
            parent = await scopes.find_unit(session, parent_code)
            if parent is None:
                return unknown_unit(tr, parent_code)
            if parent.level == REPORTING_LEVEL:
                return _below_commune(tr, parent)
            if not parent.active:
                return _inactive_parent(tr, parent)
        try:
            unit = await add_unit(session, code, name, level, parent.id if parent else None,
                                  plan_id)
        except IntegrityError:  # another admin took the code a moment ago
            await session.rollback()
            existing = await scopes.find_unit(session, code)
            return Reply(tr.gettext("The code {code} is already used by {unit}.", code=code,
                                    unit=unit_text(existing) if existing else code))
        detail = f"{code} {level} under {_log_unit(parent)}, plan {unit.plan_id or '-'}"
        if population is not None:
            await set_population(session, unit.id, year, population)
            detail += f", population {year}: {population}"
        await log_access(session, person.id, "unit_added", unit_id=unit.id, detail=detail)
        await session.commit()
    await svc.screens.refresh()  # its name is a place from now on, never a person's

    head = (
        tr.gettext("Added {unit} — {level}, under {parent}.", unit=unit_text(unit),
                   level=level_label(tr, level), parent=unit_text(parent))
        if parent is not None
        else tr.gettext("Added {unit} — {level}, a top-level unit.", unit=unit_text(unit),
                        level=level_label(tr, level))
    )
    lines = [head, tr.gettext("Plan: {plan}", plan=_plan_text(svc, unit.plan_id))]
    if population is not None:
        lines.append(tr.gettext("Child population {year}: {n}", year=year,
                                n=tr.number(population)))
    lines.append(tr.gettext("Invite its people with /invite {code} officer (or supervisor).",
                            code=unit.code))
    return Reply("\n".join(lines))


# ---------------------------------------------------------------------------- rename


async def _rename(svc: Services, person: Person, tr: Translator, words: Words) -> Reply:
    if len(words) < 2:
        return _usage_of(tr, "rename")
    name = _name(tr, words[1:])
    if isinstance(name, Reply):
        return name
    async with svc.db.session() as session:
        unit = await scopes.find_unit(session, words[0])
        if unit is None:
            return unknown_unit(tr, words[0])
        old = unit.name
        if old == name:
            return Reply(tr.gettext("{unit} already has this name.", unit=unit_text(unit)))
        await rename_unit(session, unit.id, name)
        # The names stay in the units table; the log keeps no typed text.
        await log_access(session, person.id, "unit_renamed", unit_id=unit.id,
                         detail=f"{unit.code}: name changed")
        await session.commit()
        code = unit.code
    await svc.screens.refresh()
    return Reply(tr.gettext("Renamed {code}: “{old}” → “{new}”.", code=code, old=old, new=name))


# ---------------------------------------------------------------------------- move


async def _move(svc: Services, person: Person, tr: Translator, words: Words) -> Reply:
    if len(words) != 2:
        return _usage_of(tr, "move")
    code, parent_code = words
    top = parent_code in _TOP
    async with svc.db.session() as session:
        unit = await scopes.find_unit(session, code)
        if unit is None:
            return unknown_unit(tr, code)
        new_parent: Unit | None = None
        if top:
            if unit.level in _NEEDS_PARENT:
                return _needs_parent(tr, unit.level)
        else:
            new_parent = await scopes.find_unit(session, parent_code)
            if new_parent is None:
                return unknown_unit(tr, parent_code)
            if unit.level == "province":
                return _province_on_top(tr)
            if new_parent.level == REPORTING_LEVEL:
                return _below_commune(tr, new_parent)
            if await is_within(session, new_parent.id, unit.id):
                return _cycle(tr, unit, new_parent)
            if unit.active and not new_parent.active:
                return _inactive_parent(tr, new_parent)
        new_parent_id = new_parent.id if new_parent else None
        old_parent = await session.get(Unit, unit.parent_id) if unit.parent_id else None
        if unit.parent_id == new_parent_id:
            if new_parent is None:
                return Reply(tr.gettext("{unit} is already a top-level unit.",
                                        unit=unit_text(unit)))
            return Reply(tr.gettext("{unit} is already under {parent}.", unit=unit_text(unit),
                                    parent=unit_text(new_parent)))
        try:
            await move_unit(session, unit.id, new_parent_id)
        except UnitTreeError:
            return _cycle(tr, unit, new_parent)
        # A plan inherited from the old parent follows the new parent; a plan of its own stays.
        old_plan = unit.plan_id
        changed = 0
        if (old_parent is not None and new_parent is not None
                and old_plan == old_parent.plan_id and new_parent.plan_id is not None):
            changed = await replace_plan_below(session, unit.id, old_plan, new_parent.plan_id)
        detail = f"{unit.code}: {_log_unit(old_parent)} -> {_log_unit(new_parent)}"
        if changed:
            detail += f", plan {old_plan or '-'} -> {new_parent.plan_id} ({changed} units)"
        await log_access(session, person.id, "unit_moved", unit_id=unit.id, detail=detail)
        await session.commit()
        text, new_plan = unit_text(unit), unit.plan_id

    lines = [tr.gettext("Moved {unit} from {old} to {new}.", unit=text,
                        old=unit_text(old_parent) if old_parent else "—",
                        new=unit_text(new_parent) if new_parent else "—")]
    if changed:
        lines.append(tr.gettext("It now follows the plan of its new parent: {plan}.",
                                plan=_plan_text(svc, new_plan)))
    return Reply("\n".join(lines))


def _cycle(tr: Translator, unit: Unit, parent: Unit | None) -> Reply:
    return Reply(tr.gettext("{parent} is {unit} itself or below it: a unit cannot move below "
                            "itself.", unit=unit_text(unit),
                            parent=unit_text(parent) if parent else "—"))


# ---------------------------------------------------------------------------- off, on


async def _off(svc: Services, person: Person, tr: Translator, words: Words) -> Reply:
    if len(words) != 1:
        return _usage_of(tr, "off")
    async with svc.db.session() as session:
        unit = await scopes.find_unit(session, words[0])
        if unit is None:
            return unknown_unit(tr, words[0])
        if not unit.active:
            return Reply(tr.gettext("{unit} is already inactive.", unit=unit_text(unit)))
        count, first = await active_below(session, unit.id, limit=SHOWN_BELOW)
        if count:
            codes = ", ".join(u.code for u in first) + (", …" if count > len(first) else "")
            return Reply(tr.gettext(
                "{unit} still has {n} active units below it ({codes}). Deactivate those first "
                "(communes before districts), or move them elsewhere with /unit move. Nothing "
                "was changed.", unit=unit_text(unit), n=tr.number(count), codes=codes))
        await set_active(session, unit.id, False)
        await log_access(session, person.id, "unit_deactivated", unit_id=unit.id,
                         detail=f"{unit.code}: active -> inactive")
        members = (await people_counts(session, [unit.id]))[unit.id]
        await session.commit()
        text, code = unit_text(unit), unit.code
    lines = [
        tr.gettext("Deactivated {unit}: it no longer sends reports, gets reminders or counts "
                   "as expected in statistics. Reports already saved are kept.", unit=text),
        tr.gettext("Turn it back on with /unit on {code}.", code=code),
    ]
    if members:
        lines.append(tr.gettext("{n} people still belong to it: move them with /move ID CODE "
                                "(see /people {code}).", n=tr.number(members), code=code))
    return Reply("\n".join(lines))


async def _on(svc: Services, person: Person, tr: Translator, words: Words) -> Reply:
    if len(words) != 1:
        return _usage_of(tr, "on")
    async with svc.db.session() as session:
        unit = await scopes.find_unit(session, words[0])
        if unit is None:
            return unknown_unit(tr, words[0])
        if unit.active:
            return Reply(tr.gettext("{unit} is already active.", unit=unit_text(unit)))
        parent = await session.get(Unit, unit.parent_id) if unit.parent_id else None
        if parent is not None and not parent.active:
            return _inactive_parent(tr, parent)
        await set_active(session, unit.id, True)
        await log_access(session, person.id, "unit_activated", unit_id=unit.id,
                         detail=f"{unit.code}: inactive -> active")
        await session.commit()
        text = unit_text(unit)
    return Reply(tr.gettext("Activated {unit}: it can send reports again and counts in "
                            "statistics.", unit=text))


# ---------------------------------------------------------------------------- population


async def _pop(svc: Services, person: Person, tr: Translator, words: Words) -> Reply:
    if len(words) not in (2, 3):
        return _usage_of(tr, "pop")
    value = _population(tr, words[1])
    if isinstance(value, Reply):
        return value
    year = svc.clock.now().year
    if len(words) == 3:
        if not re.fullmatch(r"\d{4}", words[2]) or not YEARS[0] <= int(words[2]) <= YEARS[1]:
            return Reply(tr.gettext("The year must be from {first} to {last}.",
                                    first=YEARS[0], last=YEARS[1]))
        year = int(words[2])
    async with svc.db.session() as session:
        unit = await scopes.find_unit(session, words[0])
        if unit is None:
            return unknown_unit(tr, words[0])
        old = await population_of(session, unit.id, year)
        if old == value:
            return Reply(tr.gettext("The child population of {unit} for {year} is already {n}.",
                                    unit=unit_text(unit), year=year, n=tr.number(value)))
        await set_population(session, unit.id, year, value)
        await log_access(session, person.id, "unit_population_set", unit_id=unit.id,
                         detail=f"{unit.code} {year}: {'-' if old is None else old} -> {value}")
        await session.commit()
        text = unit_text(unit)
    if old is None:
        return Reply(tr.gettext("Child population of {unit} for {year}: {n}.", unit=text,
                                year=year, n=tr.number(value)))
    return Reply(tr.gettext("Child population of {unit} for {year}: {n} (was {old}).", unit=text,
                            year=year, n=tr.number(value), old=tr.number(old)))


_ACTIONS: dict[str, Action] = {
    "add": _add, "rename": _rename, "move": _move, "off": _off, "on": _on, "pop": _pop,
}
