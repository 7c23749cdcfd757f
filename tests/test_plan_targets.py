"""Plan target checks (targets 9, 11, 13) against the curated plans: honest, never invented."""

from __future__ import annotations

import pytest

from knowledge.loader import default_plans
from knowledge.target_checks import (
    Facts,
    Missing,
    Status,
    applicable_value,
    baseline_years,
    check_targets,
)

PLANS = default_plans()


def _facts(count: int, *, year: int = 2025, months: int = 12, population: int | None = 10_000,
           earlier: dict[int, int | None] | None = None) -> Facts:
    return Facts(year=year, months=months, count=count, population=population,
                 earlier=earlier if earlier is not None else {year - 1: None})


def _by_target(checks):
    return {c.target: c for c in checks}


def test_level_targets_use_the_yearly_rate_per_population() -> None:
    plan = PLANS["tra-vinh-2021-2030"]
    # Target 11 (2025): down to 550 per 100,000. A quarter with 15 injuries among 10,000
    # children is 60 a year = 600 per 100,000: off track. 13 a quarter = 520: on track.
    off = _by_target(check_targets(plan, {
        "abuse": _facts(0), "injury": _facts(15, months=3), "marriage": _facts(0),
    }))[11]
    on = _by_target(check_targets(plan, {
        "abuse": _facts(0), "injury": _facts(13, months=3), "marriage": _facts(0),
    }))[11]
    assert off.status is Status.OFF_TRACK and off.annualised and off.actual == pytest.approx(600)
    assert on.status is Status.ON_TRACK and on.actual == pytest.approx(520)
    assert off.value is not None and off.value.value == 550 and off.per == 100_000


def test_target_11_skips_the_death_rate_indicator() -> None:
    plan = PLANS["tra-vinh-2021-2030"]
    checks = check_targets(plan, {k: _facts(1) for k in ("abuse", "injury", "marriage")})
    assert [c.indicator.id for c in checks if c.target == 11 and c.indicator] == ["11.1"]


def test_unknown_population_is_no_data_not_a_guess() -> None:
    plan = PLANS["tra-vinh-2021-2030"]
    check = _by_target(check_targets(plan, {
        k: _facts(5, population=None) for k in ("abuse", "injury", "marriage")
    }))[9]
    assert check.status is Status.NO_DATA and check.missing is Missing.POPULATION
    assert check.actual is None


def test_no_reports_is_no_evidence() -> None:
    plan = PLANS["tra-vinh-2021-2030"]
    empty = Facts(year=2025, months=1, count=0, population=10_000, earlier={2024: 4},
                  reports=0)
    checks = check_targets(plan, dict.fromkeys(("abuse", "injury", "marriage"), empty))
    assert {c.status for c in checks} == {Status.NO_DATA}
    assert {c.missing for c in checks} == {Missing.REPORTS}


def test_a_year_without_a_stated_value_has_no_target() -> None:
    plan = PLANS["tra-vinh-2021-2030"]
    checks = _by_target(check_targets(plan, {
        k: _facts(5, year=2027) for k in ("abuse", "injury", "marriage")
    }))
    assert checks[9].status is Status.NO_VALUE and checks[9].value is None
    assert checks[11].status is Status.NO_VALUE
    # Target 13's yearly reduction applies 2025-2030, but there is nothing to compare with.
    assert checks[13].status is Status.NO_DATA and checks[13].missing is Missing.EARLIER
    assert applicable_value(plan, plan.target(13).indicators[0], 2024) is None


def test_yearly_reduction_compares_with_the_same_period_a_year_earlier() -> None:
    plan = PLANS["tra-vinh-2021-2030"]
    # Target 13: child marriages fall 2-3% a year. 49 after 50 is -2%: on track; 50 is not.
    base = {"abuse": _facts(0), "injury": _facts(0)}
    fell = _by_target(check_targets(plan, {**base, "marriage": _facts(49, earlier={2024: 50})}))
    same = _by_target(check_targets(plan, {**base, "marriage": _facts(50, earlier={2024: 50})}))
    zero = _by_target(check_targets(plan, {**base, "marriage": _facts(3, earlier={2024: 0})}))
    assert fell[13].status is Status.ON_TRACK and fell[13].actual == pytest.approx(-2)
    assert fell[13].compared_year == 2024 and fell[13].compared_count == 50
    assert same[13].status is Status.OFF_TRACK
    assert zero[13].status is Status.NO_DATA and zero[13].missing is Missing.EARLIER_ZERO


def test_named_baseline_year_and_yearly_milestones() -> None:
    rach_gia = PLANS["rach-gia-2021-2030"]
    assert baseline_years(rach_gia) == {2020}
    facts = {"abuse": _facts(90, earlier={2024: 10, 2020: 100}), "injury": _facts(0),
             "marriage": _facts(0)}
    abuse = _by_target(check_targets(rach_gia, facts))[9]
    assert abuse.compared_year == 2020 and abuse.actual == pytest.approx(-10)
    assert abuse.status is Status.ON_TRACK  # at least 5% below 2020
    hcmc = PLANS["hcmc-2022-2030"]
    annual = hcmc.target(9).indicators[1]
    # "hằng năm ... giai đoạn đến năm 2030": 7% for each year after the 2025 milestone.
    assert applicable_value(hcmc, annual, 2027).value == 7
    assert applicable_value(hcmc, annual, 2025).value == 5
    assert applicable_value(hcmc, hcmc.target(9).indicators[0], 2027) is None
