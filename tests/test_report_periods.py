"""parse_period for /stats, and Period arithmetic."""

from __future__ import annotations

from datetime import date

import pytest

from kernel.calendar import Month, Period
from reports.periods import PeriodError, completed_part, looks_like_period, parse_period

TODAY = date(2025, 11, 3)


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("", "month", (2025, 10), (2025, 10)),
        ("10/2025", "month", (2025, 10), (2025, 10)),
        ("t10", "month", (2025, 10), (2025, 10)),
        ("t12", "month", (2024, 12), (2024, 12)),
        ("tháng 3 năm 2024", "month", (2024, 3), (2024, 3)),
        ("2025-10", "month", (2025, 10), (2025, 10)),
        ("Oct 2025", "month", (2025, 10), (2025, 10)),
        ("Q3 2025", "quarter", (2025, 7), (2025, 9)),
        ("quý 3/2025", "quarter", (2025, 7), (2025, 9)),
        ("quy 3 2025", "quarter", (2025, 7), (2025, 9)),
        ("Quý III năm 2024", "quarter", (2024, 7), (2024, 9)),
        ("q4", "quarter", (2025, 10), (2025, 12)),
        ("q1", "quarter", (2025, 1), (2025, 3)),
        ("6 tháng đầu năm 2025", "half", (2025, 1), (2025, 6)),
        ("H1 2025", "half", (2025, 1), (2025, 6)),
        ("h2 2024", "half", (2024, 7), (2024, 12)),
        ("6 thang cuoi nam 2025", "half", (2025, 7), (2025, 12)),
        ("first half of 2025", "half", (2025, 1), (2025, 6)),
        ("2025", "year", (2025, 1), (2025, 12)),
        ("năm 2025", "year", (2025, 1), (2025, 12)),
        ("nam nay", "year", (2025, 1), (2025, 12)),
        ("năm ngoái", "year", (2024, 1), (2024, 12)),
        ("tháng trước", "month", (2025, 10), (2025, 10)),
        ("quý trước", "quarter", (2025, 7), (2025, 9)),
        ("01/2025-06/2025", "range", (2025, 1), (2025, 6)),
        ("1/2025 đến 6/2025", "range", (2025, 1), (2025, 6)),
        ("từ 1/2025 đến 6/2025", "range", (2025, 1), (2025, 6)),
        ("10/2024 – 3/2025", "range", (2024, 10), (2025, 3)),
        ("t10 - t3/2025", "range", (2024, 10), (2025, 3)),
        ("9 tháng đầu năm 2025", "range", (2025, 1), (2025, 9)),
        ("2021-2025", "range", (2021, 1), (2025, 12)),
    ],
)
def test_parse_period(text: str, kind: str, start: tuple, end: tuple) -> None:
    period = parse_period(text, today=TODAY)
    assert (period.kind, period.start, period.end) == (kind, Month(*start), Month(*end))


def test_default_follows_today() -> None:
    assert parse_period("", today=date(2026, 1, 15)).start == Month(2025, 12)
    assert parse_period("quý trước", today=date(2026, 2, 1)).start == Month(2025, 10)


@pytest.mark.parametrize(
    "text",
    ["abc", "q5 2025", "13/2025", "00/2025", "2025-13", "32/13/2025", "quý 5 2025",
     "6/2025-1/2025", "2030-2021", "tảo hôn là gì"],
)
def test_unknown_or_backwards_periods_raise(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(text, today=TODAY)


def test_months_and_membership() -> None:
    period = parse_period("10/2024 - 2/2025", today=TODAY)
    assert period.months() == [Month(2024, 10), Month(2024, 11), Month(2024, 12),
                               Month(2025, 1), Month(2025, 2)]  # fmt: skip
    assert Month(2025, 1) in period and Month(2025, 3) not in period
    assert len(parse_period("2025", today=TODAY).months()) == 12


def test_previous_year_keeps_the_kind() -> None:
    period = parse_period("Q1 2025", today=TODAY).previous_year()
    assert period == Period(Month(2024, 1), Month(2024, 3), "quarter")
    assert period.quarter == 1
    assert parse_period("H2 2025", today=TODAY).previous_year().half == 2


@pytest.mark.parametrize(
    ("text", "covered"),
    [
        ("2025", ((2025, 1), (2025, 10))),  # January to October are over on 3 November
        ("Q4 2025", ((2025, 10), (2025, 10))),
        ("H2 2025", ((2025, 7), (2025, 10))),
        ("9/2025 - 12/2025", ((2025, 9), (2025, 10))),
        ("10/2025", ((2025, 10), (2025, 10))),
        ("Q3 2025", ((2025, 7), (2025, 9))),
        ("2024", ((2024, 1), (2024, 12))),
        ("2026", None),
        ("12/2025", None),
        ("11/2025", None),  # started, not over
        ("Q1 2026", None),
        ("tháng này", None),
    ],
)
def test_completed_part_keeps_only_months_that_are_over(text: str, covered: tuple | None) -> None:
    period = parse_period(text, today=TODAY)
    part = completed_part(period, TODAY)
    if covered is None:
        assert part is None
    else:
        assert (part.start, part.end) == (Month(*covered[0]), Month(*covered[1]))
        assert part.kind == (period.kind if part == period else "range")


def test_completed_part_on_the_first_of_a_month() -> None:
    # On 1 December November is over; on 30 November it is not.
    period = parse_period("11/2025", today=TODAY)
    assert completed_part(period, date(2025, 12, 1)) == period
    assert completed_part(period, date(2025, 11, 30)) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("13/2025", True), ("00/2025", True), ("Q5 2025", True), ("2025-13", True),
     ("32/13/2025", True), ("quý 5 năm 2025", True), ("NOPE", False), ("C21", False),
     ("Lan", False), ("tảo hôn là gì", False), ("", False)],
)
def test_looks_like_period(text: str, expected: bool) -> None:
    assert looks_like_period(text) is expected
