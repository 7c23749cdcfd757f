"""Engine properties that hold for every plan: right plan, right year, honest limits."""

from __future__ import annotations

from functools import cache

import pytest

from knowledge.loader import default_plans
from knowledge.qa import QAEngine
from knowledge.schema import Plan

PLANS = default_plans()
WITH_TARGETS = [p for p in PLANS.values() if p.targets]


@cache
def engine() -> QAEngine:
    return QAEngine(PLANS)


def _years(plan: Plan, number: int) -> set[int]:
    target = plan.target(number)
    assert target is not None
    return {v.year for i in target.indicators for v in i.values if v.year is not None}


@pytest.mark.parametrize("plan", WITH_TARGETS, ids=lambda p: p.id)
def test_every_value_comes_from_the_asked_plan_and_year(plan: Plan) -> None:
    for target in plan.targets:
        for year in sorted(_years(plan, target.number)):
            answer = engine().ask(f"chỉ tiêu {target.number} năm {year}", plan_id=plan.id)
            assert answer.kind == "target_value", (plan.id, target.number, year)
            assert answer.plan_ids == (plan.id,)
            shown = answer.parts[0].targets[0]
            assert shown.target is target
            assert shown.indicators, (plan.id, target.number, year)
            for ind in shown.indicators:
                assert {v.year for v in ind.values} <= {year, None}


@pytest.mark.parametrize("plan", WITH_TARGETS, ids=lambda p: p.id)
def test_a_year_without_value_is_said_so(plan: Plan) -> None:
    for target in plan.targets:
        years = _years(plan, target.number)
        if not years:
            continue
        missing = next(y for y in range(2020, 2036) if y not in years)
        answer = engine().ask(f"ct{target.number} nam {missing}", plan_id=plan.id)
        assert answer.kind == "no_value_for_year", (plan.id, target.number, missing)
        assert answer.parts[0].targets[0].years_available == tuple(sorted(years))


@pytest.mark.parametrize("plan", WITH_TARGETS, ids=lambda p: p.id)
def test_responsibility_is_stated_or_said_not_stated(plan: Plan) -> None:
    for target in plan.targets:
        answer = engine().ask(f"ai chịu trách nhiệm chỉ tiêu {target.number}", plan_id=plan.id)
        expected = "not_stated" if target.lead is None else "responsibility"
        assert answer.kind == expected, (plan.id, target.number)
        assert answer.plan_ids == (plan.id,)


@pytest.mark.parametrize("plan", list(PLANS.values()), ids=lambda p: p.id)
def test_targets_outside_the_plan_do_not_exist(plan: Plan) -> None:
    numbers = {t.number for t in plan.targets}
    absent = next(n for n in range(1, 40) if n not in numbers)
    answer = engine().ask(f"chỉ tiêu {absent}", plan_id=plan.id)
    assert answer.kind == "no_such_target"
    assert answer.plan_ids == (plan.id,)


def test_a_plan_named_in_the_question_wins_over_the_chosen_plan() -> None:
    answer = engine().ask("chi tieu 14 o Kon Ray", plan_id="rach-gia-2021-2030")
    assert answer.plan_ids == ("kon-ray-2022",)


def test_no_plan_gives_a_compact_answer_with_choices() -> None:
    answer = engine().ask("chỉ tiêu 14")
    assert answer.kind == "choose_plan"
    assert set(answer.plan_ids) == {p.id for p in WITH_TARGETS if p.target(14)}
    assert set(answer.choices) == set(PLANS)


def test_compare_covers_every_plan_with_the_target() -> None:
    answer = engine().ask("compare target 11", plan_id="rach-gia-2021-2030")
    assert answer.kind == "compare"
    assert set(answer.plan_ids) == {p.id for p in WITH_TARGETS if p.target(11)}


def test_topic_answers_stay_in_the_chosen_plan() -> None:
    for plan in PLANS.values():
        answer = engine().ask("tai nạn thương tích", plan_id=plan.id)
        if answer.kind != "unknown":
            assert answer.plan_ids == (plan.id,)
            assert all(part.plan is plan for part in answer.parts)


@pytest.mark.parametrize(
    "text",
    ["thời tiết hôm nay thế nào", "giá vàng bao nhiêu", "how do I cook pho?",
     "who won the football match?", "asdfgh"],
)
def test_unrelated_questions(text: str) -> None:
    answer = engine().ask(text, plan_id="rach-gia-2021-2030")
    assert answer.kind == "unknown"
    assert answer.plan_ids == ()


def test_help() -> None:
    assert engine().ask("").kind == "help"
    assert engine().ask("/help").kind == "help"


def test_match_plans_for_the_plan_command() -> None:
    assert engine().match_plans("rach gia") == ["rach-gia-2021-2030"]
    assert engine().match_plans("xyz") == []
