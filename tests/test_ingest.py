"""Ingestion: drafts of the seed documents reproduce the curated plan files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from knowledge.ingest import build_draft, ingest_file, score_plan, to_plan
from knowledge.ingest.__main__ import curated_by_source, main, score_table
from knowledge.ingest.values import parse_clause, to_number
from knowledge.loader import SOURCES_DIR
from knowledge.provenance import normalize_source
from knowledge.schema import Plan

SOURCES = sorted(SOURCES_DIR.glob("*.txt"))
CURATED = curated_by_source()
MIN_RIGHT = 0.9


def _curated(source: Path) -> Plan:
    plan = CURATED.get(source.name)
    if not isinstance(plan, Plan):
        pytest.skip(f"no valid curated file for {source.name} yet ({plan or 'none'})")
    return plan


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_draft_reproduces_the_curated_values_and_leads(source: Path) -> None:
    curated = _curated(source)
    draft = to_plan(ingest_file(source))
    if not curated.targets:
        assert not draft.targets
        return
    score = score_plan(draft, curated)
    detail = "\n".join(score.misses)
    assert score.values_total > 0
    assert score.values_fraction >= MIN_RIGHT, detail
    assert score.leads_fraction >= MIN_RIGHT, detail


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_draft_validates_and_cites_its_source(source: Path) -> None:
    draft = ingest_file(source)
    plan = to_plan(draft)
    text = normalize_source(source.read_text(encoding="utf-8")).casefold()
    quoted = [t.text for t in plan.targets] + [g.title for g in plan.goals]
    quoted += [v.text for t in plan.targets for i in t.indicators for v in i.values]
    quoted += [o.name for t in plan.targets for o in (t.lead or []) + (t.coordinating or [])]
    quoted += [o.name for o in plan.offices] + [d.text for d in plan.deadlines]
    missing = [q for q in quoted if normalize_source(q).casefold() not in text]
    assert not missing


def test_cli_writes_a_draft_that_loads(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    source = next(s for s in SOURCES if "Chỉ tiêu 1:" in s.read_text(encoding="utf-8"))
    out = tmp_path / "draft.yaml"
    assert main([str(source), "-o", str(out)]) == 0
    plan = Plan.model_validate(yaml.safe_load(out.read_text(encoding="utf-8")))
    assert plan.document.file == source.name
    assert len(plan.targets) == 24
    assert "could not parse" in capsys.readouterr().err or not ingest_file(source).problems


def test_a_document_without_targets_lists_what_is_missing() -> None:
    draft = build_draft("KẾ HOẠCH\n\nVề một việc khác\n\nNội dung không theo mẫu.\n", "x.txt")
    assert draft.plan["targets"] == []
    assert any("no numbered targets" in p for p in draft.problems)
    assert any("document.number" in p for p in draft.problems)
    assert "could not parse" in draft.to_yaml().casefold()


def test_a_plan_without_numbered_targets_says_so() -> None:
    source = next((s for s in SOURCES if "Chỉ tiêu 1" not in s.read_text(encoding="utf-8")), None)
    if source is None:
        pytest.skip("every seed has numbered targets")
    draft = ingest_file(source)
    assert not draft.plan["targets"]
    assert any("no numbered targets" in p for p in draft.problems)
    to_plan(draft)


def test_empty_document_does_not_crash() -> None:
    draft = build_draft("", "empty.txt")
    assert draft.problems
    to_plan(draft)


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        (
            "Tỷ lệ X đạt 75% vào năm 2025 và 85% vào năm 2030",
            [(2025, "reach", 75, "%"), (2030, "reach", 85, "%")],
        ),
        (
            "Giảm tỷ suất tử vong trẻ sơ sinh trên 1.000 trẻ đẻ sống dưới 9,5 vào năm 2025",
            [(2025, "below", 9.5, "per_1000_live_births")],
        ),
        (
            "Giảm tỷ suất trẻ em bị tai nạn thương tích xuống 550/100.000 trẻ em vào năm 2025",
            [(2025, "down_to", 550, "per_100000_children")],
        ),
        (
            "xuống dưới 5% đối với nông thôn và dưới 10% đối với thành thị "
            "vào năm 2025 và năm 2030",
            [
                (2025, "below", 5, "%"),
                (2030, "below", 5, "%"),
                (2025, "below", 10, "%"),
                (2030, "below", 10, "%"),
            ],
        ),
        (
            "duy trì mức giảm số cuộc tảo hôn từ 2 đến 3% hằng năm giai đoạn 2025 - 2030",
            [(None, "range", 2, "%")],
        ),
        (
            "giảm tỷ suất tử vong trẻ em dưới 5 tuổi trên 1.000 trẻ đẻ sống dưới 12 ‰",
            [(None, "below", 12, "per_1000_live_births")],
        ),
        (
            "xuống dưới 4,5% vào năm 2025 và duy trì đến năm 2030",
            [(2025, "below", 4.5, "%"), (2030, "maintain", 4.5, "%")],
        ),
    ],
)
def test_values_in_a_clause(clause: str, expected: list[tuple]) -> None:
    got = [
        (item["year"], item["comparator"], item["value"], item["unit"])
        for v in parse_clause(clause)
        for item in v.as_values()
    ]
    assert got == expected


def test_vietnamese_numbers() -> None:
    assert to_number("9,5") == 9.5
    assert to_number("1.000") == 1000
    assert to_number("03") == 3


def test_score_table_lists_every_source() -> None:
    table = score_table()
    for source in SOURCES:
        assert source.name in table


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("Tỷ lệ trẻ em được tiêm chủng đạt ít nhất 80% vào năm 2025",
         [("at_least", 80, "%", [2025])]),
        ("Giảm 5% số vụ xâm hại so với năm 2020 vào năm 2025", [("reduce_by", 5, "%", [2025])]),
        ("Tỷ lệ tảo hôn không quá 2% vào năm 2030", [("at_most", 2, "%", [2030])]),
        ("Tỷ suất 3/10.000 trẻ em vào năm 2025", [("reach", 3, "per_10000_children", [2025])]),
        ("Tỷ lệ hộ tịch đạt 99,1 % vào 2025 và 99.3% đến 2030",
         [("reach", 99.1, "%", [2025]), ("reach", 99.3, "%", [2030])]),
        ("Tỷ suất tử vong dưới 18.5‰ vào năm 2025", [("below", 18.5, "‰", [2025])]),
    ],
)
def test_comparators_values_and_years_as_other_provinces_write_them(
    clause: str, expected: list[tuple]
) -> None:
    from knowledge.ingest.values import parse_clause

    found = [(v.comparator, v.value, v.unit, v.years) for v in parse_clause(clause)]
    assert found == expected


def test_no_case_at_all_is_a_value_of_zero() -> None:
    from knowledge.ingest.values import maintain_without_number

    value = maintain_without_number("Không có trẻ em bị bỏ rơi vào năm 2025")
    assert value is not None and (value.comparator, value.value, value.years) == (
        "none", 0, [2025])


def test_a_national_programme_is_national() -> None:
    from knowledge.ingest.header import parse_header

    text = ("THỦ TƯỚNG CHÍNH PHỦ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 23/QĐ-TTg\n"
            "Hà Nội, ngày 07 tháng 01 năm 2021\n\nQUYẾT ĐỊNH\nPhê duyệt Chương trình hành "
            "động quốc gia vì trẻ em giai đoạn 2021 - 2030\n")
    header = parse_header(text)
    assert (header.level, header.jurisdiction) == ("national", "Việt Nam")
    assert (header.number, header.period_start, header.period_end) == ("23/QĐ-TTg", 2021, 2030)


def test_score_one_document_against_a_curated_file(capsys: pytest.CaptureFixture[str]) -> None:
    from knowledge.ingest.__main__ import main
    from knowledge.loader import PLANS_DIR, SOURCES_DIR

    assert main(["--score", str(SOURCES_DIR / "004_8e64bc35fbf3c501.txt"), "--against",
                 str(PLANS_DIR / "tra-vinh-2021-2030.yaml")]) == 0
    out = capsys.readouterr().out
    assert "values                 63/63 (100%)" in out and "document facts" in out
