"""Provenance: every fact of a plan file is written in its source document, in the section it
cites (used by ``python -m knowledge.ingest --check`` and ``tests/test_provenance.py``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from knowledge.schema import Plan
    from knowledge.sections import Outline

#: "Các cơ quan, ban, ngành …": a collective name is matched on its first words.
COLLECTIVE_WORDS = 5

_MARKDOWN = re.compile(r"\*+|(?<!\w)_+|_+(?!\w)")
_BULLET = re.compile(r"(?m)^\s*(?:[-+•]\s+)+")
_SPACE = re.compile(r"\s+")


def normalize_source(text: str) -> str:
    """Drop Markdown emphasis and bullet markers, collapse whitespace (page breaks too)."""
    text = _BULLET.sub("", text)
    text = _MARKDOWN.sub("", text)
    return _SPACE.sub(" ", text).strip()


def facts(plan: Plan) -> Iterator[tuple[str, str]]:
    """(where, text) for every value, office and quoted text of a plan."""
    for goal in plan.goals:
        yield f"goal {goal.number} title", goal.title
    for target in plan.targets:
        yield f"target {target.number} text", target.text
        for ind in target.indicators:
            for value in ind.values:
                yield f"target {target.number} indicator {ind.id} {value.year}", value.text
        for role, offices in (("lead", target.lead), ("coordinating", target.coordinating)):
            for office in offices or []:
                yield f"target {target.number} {role}", office.name
    for obj in plan.objectives:
        yield f"objective {obj.id}", obj.text
        for value in obj.values:
            yield f"objective {obj.id} value", value.text
        for office in (obj.lead or []) + (obj.coordinating or []):
            yield f"objective {obj.id} office", office.name
    for group in plan.groups:
        yield f"group {group.id} title", group.title
        for i, criterion in enumerate(group.criteria, 1):
            yield f"group {group.id} criterion {i}", criterion
    for deadline in plan.deadlines:
        yield f"deadline {deadline.id}", deadline.text
    for office in plan.offices:
        yield "plan office", office.name
    if plan.document.signer:
        yield "document signer", plan.document.signer
    for i, duty in enumerate(plan.duties):
        yield f"duty {i} ({duty.office})", duty.text
    if plan.funding is not None:
        for clause in plan.funding.sources + plan.funding.principles:
            yield "funding", clause.text
    for deadline in plan.deadlines:
        for who in (deadline.reporter, deadline.recipient):
            if who:
                yield f"deadline {deadline.id} reporter/recipient", who


def cited(plan: Plan) -> Iterator[tuple[str, str, str, bool]]:
    """(where, text, section, is_office_name) for every fact that cites a section."""
    for goal in plan.goals:
        yield f"goal {goal.number}", goal.title, goal.section, False
    for target in plan.targets:
        yield f"target {target.number}", target.text, target.section, False
        for office in (target.lead or []) + (target.coordinating or []):
            yield f"target {target.number} office", office.name, office.section, True
    for obj in plan.objectives:
        yield f"objective {obj.id}", obj.text, obj.section, False
    for group in plan.groups:
        yield f"group {group.id}", group.title, group.section, False
    for deadline in plan.deadlines:
        yield f"deadline {deadline.id}", deadline.text, deadline.section, False
        for who in (deadline.reporter, deadline.recipient):
            if who:
                yield f"deadline {deadline.id} reporter/recipient", who, deadline.section, True
    for office in plan.offices:
        for section in office.section.split(", ") if "Điều" not in office.section else [
                office.section]:
            yield f"office {office.name}", office.name, section, True
    for i, duty in enumerate(plan.duties):
        yield f"duty {i}", duty.text, duty.section, False
        yield f"duty {i} office", duty.office, duty.section, True
    if plan.funding is not None:
        for clause in plan.funding.sources + plan.funding.principles:
            yield "funding", clause.text, clause.section, False


def in_section(outline: Outline, section_id: str, text: str, office: bool) -> bool:
    """The text is in the section (an office's name may be in a heading above it: "1. Sở Y tế
    chủ trì …: a) Thực hiện các chỉ tiêu 3, 4")."""
    section = outline.section(section_id)
    if section is None:
        return False
    needle = normalize_source(text).casefold()
    haystack = normalize_source(section.text()).casefold()
    if needle in haystack:
        return True
    if office:  # the documents write "UBND các phường, xã" or just "các phường, xã"
        haystack = haystack.replace("ubnd", "ủy ban nhân dân")
        collective = needle.removeprefix("ủy ban nhân dân ")
        if needle in haystack or (collective.startswith("các ") and collective in haystack):
            return True
        words = needle.split()  # "Các cơ quan, ban, ngành (, đoàn thể) cấp thành phố"
        if needle.startswith("các ") and " ".join(words[:COLLECTIVE_WORDS]) in haystack:
            return True
        with_cac = needle.replace("ủy ban nhân dân ", "ủy ban nhân dân các ", 1)
        if with_cac in haystack:  # "UBND các quận, huyện …"
            return True
    if office:
        node = section.parent
        while node is not None and node.id:
            heading = node.title or (node.passages[0].text if node.passages else "")
            if needle in normalize_source(heading).casefold():
                return True
            node = node.parent
    return False


def value_problems(plan: Plan) -> list[str]:
    """Values whose stored number is not the number written in their text."""
    wrong = []
    for target in plan.targets:
        for ind in target.indicators:
            for value in ind.values:
                if value.value is None:
                    continue
                written = value.text.replace(".", "").replace(",", ".")
                number = f"{value.value:g}"
                if not (number in written or f"{value.value:.1f}" in written
                        or number.lstrip("0") in written.lstrip("0")):
                    wrong.append(f"target {target.number} {ind.id}: {value.value} is not the "
                                 f"number of {value.text!r}")
    return wrong


def provenance_problems(plan: Plan, outline: Outline, source: str) -> list[str]:
    """Every fact not found in the source, or not in the section it cites."""
    text = normalize_source(source).casefold()
    problems = [f"{where}: not in the source: {fact[:70]!r}" for where, fact in facts(plan)
                if normalize_source(fact).casefold() not in text]
    problems += [f"{where}: not in section {section}: {fact[:70]!r}"
                 for where, fact, section, office in cited(plan)
                 if not in_section(outline, section, fact, office)]
    return problems + value_problems(plan)
