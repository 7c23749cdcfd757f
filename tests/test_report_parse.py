"""parse_report and looks_like_report: the forms officers type, and hostile input."""

from __future__ import annotations

from datetime import date

import pytest

from kernel.calendar import Month
from kernel.counts import CATEGORIES
from reports.parse import MAX_REPORT_CHARS, looks_like_report, parse_report
from reports.problems import Code

TODAY = date(2025, 11, 3)
FULL = {"abuse": 2, "injury": 5, "marriage": 0}


def codes(text: str, today: date = TODAY) -> set[Code]:
    return {p.code for p in parse_report(text, today=today).problems}


@pytest.mark.parametrize(
    ("text", "month", "counts"),
    [
        ("báo cáo tháng 10/2025: xâm hại 2, tai nạn thương tích 5, tảo hôn 0", (2025, 10), FULL),
        ("bao cao t10 xh 2 tntt 5 th 0", (2025, 10), FULL),
        ("/report 2025-10 abuse 2 injury 5 marriage 0", (2025, 10), FULL),
        ("BÁO CÁO THÁNG 10/2025: XÂM HẠI 2, TAI NẠN THƯƠNG TÍCH 5, TẢO HÔN 0", (2025, 10), FULL),
        ("tháng 9: XH: 0; TNTT: 3; TH: 1", (2025, 9), {"abuse": 0, "injury": 3, "marriage": 1}),
        ("thang 10 nam 2025 xh=2 tntt=5 th=0", (2025, 10), FULL),
        ("bc Oct 2025 abuse 2, injuries 5, child marriage 0", (2025, 10), FULL),
        ("report October 2025: abuse 2; injury 5; marriage 0", (2025, 10), FULL),
        ("bc 10/2025\nxh - 2\ntntt - 5\nth - 0", (2025, 10), FULL),
        ("bc t10/2025 xh-2 tntt-5 th-0", (2025, 10), FULL),
        ("xâm hại 2, tai nạn thương tích 5, tảo hôn 0", None, FULL),
        ("bc thg 10 xh 2 tntt 5 th 0", (2025, 10), FULL),
        ("bc tháng 10-2025 xh 2 tntt 5 th 0", (2025, 10), FULL),
        ("bc t.10 xh 2 tntt 5 th 0", (2025, 10), FULL),
        ("bc t10/25 xh 2 tntt 5 th 0", (2025, 10), FULL),
        ("Xam Hai 2 Tai Nan Thuong Tich 5 Tao Hon 0 thang 10", (2025, 10), FULL),
        ("bc 10/2025: xh 1.000 tntt 5 th 0", (2025, 10), {**FULL, "abuse": 1000}),
        ("bc 10/2025 xh 2 tntt 5 th 0 👍🙏", (2025, 10), FULL),
        ("bc １０/２０２５ xh ２ tntt ５ th ０", (2025, 10), FULL),
        ("ba\u0301o ca\u0301o tha\u0301ng 10/2025 xâm hại 2 tntt 5 tảo hôn 0", (2025, 10), FULL),
        ("bc 10/2025 số ca xâm hại 2 ca, tntt 5 vụ, tảo hôn 0 trường hợp", (2025, 10), FULL),
    ],
)
def test_complete_reports(text: str, month: tuple[int, int] | None, counts: dict) -> None:
    result = parse_report(text, today=TODAY)
    assert result.problems == []
    assert result.ok
    assert result.month == (Month(*month) if month else None)
    assert result.counts == counts
    assert result.case_counts() is not None


def test_breakdowns_in_brackets_and_of_which() -> None:
    text = "bc 10/2025 xam hai 2 (bao luc 1, tinh duc 1) tntt 5 trong do duoi nuoc 2 tao hon 0"
    result = parse_report(text, today=TODAY)
    assert result.problems == []
    assert result.counts == {
        **FULL,
        "abuse_violence": 1,
        "abuse_sexual": 1,
        "injury_drowning": 2,
    }
    counts = result.case_counts()
    assert counts is not None and counts.abuse_violence == 1 and counts.injury_traffic is None


