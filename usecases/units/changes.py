"""Changing the unit tree in chat, without Telegram: ``/unit`` (``/suadonvi``), admins only.

``/unit add|rename|move|off|on|pop ...`` (unaccented Vietnamese words too: ``them``, ``doiten``,
``chuyen``, ``tat``, ``bat``, ``danso``). The tree's rules are the CSV import's
(usecases.units.rules): a district or commune needs a parent, a province has none, nothing goes
below a commune, nothing new goes below an inactive unit. Every change is one transaction
written to the access log; a refused command changes nothing.

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
from storage import scope as scopes
from storage.access_log import log_access
from storage.models import Person, Unit
from storage.stats_queries import people_counts
from storage.unit_tree import (
    UnitTreeError,
    add_unit,
    move_unit,
    rename_unit,
    replace_plan_below,
    set_active,
    set_population,
)
from storage.units import active_below, is_within, population_of
from usecases.directory import admins_only, caller_scope, level_label, unit_text, unknown_unit
from usecases.services import Services
from usecases.units.rules import Misplaced, level_problem, parent_problem, parse_level
from usecases.units.wording import (
    MAX_CODE,
    OPTION,
    OPTIONS,
    TOP,
    YEARS,
    Words,
    cycle_reply,
    known_plans,
    levels_hint,
    log_unit,
    misplaced_reply,
    plan_text,
    read_name,
    read_plan_id,
    read_population,
    usage,
    usage_of,
)

#: Units named when refusing to deactivate a unit with active units below it.
SHOWN_BELOW = 5
_SUBCOMMANDS = {
    "add": "add", "them": "add", "new": "add", "tao": "add",
    "rename": "rename", "doiten": "rename", "doi_ten": "rename",
    "move": "move", "chuyen": "move",
    "off": "off", "tat": "off", "deactivate": "off",
    "on": "on", "bat": "on", "activate": "on",
    "pop": "pop", "danso": "pop", "dan_so": "pop", "population": "pop",
}  # fmt: skip

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


# ---------------------------------------------------------------------------- add


async def _add(svc: Services, person: Person, tr: Translator, words: Words) -> Reply:
    if len(words) < 4:
        return usage_of(tr, "add")
    code, level_word, parent_code = words[:3]
    name_words: Words = []
    options: dict[str, str] = {}
    for word in words[3:]:
        match = OPTION.fullmatch(word)
        option = OPTIONS.get(match.group(1).lower()) if match else None
        if option is None:
            name_words.append(word)
        elif option in options:
            return usage_of(tr, "add")
        else:
            options[option] = match.group(2)  # type: ignore[union-attr]

    level = parse_level(level_word)
    if level is None:
        return Reply(tr.gettext("I do not know the level “{level}”.", level=level_word) + "\n"
                     + levels_hint(tr))
    if len(code) > MAX_CODE or code in TOP:
        return Reply(tr.gettext("A unit code has 1 to {max} characters, without spaces.",
                                max=MAX_CODE))
    name = read_name(tr, name_words)
    if isinstance(name, Reply):
        return name
    plan_id: str | None = None
    if "plan" in options:
        found = read_plan_id(svc, tr, options["plan"])
        if isinstance(found, Reply):
            return found
        plan_id = found
    population: int | None = None
    if "pop" in options:
        found_pop = read_population(tr, options["pop"])
        if isinstance(found_pop, Reply):
            return found_pop
        population = found_pop
    top = parent_code in TOP
    if problem := level_problem(level, at_top=top):
        return misplaced_reply(tr, problem, level, None)
    if top and plan_id is None:
        return Reply(tr.gettext("A top-level unit needs its plan: add plan=PLAN_ID. Known "
                                "plans: {plans}.", plans=known_plans(svc)))
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
            if problem := parent_problem(parent.level, parent_active=parent.active):
                return misplaced_reply(tr, problem, level, parent)
        try:
            unit = await add_unit(session, code, name, level, parent.id if parent else None,
                                  plan_id)
        except IntegrityError:  # another admin took the code a moment ago
            await session.rollback()
            existing = await scopes.find_unit(session, code)
            return Reply(tr.gettext("The code {code} is already used by {unit}.", code=code,
                                    unit=unit_text(existing) if existing else code))
        detail = f"{code} {level} under {log_unit(parent)}, plan {unit.plan_id or '-'}"
        if population is not None:
            await set_population(session, unit.id, year, population)
            detail += f", population {year}: {population}"
        await log_access(session, person.id, "unit_added", unit_id=unit.id, detail=detail)
        await session.commit()
    await svc.refresh_units()  # its name is a place from now on, never a person's

    head = (
        tr.gettext("Added {unit} — {level}, under {parent}.", unit=unit_text(unit),
                   level=level_label(tr, level), parent=unit_text(parent))
        if parent is not None
        else tr.gettext("Added {unit} — {level}, a top-level unit.", unit=unit_text(unit),
                        level=level_label(tr, level))
    )
    lines = [head, tr.gettext("Plan: {plan}", plan=plan_text(svc, unit.plan_id))]
    if population is not None:
        lines.append(tr.gettext("Child population {year}: {n}", year=year,
                                n=tr.number(population)))
    lines.append(tr.gettext("Invite its people with /invite {code} officer (or supervisor).",
                            code=unit.code))
    return Reply("\n".join(lines))


# ---------------------------------------------------------------------------- rename


async def _rename(svc: Services, person: Person, tr: Translator, words: Words) -> Reply:
    if len(words) < 2:
        return usage_of(tr, "rename")
    name = read_name(tr, words[1:])
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
    await svc.refresh_units()
    return Reply(tr.gettext("Renamed {code}: “{old}” → “{new}”.", code=code, old=old, new=name))


# ---------------------------------------------------------------------------- move


async def _move(svc: Services, person: Person, tr: Translator, words: Words) -> Reply:
    if len(words) != 2:
        return usage_of(tr, "move")
    code, parent_code = words
    top = parent_code in TOP
    async with svc.db.session() as session:
        unit = await scopes.find_unit(session, code)
        if unit is None:
            return unknown_unit(tr, code)
        new_parent: Unit | None = None
        if not top:
            new_parent = await scopes.find_unit(session, parent_code)
            if new_parent is None:
                return unknown_unit(tr, parent_code)
        if problem := level_problem(unit.level, at_top=top):
            return misplaced_reply(tr, problem, unit.level, new_parent)
        if new_parent is not None:
            if problem := parent_problem(new_parent.level, parent_active=new_parent.active,
                                         active=unit.active):
                if problem is Misplaced.INACTIVE_PARENT and await is_within(
                        session, new_parent.id, unit.id):
                    return cycle_reply(tr, unit, new_parent)
                return misplaced_reply(tr, problem, unit.level, new_parent)
            if await is_within(session, new_parent.id, unit.id):
                return cycle_reply(tr, unit, new_parent)
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
            return cycle_reply(tr, unit, new_parent)
        # A plan inherited from the old parent follows the new parent; a plan of its own stays.
        old_plan = unit.plan_id
        changed = 0
        if (old_parent is not None and new_parent is not None
                and old_plan == old_parent.plan_id and new_parent.plan_id is not None):
            changed = await replace_plan_below(session, unit.id, old_plan, new_parent.plan_id)
        detail = f"{unit.code}: {log_unit(old_parent)} -> {log_unit(new_parent)}"
        if changed:
            detail += f", plan {old_plan or '-'} -> {new_parent.plan_id} ({changed} units)"
        await log_access(session, person.id, "unit_moved", unit_id=unit.id, detail=detail)
        await session.commit()
        text, new_plan = unit_text(unit), unit.plan_id
    await svc.refresh_units()  # its officers' questions follow the new parent's plan

    lines = [tr.gettext("Moved {unit} from {old} to {new}.", unit=text,
                        old=unit_text(old_parent) if old_parent else "—",
                        new=unit_text(new_parent) if new_parent else "—")]
    if changed:
        lines.append(tr.gettext("It now follows the plan of its new parent: {plan}.",
                                plan=plan_text(svc, new_plan)))
    return Reply("\n".join(lines))


# ---------------------------------------------------------------------------- off, on


async def _off(svc: Services, person: Person, tr: Translator, words: Words) -> Reply:
    if len(words) != 1:
        return usage_of(tr, "off")
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
        return usage_of(tr, "on")
    async with svc.db.session() as session:
        unit = await scopes.find_unit(session, words[0])
        if unit is None:
            return unknown_unit(tr, words[0])
        if unit.active:
            return Reply(tr.gettext("{unit} is already active.", unit=unit_text(unit)))
        parent = await session.get(Unit, unit.parent_id) if unit.parent_id else None
        if parent is not None and not parent.active:
            return misplaced_reply(tr, Misplaced.INACTIVE_PARENT, unit.level, parent)
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
        return usage_of(tr, "pop")
    value = read_population(tr, words[1])
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
