"""validate: bounds, completeness, breakdowns, month rules."""

from __future__ import annotations

from datetime import date

import pytest

from kernel.calendar import Month
from kernel.counts import CaseCounts
from reports.problems import Code
from reports.validation import MAX_COUNT, check_counts, check_month, validate

TODAY = date(2025, 11, 3)
PLAN = (2021, 2030)


def codes(problems) -> list[Code]:
    return [p.code for p in problems]


def test_a_good_report_has_no_problems() -> None:
    counts = CaseCounts(abuse=3, injury=4, marriage=0, abuse_violence=2, injury_drowning=1)
    assert validate(counts, Month(2025, 10), today=TODAY, plan_period=PLAN) == []


@pytest.mark.parametrize(
    ("value", "code"),
    [(-1, Code.NEGATIVE), (2.5, Code.NOT_INTEGER), ("2", Code.NOT_INTEGER),
     (True, Code.NOT_INTEGER), (MAX_COUNT + 1, Code.TOO_LARGE)],
)  # fmt: skip
def test_bad_values(value: object, code: Code) -> None:
    problems = check_counts({"abuse": value, "injury": 0, "marriage": 0})
    assert codes(problems) == [code]
    assert problems[0].field == "abuse"


def test_bounds_are_inclusive_and_whole_floats_are_fine() -> None:
    assert check_counts({"abuse": 0, "injury": MAX_COUNT, "marriage": 2.0}) == []
    assert codes(check_counts({"abuse": 11, "injury": 0, "marriage": 0}, max_count=10)) == [
        Code.TOO_LARGE
    ]


def test_missing_categories() -> None:
    [problem] = check_counts({"injury": 1})
    assert problem.code is Code.MISSING_CATEGORIES
    assert problem.get("fields") == ("abuse", "marriage")
    assert check_counts({"injury": 1}, require_all=False) == []


def test_each_breakdown_within_its_total() -> None:
    problems = check_counts({"abuse": 1, "injury": 1, "marriage": 0, "injury_deaths": 2})
    [problem] = problems
    assert problem.code is Code.BREAKDOWN_EXCEEDS
    assert (problem.field, problem.get("total_field"), problem.get("total")) == (
        "injury_deaths",
        "injury",
        1,
    )


def test_abuse_breakdowns_must_not_add_up_above_abuse() -> None:
    counts = {"abuse": 3, "injury": 0, "marriage": 0, "abuse_violence": 2, "abuse_sexual": 1,
              "abuse_exploitation": 1}  # fmt: skip
    [problem] = check_counts(counts)
    assert problem.code is Code.BREAKDOWN_SUM_EXCEEDS
    assert problem.get("sum") == 4 and problem.get("total") == 3


def test_drowning_plus_traffic_within_injury_but_deaths_overlap() -> None:
    ok = {"abuse": 0, "injury": 3, "marriage": 0, "injury_drowning": 1, "injury_traffic": 2,
          "injury_deaths": 3}  # fmt: skip
    assert check_counts(ok) == []
    too_many = {**ok, "injury_traffic": 3}
    assert codes(check_counts(too_many)) == [Code.BREAKDOWN_SUM_EXCEEDS]


def test_no_sum_problem_on_top_of_a_single_breakdown_problem() -> None:
    counts = {"abuse": 1, "injury": 0, "marriage": 0, "abuse_violence": 2, "abuse_sexual": 1}
    assert codes(check_counts(counts)) == [Code.BREAKDOWN_EXCEEDS]


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        (Month(2025, 10), []),
        (Month(2024, 12), []),
        (Month(2025, 11), [Code.MONTH_NOT_OVER]),
        (Month(2025, 12), [Code.MONTH_IN_FUTURE]),
        (Month(2026, 1), [Code.MONTH_IN_FUTURE]),
        (Month(2020, 12), [Code.MONTH_OUTSIDE_PLAN]),
    ],
)
def test_month_rules(month: Month, expected: list[Code]) -> None:
    assert codes(check_month(month, today=TODAY, plan_period=PLAN)) == expected


def test_current_month_is_refused_even_on_its_last_day() -> None:
    assert codes(check_month(Month(2025, 11), today=date(2025, 11, 30))) == [Code.MONTH_NOT_OVER]
    assert check_month(Month(2025, 11), today=date(2025, 12, 1)) == []


def test_future_month_outside_plan_reports_both() -> None:
    found = codes(check_month(Month(2031, 1), today=date(2031, 6, 1), plan_period=PLAN))
    assert found == [Code.MONTH_OUTSIDE_PLAN]
    found = codes(check_month(Month(2031, 1), today=TODAY, plan_period=PLAN))
    assert found == [Code.MONTH_IN_FUTURE, Code.MONTH_OUTSIDE_PLAN]


def test_validate_without_month_checks_counts_only() -> None:
    assert codes(validate({"abuse": -1, "injury": 0, "marriage": 0}, None, today=TODAY)) == [
        Code.NEGATIVE
    ]