def test_all_breakdowns_in_english() -> None:
    text = (
        "report 9/2025 abuse 6 (violence 1, sexual 2, exploitation 1, other 2), "
        "injury 7 (drowning 2, traffic 3, deaths 1), marriage 1"
    )
    result = parse_report(text, today=TODAY)
    assert result.problems == []
    assert result.counts == {
        "abuse": 6,
        "abuse_violence": 1,
        "abuse_sexual": 2,
        "abuse_exploitation": 1,
        "abuse_other": 2,
        "injury": 7,
        "injury_drowning": 2,
        "injury_traffic": 3,
        "injury_deaths": 1,
        "marriage": 1,
    }


def test_vietnamese_breakdown_words() -> None:
    text = (
        "bc 9/2025 xâm hại 4: bạo lực 1, xâm hại tình dục 1, bóc lột 1, khác 1; "
        "tai nạn thương tích 6: đuối nước 2, tai nạn giao thông 3, tử vong 1; tảo hôn 0"
    )
    result = parse_report(text, today=TODAY)
    assert result.problems == []
    assert result.counts["abuse_sexual"] == 1 and result.counts["abuse_other"] == 1
    assert result.counts["injury_traffic"] == 3 and result.counts["injury_deaths"] == 1


def test_other_after_injury_is_not_abuse() -> None:
    result = parse_report("xh 2 tntt 5 (duoi nuoc 2, khac 3) th 0", today=TODAY)
    assert "abuse_other" not in result.counts
    assert Code.UNKNOWN_WORDS in {p.code for p in result.problems}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bc t10 xh 2 tntt 5 th 0", Month(2025, 10)),
        ("bc t11 xh 2 tntt 5 th 0", Month(2025, 11)),  # current month: validation refuses it
        ("bc t12 xh 2 tntt 5 th 0", Month(2024, 12)),
        ("bc t1 xh 2 tntt 5 th 0", Month(2025, 1)),
        ("bc October xh 2 tntt 5 th 0", Month(2025, 10)),
        ("bc December xh 2 tntt 5 th 0", Month(2024, 12)),
    ],
)
def test_month_without_year_is_the_latest_one_started(text: str, expected: Month) -> None:
    assert parse_report(text, today=TODAY).month == expected


def test_year_inference_follows_today() -> None:
    assert parse_report("t12 xh 1 tntt 1 th 1", today=date(2026, 1, 2)).month == Month(2025, 12)
    assert parse_report("t12 xh 1 tntt 1 th 1", today=date(2025, 12, 31)).month == Month(2025, 12)


def test_partial_report_lists_missing_categories() -> None:
    result = parse_report("bc t10 xh 2", today=TODAY)
    assert result.counts == {"abuse": 2}
    assert not result.ok and result.case_counts() is None
    [missing] = [p for p in result.problems if p.code is Code.MISSING_CATEGORIES]
    assert missing.get("fields") == ("injury", "marriage")


@pytest.mark.parametrize(
    ("text", "code", "field", "shown"),
    [
        ("xh 2.5 tntt 5 th 0", Code.NOT_INTEGER, "abuse", "2.5"),
        ("xh 2,5 tntt 5 th 0", Code.NOT_INTEGER, "abuse", "2,5"),
        ("xh 2 tntt -1 th 0", Code.NEGATIVE, "injury", "-1"),
        ("xh: -3 tntt 1 th 0", Code.NEGATIVE, "abuse", "-3"),
        ("xh 20% tntt 5 th 0", Code.NOT_INTEGER, "abuse", "20%"),
    ],
)
def test_bad_numbers(text: str, code: Code, field: str, shown: str) -> None:
    result = parse_report(text, today=TODAY)
    matching = [p for p in result.problems if p.code is code]
    assert matching, result.problems
    assert matching[0].field == field and matching[0].get("text") == shown
    assert field not in result.counts
    # a category with a bad number is not also reported as missing
    assert Code.MISSING_CATEGORIES not in {p.code for p in result.problems}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("xh 1500 tntt 5 th 0", 1500),
        ("xh 1.500 tntt 5 th 0", 1500),
        ("xh 1,500 tntt 5 th 0", 1500),
        ("xh 10.000.000 tntt 5 th 0", 10_000_000),
        ("xh 99999999999999999999 tntt 5 th 0", 99999999999999999999),
    ],
)
def test_huge_numbers(text: str, value: int) -> None:
    result = parse_report(text, today=TODAY)
    [problem] = result.problems
    assert problem.code is Code.TOO_LARGE
    assert problem.get("value") == value and problem.field == "abuse"


