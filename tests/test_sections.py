"""Each plan document as a tree of numbered sections: nothing of the document is lost, the
numbers are the ones it prints, and a passage is quoted whole or cut at a sentence end."""

from __future__ import annotations

import re

import pytest

from knowledge.loader import load_plans, outline_of, source_text
from knowledge.provenance import normalize_source
from knowledge.sections import Move, paragraphs, parse_outline, quote

pytestmark = pytest.mark.unit

PLANS = load_plans()
_SIGNED = re.compile(r"^(Nơi nhận|KT\.|TM\.)", re.IGNORECASE)


def _kept_paragraphs(text: str) -> list[str]:
    """The document's paragraphs without its signature blocks ("Nơi nhận:" up to the plan
    that follows, or the end) and bare document titles."""
    kept, skipping = [], False
    for para in paragraphs(text):
        if para.upper() in ("KẾ HOẠCH", "QUYẾT ĐỊNH", "QUYẾT ĐỊNH:"):
            skipping = False
            continue
        if _SIGNED.match(para):
            skipping = True
        if not skipping:
            kept.append(para)
    return kept


@pytest.mark.parametrize("plan_id", sorted(PLANS))
def test_every_paragraph_is_in_the_tree(plan_id: str) -> None:
    plan = PLANS[plan_id]
    tree = _flat(outline_of(plan).root.text())
    lost = []
    for para in _kept_paragraphs(source_text(plan)):
        body = re.sub(r"^(?:[IVX]+\.|Điều \d+\.|\d+(?:\.\d+)*\.|[a-zđ]\)|[-+•]|\(\d+\))\s*",
                      "", para)
        if _flat(body.rstrip("/.")) not in tree:
            lost.append(para[:80])
    # The only paragraphs a plan loses are what follows its last sentence ("./."): signatures.
    assert len(lost) <= 2, f"{plan_id}: paragraphs missing from the tree: {lost}"


def _flat(text: str) -> str:
    """Compared without colons: "2.3. Sở Tài chính: Căn cứ …" is heading "Sở Tài chính" and
    text "Căn cứ …" in the tree."""
    return normalize_source(text.replace(":", " ")).casefold()


def _ids(plan_id: str, parent: str) -> list[str]:
    section = outline_of(PLANS[plan_id]).section(parent)
    assert section is not None, parent
    return [c.id for c in section.children]


def test_section_numbers_are_the_printed_ones() -> None:
    """Checked against the documents by eye."""
    rach_gia = outline_of(PLANS["rach-gia-2021-2030"])
    assert [s.id for s in rach_gia.top()] == ["mở đầu", "I", "II", "III", "IV", "V"]
    assert _ids("rach-gia-2021-2030", "V") == [f"V.{n}" for n in range(1, 12)]
    assert rach_gia.section("IV").title == "KINH PHÍ THỰC HIỆN"
    assert rach_gia.section("V.4").title == "Phòng Giáo dục và Đào tạo"
    # Trà Vinh 2021 skips item 5 of its organisation section
    assert _ids("tra-vinh-2021-2030", "IV") == [f"IV.{n}" for n in (1, 2, 3, 4, *range(6, 14))]
    assert _ids("tra-vinh-2021-2030", "IV.1") == [f"IV.1.{c}" for c in "abcdđ"]
    # HCMC prints goal 1 as "1." under "1. Nhóm Mục tiêu, Chỉ tiêu" and goals 2-4 as 1.2-1.4
    assert _ids("hcmc-2022-2030", "III.1") == [f"III.1.{n}" for n in range(1, 5)]
    assert _ids("hcmc-2022-2030", "III.2") == [f"III.2.{n}" for n in range(1, 8)]
    assert _ids("hcmc-2022-2030", "V.2") == [f"V.2.{n}" for n in range(1, 12)]
    assert _ids("hcmc-2022-2030", "Quyết định") == [f"Quyết định, Điều {n}" for n in (1, 2, 3)]
    assert _ids("kon-ray-2022", "IV") == [f"IV.{n}" for n in range(1, 7)]
    assert _ids("tra-vinh-2024", "V") == [f"V.{n}" for n in range(1, 15)]


def test_bullets_are_points_of_their_section() -> None:
    section = outline_of(PLANS["rach-gia-2021-2030"]).section("V.4")
    assert [p.point for p in section.passages] == [1, 2, 3, 4]
    assert section.passages[0].text.startswith("Triển khai, thực hiện các chỉ tiêu 7, 15")


def test_a_sentence_split_by_a_page_break_is_joined() -> None:
    text = ("II. MỤC TIÊU\n\n1. Chung\n\n- Tỷ lệ trẻ em hoàn thành cấp tiểu học đạt 95% vào "
            "năm\n\n2025 và 97% vào năm 2030.\n\n- Một ý khác.")
    outline = parse_outline(text)
    assert [p.text for p in outline.section("II.1").passages] == [
        "Tỷ lệ trẻ em hoàn thành cấp tiểu học đạt 95% vào năm 2025 và 97% vào năm 2030.",
        "Một ý khác.",
    ]


def test_a_closing_paragraph_is_moved_to_its_part() -> None:
    text = ("V. TỔ CHỨC\n\n1. Phòng Tư pháp\n\n- Thực hiện chỉ tiêu 14.\n\n"
            "Ủy ban yêu cầu các đơn vị.")
    assert outline_text(parse_outline(text), "V.1").endswith("Ủy ban yêu cầu các đơn vị.")
    moved = parse_outline(text, [Move("Ủy ban yêu cầu", "V")])
    assert [p.text for p in moved.section("V").passages] == ["Ủy ban yêu cầu các đơn vị."]
    with pytest.raises(ValueError, match="no section"):
        parse_outline(text, [Move("Ủy ban yêu cầu", "IX")])


def outline_text(outline, section_id: str) -> str:
    return outline.section(section_id).text()


def test_quotes_end_at_a_sentence() -> None:
    text = "Câu một ngắn. Câu hai dài hơn một chút; vế sau. Câu ba rất dài " + "chữ " * 80
    assert quote(text, 60) == "Câu một ngắn. Câu hai dài hơn một chút; vế sau…"
    assert quote("Ngắn.", 60) == "Ngắn."
    long_one = "Một câu " + "rất dài, có dấu phẩy " * 20 + "cuối."
    cut = quote(long_one, 80)
    assert len(cut) <= 81 and cut.endswith("…") and "," not in cut[-3:]
