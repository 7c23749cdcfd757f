"""Rendering with a Translator: problems, usage example, summary, privacy, periods, nudges."""

from __future__ import annotations

from datetime import date

import pytest

from kernel.calendar import Month
from kernel.counts import FIELDS, CaseCounts
from kernel.i18n import translator
from reports.messages import (
    example_report,
    field_label,
    nudge_text,
    period_label,
    privacy_refusal,
    render_problem,
    render_problems,
    report_summary,
    usage_example,
)
from reports.parse import parse_report
from reports.periods import parse_period
from reports.privacy import KINDS
from reports.problems import Code, Problem

TODAY = date(2025, 11, 3)
OCT = Month(2025, 10)

SAMPLES: dict[Code, Problem] = {
    Code.NO_COUNTS: Problem.of(Code.NO_COUNTS),
    Code.TOO_LONG: Problem.of(Code.TOO_LONG, limit=1000),
    Code.UNKNOWN_WORDS: Problem.of(Code.UNKNOWN_WORDS, words=("abc", "xyz")),
    Code.CONFLICT: Problem.of(Code.CONFLICT, field="abuse", first=2, second=3),
    Code.NOT_INTEGER: Problem.of(Code.NOT_INTEGER, field="injury", text="2.5"),
    Code.NEGATIVE: Problem.of(Code.NEGATIVE, field="injury", text="-1"),
    Code.NOT_A_NUMBER: Problem.of(Code.NOT_A_NUMBER, field="marriage", text="hai"),
    Code.MISSING_NUMBER: Problem.of(Code.MISSING_NUMBER, field="abuse"),
    Code.MISSING_CATEGORIES: Problem.of(Code.MISSING_CATEGORIES, fields=("injury", "marriage")),
    Code.TOO_LARGE: Problem.of(Code.TOO_LARGE, field="abuse", value=1500, limit=1000),
    Code.BREAKDOWN_EXCEEDS: Problem.of(
        Code.BREAKDOWN_EXCEEDS, field="abuse_violence", value=3, total_field="abuse", total=2
    ),
    Code.BREAKDOWN_SUM_EXCEEDS: Problem.of(
        Code.BREAKDOWN_SUM_EXCEEDS,
        total_field="injury",
        sum=4,
        total=3,
        fields=("injury_drowning", "injury_traffic"),
    ),
    Code.INVALID_MONTH: Problem.of(Code.INVALID_MONTH, text="t13"),
    Code.CONFLICTING_MONTHS: Problem.of(
        Code.CONFLICTING_MONTHS, months=(Month(2025, 9), Month(2025, 10))
    ),
    Code.MONTH_IN_FUTURE: Problem.of(Code.MONTH_IN_FUTURE, month=Month(2025, 12)),
    Code.MONTH_NOT_OVER: Problem.of(Code.MONTH_NOT_OVER, month=Month(2025, 11)),
    Code.MONTH_OUTSIDE_PLAN: Problem.of(
        Code.MONTH_OUTSIDE_PLAN, month=Month(2020, 5), start=2021, end=2030
    ),
    Code.MARKUP: Problem.of(Code.MARKUP),
    Code.REPEATED: Problem.of(Code.REPEATED, times=8),
    Code.EXTRA_TEXT: Problem.of(Code.EXTRA_TEXT),
}


def test_every_code_has_a_sample() -> None:
    assert set(SAMPLES) == set(Code)


@pytest.mark.parametrize("code", list(Code))
def test_every_problem_renders_in_both_languages(code: Code) -> None:
    vi = render_problem(translator("vi"), SAMPLES[code])
    en = render_problem(translator("en"), SAMPLES[code])
    assert vi and en and vi != en
    assert "{" not in vi and "{" not in en