def test_max_count_is_configurable() -> None:
    assert codes("xh 50 tntt 5 th 0") == set()
    assert Code.TOO_LARGE in {
        p.code for p in parse_report("xh 50 tntt 5 th 0", today=TODAY, max_count=40).problems
    }


def test_category_given_twice() -> None:
    result = parse_report("xh 2 tntt 5 th 0 xâm hại 3", today=TODAY)
    [conflict] = [p for p in result.problems if p.code is Code.CONFLICT]
    assert conflict.field == "abuse"
    assert (conflict.get("first"), conflict.get("second")) == (2, 3)
    assert result.counts["abuse"] == 2
    # the same number twice: the report was pasted twice, refused with how many times
    result = parse_report("xh 2 tntt 5 th 0 xh 2 tntt 5 th 0 xh 2 tntt 5 th 0", today=TODAY)
    assert [(p.code, p.get("times")) for p in result.problems] == [(Code.REPEATED, 3)]


def test_breakdown_above_total() -> None:
    result = parse_report("xh 1 (bao luc 2) tntt 5 th 0", today=TODAY)
    [problem] = result.problems
    assert problem.code is Code.BREAKDOWN_EXCEEDS
    assert problem.field == "abuse_violence" and problem.get("total_field") == "abuse"


def test_breakdowns_adding_up_above_total() -> None:
    result = parse_report("xh 2 tntt 3 (duoi nuoc 2, giao thong 2) th 0", today=TODAY)
    [problem] = result.problems
    assert problem.code is Code.BREAKDOWN_SUM_EXCEEDS
    assert problem.get("total_field") == "injury" and problem.get("sum") == 4


def test_deaths_may_overlap_drowning() -> None:
    assert codes("xh 0 tntt 2 (duoi nuoc 2, tu vong 2) th 0") == set()


def test_unknown_words_are_never_quoted_back() -> None:
    """Words outside the report's vocabulary may be a child's name: they are only counted."""
    result = parse_report("bc t10 xh 2 tntt 5 th 0 Lưu ý gấp hôm nay", today=TODAY)
    [problem] = result.problems
    assert problem.code is Code.EXTRA_TEXT and problem.params == ()
    # a few such words are let be (the summary is confirmed), and never quoted either
    result = parse_report("bc t10 xh 2 tntt 5 th 0 Lưu ý", today=TODAY)
    assert result.ok and result.counts == FULL


def test_unknown_report_words_and_numbers_are_quoted_in_original_spelling() -> None:
    result = parse_report("bc t10 xh 2 tntt 5 th 0 hai 7 Trần", today=TODAY)
    [problem] = [p for p in result.problems if p.code is Code.UNKNOWN_WORDS]
    assert problem.get("words") == ("hai", "7")  # a spelled number and a stray number
    assert problem.get("withheld") is True


def test_stray_number_is_reported() -> None:
    result = parse_report("bc t10 xh 2 7 tntt 5 th 0", today=TODAY)
    [problem] = result.problems
    assert problem.code is Code.UNKNOWN_WORDS and "7" in problem.get("words")


def test_keyword_without_number() -> None:
    result = parse_report("xh tntt 5 th 0", today=TODAY)
    [problem] = result.problems
    assert problem.code is Code.MISSING_NUMBER and problem.field == "abuse"


@pytest.mark.parametrize("text", ["bc t13/2025 xh 2 tntt 5 th 0", "bc 0/2025 xh 2 tntt 5 th 0"])
def test_invalid_month(text: str) -> None:
    result = parse_report(text, today=TODAY)
    assert result.month is None
    assert Code.INVALID_MONTH in {p.code for p in result.problems}


