"""Every fact in the knowledge base is found in its source document's text."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.loader import (
    PLANS_DIR,
    PlanFileError,
    load_plan_file,
    load_plans,
    outline_of,
    source_text,
)
from knowledge.provenance import cited, facts, in_section, normalize_source, value_problems
from knowledge.schema import Office

PLANS = load_plans()


@pytest.mark.parametrize("plan_id", sorted(PLANS))
def test_every_fact_is_in_the_section_it_cites(plan_id: str) -> None:
    """Sections are the document's own: each cited one exists in its section tree, and the
    fact is written there (or, for an office's name, in the heading above it)."""
    plan = PLANS[plan_id]
    outline = outline_of(plan)
    wrong = [f"{where} → {section}: {text[:70]!r}"
             for where, text, section, office in cited(plan)
             if not in_section(outline, section, text, office)]
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
        for where, text in facts(plan)
        if normalize_source(text).casefold() not in source
    ]
    assert not missing, f"{plan_id}: not found in {plan.document.file}:\n" + "\n".join(missing)


@pytest.mark.parametrize("plan_id", sorted(PLANS))
def test_values_match_their_written_text(plan_id: str) -> None:
    """The number stored for a value is the number written in its text."""
    assert value_problems(PLANS[plan_id]) == []


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
