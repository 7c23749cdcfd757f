"""Every fact in the knowledge base is found in its source document's text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.ingest.duties import COLLECTIVE_WORDS
from knowledge.loader import (
    PLANS_DIR,
    PlanFileError,
    load_plan_file,
    load_plans,
    outline_of,
    source_text,
)
from knowledge.provenance import normalize_source
from knowledge.schema import Office, Plan
from knowledge.sections import Outline

PLANS = load_plans()


def _facts(plan: Plan) -> Iterator[tuple[str, str]]:
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


def _cited(plan: Plan) -> Iterator[tuple[str, str, str, bool]]:
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


def _in_section(outline: Outline, section_id: str, text: str, office: bool) -> bool:
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


@pytest.mark.parametrize("plan_id", sorted(PLANS))
def test_every_fact_is_in_the_section_it_cites(plan_id: str) -> None:
    """Sections are the document's own: each cited one exists in its section tree, and the
    fact is written there (or, for an office's name, in the heading above it)."""
    plan = PLANS[plan_id]
    outline = outline_of(plan)
    wrong = [f"{where} → {section}: {text[:70]!r}"
             for where, text, section, office in _cited(plan)
             if not _in_section(outline, section, text, office)]
    assert not wrong, f"{plan_id}: not in the section they cite:\n" + "\n".join(wrong)


@pytest.mark.parametrize("plan_id", sorted(PLANS))
def test_duties_name_the_plans_offices(plan_id: str) -> None:
    plan = PLANS[plan_id]
    names = {o.name for o in plan.offices}
    assert plan.duties, plan_id
    assert not [d.office for d in plan.duties if d.office not in names]


def test_funding_is_recorded_or_not_stated() -> None:
    for plan in PLANS.values():
        assert plan.funding is not None, plan.id
        if plan.funding.section is None:
            assert "funding.section" in plan.not_stated, plan.id
        if not plan.funding.sources:
            assert "funding.sources" in plan.not_stated, plan.id


@pytest.mark.parametrize("plan_id", sorted(PLANS))
def test_every_fact_is_in_the_source(plan_id: str) -> None:
    plan = PLANS[plan_id]
    source = normalize_source(source_text(plan)).casefold()
    missing = [
        f"{where}: {text!r}"
        for where, text in _facts(plan)
        if normalize_source(text).casefold() not in source
    ]
    assert not missing, f"{plan_id}: not found in {plan.document.file}:\n" + "\n".join(missing)


@pytest.mark.parametrize("plan_id", sorted(PLANS))
def test_values_match_their_written_text(plan_id: str) -> None:
    """The number stored for a value is the number written in its text."""
    plan = PLANS[plan_id]
    for target in plan.targets:
        for ind in target.indicators:
            for value in ind.values:
                if value.value is None:
                    continue
                written = value.text.replace(".", "").replace(",", ".")
                number = f"{value.value:g}"
                assert number in written or f"{value.value:.1f}" in written or (
                    number.lstrip("0") in written.lstrip("0")
                ), f"{plan_id} target {target.number} {ind.id}: {value.value} vs {value.text!r}"


def test_all_plans_have_sections_and_ids() -> None:
    assert len(PLANS) == 5
    for plan in PLANS.values():
        for target in plan.targets:
            assert target.section
            for office in (target.lead or []) + (target.coordinating or []):
                assert isinstance(office, Office) and office.section


def test_numbered_plans_have_24_targets() -> None:
    for plan in PLANS.values():
        if plan.targets:
            assert sorted(t.number for t in plan.targets) == list(range(1, 25)), plan.id


def test_gaps_are_recorded_not_filled() -> None:
    kon_ray = next(p for p in PLANS.values() if p.document.file.startswith("001_"))
    assert all(t.lead is None for t in kon_ray.targets)
    assert kon_ray.not_stated
    rach_gia = next(p for p in PLANS.values() if p.document.file.startswith("000_"))
    assert rach_gia.document.number is None and rach_gia.document.date is None
    assert "document.number" in rach_gia.not_stated


def test_signers_are_as_printed_or_not_stated() -> None:
    """The signature block: the signer's name (checked with the facts) and each part of the
    title ("KT. Chủ tịch", "Phó Chủ tịch"), printed in capitals, are in the source."""
    for plan in PLANS.values():
        doc = plan.document
        if doc.signer is None:
            assert "document.signer" in plan.not_stated, plan.id
            continue
        text = " ".join(normalize_source(source_text(plan)).replace("*", "").split()).casefold()
        assert doc.signer_title, plan.id
        for part in doc.signer_title.split(", "):
            assert part.casefold() in text, (plan.id, part)


def test_a_malformed_file_names_the_file_and_field(tmp_path: Path) -> None:
    good = (PLANS_DIR / "kon-ray-2022.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "broken.yaml"
    bad.write_text(good.replace("level: district", "level: planet"), encoding="utf-8")
    with pytest.raises(PlanFileError) as err:
        load_plan_file(bad)
    assert "broken.yaml" in str(err.value) and "level" in str(err.value)
