"""The privacy screen over corpora of ordinary and personal messages, read as the chat reads
them: questions leniently, report messages and notes strictly (usecases.screening builds the
screen the bot uses: places, the plans' words, the units in the database).

The corpora in tests/privacy/ were written by people who had not seen the screen; the
``*_heldout`` files were written after it, and first run without any change to it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from knowledge.loader import default_plans
from reports.privacy import AGE, KINDS, Screen
from reports.proper_names import known_names
from tests.test_question_set import load_questions
from usecases.screening import ScreenSource

CORPUS = Path(__file__).resolve().parent / "privacy"
#: Figures printed at the end of the run (tests/conftest.py).
FIGURES: dict[str, str] = {}
PROVINCES = known_names()[:63]


@cache
def screen() -> Screen:
    return ScreenSource(default_plans()).screen


def _load(name: str) -> list[dict]:
    items: list[dict] = []
    for path in sorted(CORPUS.glob(f"{name}*.yaml")):
        items += yaml.safe_load(path.read_text(encoding="utf-8"))
    return items


def ordinary_messages() -> list[tuple[str, str]]:
    """(text, how the chat reads it): the corpora, every question of the question set,
    "trẻ em <province>" for all 63 provinces, years, periods and large numbers."""
    items = [(i["text"], "report" if i["kind"] in ("report", "reason") else "question")
             for i in _load("ordinary")]
    items += [(item["q"], "question") for _qid, item in load_questions()]
    for province in PROVINCES:
        items += [(f"trẻ em {province}", "question"), (f"tre em {province} 2025", "question"),
                  (f"chỉ tiêu 14 của {province} năm 2030", "question")]
    items += [(text, "question") for text in (
        "targets up to 2030", "from 2021 to 2030", "to 2030", "born in 2025", "sinh năm 2025",
        "kinh phí 100000000 đồng", "kinh phi 1.000.000.000 dong", "5 tỷ đồng năm 2025",
        "tỷ lệ trẻ sơ sinh năm 2025 được đăng ký khai sinh", "trẻ em Việt Nam",
        "trẻ em Kon Rẫy 2025", "Hồ Chí Minh City", "Ho Chi Minh City targets",
        "tổng đài 111", "đường dây nóng 111", "chỉ tiêu 14 năm 2025 ở Thành phố Hồ Chí Minh",
        "Quyết định 4063/QĐ-UBND ngày 25/11/2022", "giai đoạn 2021 - 2030",
        "trẻ dưới 6 tuổi", "trẻ em từ 6 đến 18 tuổi", "children under 5", "children aged 6-18",
        "trẻ em 5 tuổi đi học mẫu giáo", "chỉ tiêu 3 trẻ dưới 5t",
    )]
    items += [(f"bc t{m}/2025 xh {m % 3} tntt {m} th 0", "report") for m in range(1, 13)]
    items += [(f"báo cáo năm {year}", "report") for year in (2000, 2021, 2025, 2030, 2100)]
    return items


def personal_messages() -> list[dict]:
    return _load("personal")


def test_the_corpora_are_large_enough_and_well_formed() -> None:
    ordinary, personal = ordinary_messages(), personal_messages()
    assert len(ordinary) >= 300 and len(personal) >= 150
    assert all(set(i["kinds"]) <= set(KINDS) and i["kinds"] for i in personal)
    langs = {i["lang"] for i in personal}
    assert langs == {"vi", "en"}


def test_no_ordinary_message_is_flagged() -> None:
    flagged = [(text, mode, found) for text, mode in ordinary_messages()
               if (found := getattr(screen(), mode)(text))]
    total = len(ordinary_messages())
    FIGURES["ordinary"] = f"{total - len(flagged)}/{total} ordinary messages passed"
    assert not flagged, "\n".join(f"{found} {mode}: {text!r}" for text, mode, found in flagged)


def test_personal_details_are_caught_in_reports() -> None:
    items = personal_messages()
    missed = [i["text"] for i in items if not screen().report(i["text"])]
    caught = len(items) - len(missed)
    ordinary = ordinary_messages()
    false_alarms = sum(1 for text, mode in ordinary if getattr(screen(), mode)(text))
    precision = caught / (caught + false_alarms) if caught else 0.0
    recall = caught / len(items)
    FIGURES["personal"] = (f"recall {recall:.1%} ({caught}/{len(items)} personal caught), "
                           f"precision {precision:.1%} ({false_alarms} false alarms in "
                           f"{len(ordinary)} ordinary)")
    assert recall >= 0.98, "missed:\n" + "\n".join(map(repr, missed))


def test_most_kinds_are_named_right() -> None:
    """The refusal names what it saw: each kind written into the corpus is found in most of
    the messages that hold it (a message is refused as soon as one kind is found)."""
    for kind in KINDS:
        holding = [i["text"] for i in personal_messages() if kind in i["kinds"]]
        found = [t for t in holding if kind in screen().report(t)]
        assert len(found) >= 0.9 * len(holding), (kind, len(found), len(holding))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("SĐT mẹ cháu 0912345678", "phone"),
        ("liên hệ 0912 345 678", "phone"),
        ("0912.345.678", "phone"),
        ("gọi 091-234-5678", "phone"),
        ("0912/345/678", "phone"),
        ("+84 912 345 678", "phone"),
        ("(+84) 912345678", "phone"),
        ("09\u200b12 34\u200b5 678", "phone"),
        ("０９１２３４５６７８", "phone"),
        ("số bàn 028 3822 1234", "phone"),
        ("CCCD 079203001234", "id_number"),
        ("số 079203001234", "id_number"),
        ("cmnd: 123456789", "id_number"),
        ("cmnd của mẹ cháu: 271 234 567", "id_number"),
        ("em Nguyễn Văn A", "name"),
        ("chau Lan bi danh", "name"),
        ("bé Hoa bị ngã", "name"),
        ("em Nguyễn Thị Bình bị bạo lực", "name"),
        ("Trần Văn Nam", "name"),
        ("tran van nam", "name"),
        ("nạn nhân là Trần Thị B", "name"),
        ("tên là lan", "name"),
        ("Tr\u200bần Th\u00adị Hoa", "name"),
        ("victim John Smith", "name"),
        ("name: Mai", "name"),
        ("H'Hen Niê bị đánh", "name"),
        ("9 tuổi", "age"),
        ("cháu 7t", "age"),
        ("age 9", "age"),
        ("a 9 years old girl", "age"),
        ("số 12 đường Lê Lợi", "address"),
        ("số nhà 7", "address"),
        ("hẻm 34", "address"),
        ("ngõ 3", "address"),
        ("ấp 3", "address"),
        ("tổ 5", "address"),
        ("thôn 2", "address"),
        ("ấp Bình An", "address"),
        ("mail: canbo.xa@gmail.com", "email"),
        ("sinh ngày 01/02/2015", "birth_date"),
        ("sinh nam 2015", "birth_date"),
        ("ns: 3/4/2016", "birth_date"),
        ("DOB 2015-03-12", "birth_date"),
        ("born on 12 March 2015", "birth_date"),
    ],
)
def test_each_kind_in_a_report(text: str, kind: str) -> None:
    assert kind in screen().report(f"bc t10 xh 1 tntt 0 th 0, {text}")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("em Lan 9 tuổi bị đánh thì báo ai?", AGE),
        ("tên cháu là Trần Văn B, báo cho ai?", "name"),
        ("gọi 0912 345 678 được không?", "phone"),
        ("sinh ngày 12/3/2015 có được khai sinh muộn không", "birth_date"),
    ],
)
def test_clear_details_in_questions_are_noticed(text: str, kind: str) -> None:
    assert kind in screen().question(text)


def test_a_unit_in_the_database_is_a_place() -> None:
    """A commune named after a person ("Lê Lợi") is a place once it is a unit."""
    report = "bc Lê Lợi t10/2025 xh 0 tntt 1 th 0"
    assert "name" in screen().report(report)
    with_unit = Screen(screen().vocabulary.with_phrases(["Xã Lê Lợi"]))
    assert with_unit.report(report) == ()


def test_kinds_come_in_kind_order() -> None:
    found = screen().report("em Lan 7 tuổi, ấp 3, mẹ 0912345678, sinh ngày 1/2/2018")
    assert list(found) == [k for k in KINDS if k in found]
    assert set(found) >= {"name", "age", "address", "phone", "birth_date"}


@pytest.mark.parametrize("text", ["a" * 4096, "1." * 2048, "Aaaa " * 800, "em " * 1365, ""])
def test_long_or_odd_input_is_handled(text: str) -> None:
    assert isinstance(screen().report(text), tuple)
    assert isinstance(screen().question(text), tuple)
