"""The report conversation's Telegram-free parts: typed answers and the draft's steps."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from kernel.calendar import Month
from kernel.clock import VN_TZ
from reports.problems import Code
from reports.reasons import OTHER, read_reason, reason_from_text
from usecases.reporting.draft import CONFIRM, COUNT, DETAILS, MONTH, REASON, Draft
from usecases.reporting.inputs import read_count, read_details, read_month

TODAY = date(2025, 11, 3)


@pytest.mark.parametrize(
    ("text", "value"),
    [("0", 0), (" 5 ", 5), ("5 ca", 5), ("12 vụ", 12), ("３", 3), ("1.500", None),
     ("hai", 2), ("mười hai", 12), ("two", 2), ("không", 0), ("ko có", 0),
     ("không có ca nào", 0), ("none", 0), ("năm ca", 5)],
)
def test_read_count_accepts_whole_numbers(text: str, value: int | None) -> None:
    result = read_count(text, "abuse")
    assert result.value == value
    if value is None:
        assert result.problem is not None and result.problem.code is Code.TOO_LARGE


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("-1", Code.NEGATIVE),
        ("- 3", Code.NEGATIVE),
        ("2.5", Code.NOT_INTEGER),
        ("2,5", Code.NOT_INTEGER),
        ("hai ba", None),
        ("không có 2", None),
        ("99999", Code.TOO_LARGE),
        ("abc", None),
        ("", None),
        ("2 3", None),
    ],
)
def test_read_count_explains_what_is_wrong(text: str, code: Code | None) -> None:
    result = read_count(text, "injury")
    assert result.value is None
    assert (result.problem.code if result.problem else None) == code


def test_read_details_checks_fields_and_totals() -> None:
    ok = read_details("bạo lực 1, tình dục 1", "abuse", {"abuse": 2}, today=TODAY)
    assert ok.ok and ok.values == {"abuse_violence": 1, "abuse_sexual": 1}
    over = read_details("bao luc 3", "abuse", {"abuse": 2}, today=TODAY)
    assert not over.ok and over.problems[0].code is Code.BREAKDOWN_EXCEEDS
    summed = read_details("bao luc 2 tinh duc 1", "abuse", {"abuse": 2}, today=TODAY)
    assert [p.code for p in summed.problems] == [Code.BREAKDOWN_SUM_EXCEEDS]
    foreign = read_details("duoi nuoc 1", "abuse", {"abuse": 2}, today=TODAY)
    assert foreign.foreign == ["injury_drowning"] and not foreign.ok
    vague = read_details("linh tinh", "injury", {"injury": 2}, today=TODAY)
    assert not vague.ok and not vague.understood
    monthly = read_details("t10", "injury", {"injury": 2}, today=TODAY)
    assert not monthly.understood


def test_read_month_and_reason() -> None:
    assert read_month("10/2025", TODAY) == Month(2025, 10)
    assert read_month("tháng 9", TODAY) == Month(2025, 9)
    assert read_month("t12", TODAY) == Month(2024, 12)
    assert read_month("tháng mười", TODAY) == Month(2025, 10)
    assert read_month("báo cáo tháng 10/2025", TODAY) == Month(2025, 10)
    assert read_month("tháng 10 xh 2", TODAY) is None
    assert read_reason("nhập nhầm số liệu") == "entry_mistake"
    assert read_reason("bo sot 1 ca") == "found_late"
    assert read_reason("sau khi xác minh với trạm y tế") == "verified"
    assert read_reason("one case was counted twice") == "duplicate"
    assert read_reason("theo yêu cầu Trung tâm y tế") is None  # "Trung", not "trùng"
    assert read_reason("nhập nhầm, trùng ca") is None  # two reasons: the buttons decide
    assert reason_from_text("  theo   yêu cầu của huyện ") == (OTHER, "theo yêu cầu của huyện")
    assert reason_from_text("ok") is None and reason_from_text("12345") is None
    assert reason_from_text("a" * 101) is None


def test_draft_walks_the_steps_and_survives_json() -> None:
    draft = Draft(1, "C11", "Xã A")
    assert draft.advance() == MONTH
    draft.set_month(Month(2025, 10))
    assert (draft.advance(), draft.field) == (COUNT, "abuse")
    draft.counts["abuse"] = 2
    assert (draft.advance(), draft.field) == (DETAILS, "abuse")
    draft.details_done.append("abuse")
    draft.counts["injury"] = 0  # no details asked for zero cases
    assert (draft.advance(), draft.field) == (COUNT, "marriage")
    draft.counts["marriage"] = 0
    assert draft.advance() == CONFIRM
    draft.replaces_version = 1
    assert draft.advance() == REASON
    again = Draft.from_data(draft.to_data())
    assert again == draft and again.report_month == Month(2025, 10)
    assert Draft.from_data({"unexpected": 1}) is None and Draft.from_data(None) is None


def test_draft_expires_a_day_after_the_last_answer() -> None:
    now = datetime(2025, 11, 3, 9, tzinfo=VN_TZ)
    draft = Draft(1, "C11", "Xã A")
    assert not draft.is_stale(now)  # never touched: nothing to measure from
    draft.touch(now)
    assert not draft.is_stale(now + timedelta(hours=23))
    assert draft.is_stale(now + timedelta(hours=25))
    draft.touched = "garbage"
    assert draft.is_stale(now)