def test_problem_text_names_field_and_values() -> None:
    text = render_problem(translator("vi"), SAMPLES[Code.CONFLICT])
    assert "Xâm hại trẻ em" in text and "2" in text and "3" in text
    text = render_problem(translator("vi"), SAMPLES[Code.TOO_LARGE])
    assert "1.500" in text and "1.000" in text
    text = render_problem(translator("en"), SAMPLES[Code.TOO_LARGE])
    assert "1,500" in text
    text = render_problem(translator("vi"), SAMPLES[Code.MONTH_NOT_OVER])
    assert "11/2025" in text and "01/12/2025" in text


def test_render_problems_one_bullet_each() -> None:
    result = parse_report("xh 2.5 tntt -1 th 1 th 2", today=TODAY)
    text = render_problems(translator("vi"), result.problems)
    assert len(text.splitlines()) == len(result.problems) == 3
    assert "“2.5”" in text and "“-1”" in text


@pytest.mark.parametrize("locale", ["vi", "en"])
@pytest.mark.parametrize("month", [Month(2025, 10), Month(2024, 3)])
def test_usage_examples_parse_back(locale: str, month: Month) -> None:
    tr = translator(locale)
    usage = usage_example(tr, month)
    assert example_report(tr, month) in usage
    examples = [line for line in usage.splitlines() if f"{month.month}/{month.year}" in line]
    assert len(examples) == 3  # a report, one with details, a month without cases
    for line in examples:
        result = parse_report(line, today=TODAY)
        assert result.ok, (line, result.problems)
        assert result.month == month


def test_vietnamese_example_matches_the_brief() -> None:
    expected = "báo cáo tháng 10/2025: xâm hại 2, tai nạn thương tích 5, tảo hôn 0"
    assert example_report(translator("vi"), OCT) == expected


def test_every_field_has_a_translated_label() -> None:
    for name in FIELDS:
        assert field_label(translator("vi"), name) != field_label(translator("en"), name)


def test_report_summary() -> None:
    counts = CaseCounts(abuse=2, injury=5, marriage=0, abuse_violence=1, injury_drowning=2)
    text = report_summary(translator("vi"), OCT, counts)
    lines = text.splitlines()
    assert "10/2025" in lines[0]
    assert lines[1] == "• Xâm hại trẻ em: 2 (bạo lực 1)"
    assert lines[2] == "• Tai nạn thương tích: 5 (đuối nước 2)"
    assert lines[3] == "• Tảo hôn: 0"
    partial = report_summary(translator("en"), None, {"injury": 1200})
    assert "1,200" in partial and "—" in partial


def test_privacy_refusal_lists_the_kinds() -> None:
    vi = privacy_refusal(translator("vi"), ["phone", "name"])
    assert "số điện thoại" in vi and "tên" in vi
    for kind in KINDS:
        assert privacy_refusal(translator("en"), [kind]) != privacy_refusal(translator("en"), [])


@pytest.mark.parametrize(
    ("text", "vi", "en"),
    [
        ("10/2025", "10/2025", "Oct 2025"),
        ("Q3 2025", "quý 3/2025", "Q3 2025"),
        ("H1 2025", "6 tháng đầu năm 2025", "first half of 2025"),
        ("H2 2025", "6 tháng cuối năm 2025", "second half of 2025"),
        ("2025", "năm 2025", "year 2025"),
        ("1/2025-6/2025", "01/2025 đến 06/2025", "Jan 2025 to Jun 2025"),
    ],
)
def test_period_label(text: str, vi: str, en: str) -> None:
    period = parse_period(text, today=TODAY)
    assert period_label(translator("vi"), period) == vi
    assert period_label(translator("en"), period) == en


@pytest.mark.parametrize("kind", ["before_3", "before_1", "due", "overdue_1", "overdue_3"])
def test_nudge_text(kind: str) -> None:
    due = date(2025, 11, 5)
    vi = nudge_text(translator("vi"), kind, OCT, due)
    en = nudge_text(translator("en"), kind, OCT, due)
    assert "10/2025" in vi and "05/11/2025" in vi
    assert vi != en and "{" not in vi + en