def test_two_different_months() -> None:
    result = parse_report("bc t9/2025 xh 2 tntt 5 th 0 t10/2025", today=TODAY)
    assert result.month is None
    [problem] = result.problems
    assert problem.code is Code.CONFLICTING_MONTHS
    assert problem.get("months") == (Month(2025, 9), Month(2025, 10))


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "👍", "bc", "báo cáo tháng 10/2025"])
def test_nothing_to_read(text: str) -> None:
    result = parse_report(text, today=TODAY)
    assert result.counts == {}
    assert [p.code for p in result.problems] == [Code.NO_COUNTS]


def test_very_long_text_is_refused_without_parsing() -> None:
    text = "xh 2 tntt 5 th 0 " * 500
    result = parse_report(text, today=TODAY)
    assert len(text) > MAX_REPORT_CHARS
    assert [p.code for p in result.problems] == [Code.TOO_LONG]


@pytest.mark.parametrize(
    "text",
    [
        "'; DROP TABLE reports; --",
        "xh 2; DELETE FROM users WHERE 1=1; tntt 5 th 0",
        "<script>alert('xh 2')</script>",
        "{abuse} {0} %s %(x)s",
        "\x00\x01\x02 xh 2",
        "x" * 900,
        "1" * 900,
        "ــ٢٣ xh ٢",
    ],
)
def test_hostile_input_never_crashes_nor_passes(text: str) -> None:
    result = parse_report(text, today=TODAY)
    assert not result.ok
    assert result.problems
    assert all(v >= 0 for v in result.counts.values())


def test_sql_text_is_reported_as_unknown() -> None:
    result = parse_report("xh 2; DELETE FROM users WHERE id = 1; tntt 5 th 0", today=TODAY)
    assert [p.code for p in result.problems] == [Code.EXTRA_TEXT]
    assert result.counts == FULL


def test_missing_categories_cover_every_category() -> None:
    result = parse_report("bc t10 duoi nuoc 1", today=TODAY)
    [problem] = [p for p in result.problems if p.code is Code.MISSING_CATEGORIES]
    assert problem.get("fields") == CATEGORIES
    # abuse's breakdowns cover every case: its total is their sum; injury's do not
    result = parse_report("bc t10 bao luc 2 tinh duc 1 tntt 0 th 0", today=TODAY)
    assert result.ok and result.counts["abuse"] == 3 and result.derived == {"abuse"}


@pytest.mark.parametrize(
    "text",
    [
        "báo cáo tháng 10/2025: xâm hại 2, tai nạn thương tích 5, tảo hôn 0",
        "bao cao t10 xh 2 tntt 5 th 0",
        "bc xh 2",
        "/report 2025-10 abuse 2 injury 5 marriage 0",
        "xh 2 tntt 5",
        "tháng 9: XH: 0; TNTT: 3; TH: 1",
        "report abuse 1",
        "Báo cáo: xâm hại 2",
    ],
)
def test_looks_like_report(text: str) -> None:
    assert looks_like_report(text)


@pytest.mark.parametrize(
    "text",
    [
        "tảo hôn là gì",
        "chỉ tiêu 13 tảo hôn",
        "tao hon la gi?",
        "báo cáo tháng 10 nộp khi nào?",
        "báo cáo gồm những gì",
        "xâm hại trẻ em là gì",
        "tỷ lệ xh 2 tntt 5 là bao nhiêu?",
        "chỉ tiêu giảm tai nạn thương tích 5% mỗi năm",
        "",
        "x" * 5000,
        "mục tiêu 2: giảm tảo hôn",
    ],
)
def test_questions_are_not_reports(text: str) -> None:
    assert not looks_like_report(text)


def test_case_counts_round_trip_every_field() -> None:
    from dataclasses import fields

    from kernel.counts import FIELDS, CaseCounts

    assert tuple(f.name for f in fields(CaseCounts)) == FIELDS
    counts = CaseCounts(3, 2, 1, abuse_violence=2, injury_deaths=1)
    assert counts.as_dict() == {f: getattr(counts, f) for f in FIELDS}
    assert CaseCounts.from_dict({**counts.as_dict(), "unknown": 9}) == counts
