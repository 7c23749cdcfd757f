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


# ---------------------------------------------------------------------- new officers' questions


def test_small_talk_gets_a_friendly_kind() -> None:
    greeting = engine().ask("chào bạn")
    assert (greeting.kind, greeting.social) == ("help", "greeting")
    for text, social in (("cảm ơn nhiều", "thanks"), ("ok", "ack"), ("bye", "bye")):
        answer = engine().ask(text, plan_id="rach-gia-2021-2030")
        assert (answer.kind, answer.social, answer.plan_ids) == ("smalltalk", social, ())


def test_a_question_after_small_talk_is_answered() -> None:
    answer = engine().ask("cảm ơn bạn, còn chỉ tiêu 15 thì sao?", plan_id="rach-gia-2021-2030")
    assert answer.kind == "target_value" and answer.target_numbers == (15,)


@pytest.mark.parametrize("text", ["chi tiue 21 nam 2025", "chỉ têu 21 năm 2025"])
def test_typos_in_keywords(text: str) -> None:
    answer = engine().ask(text, plan_id="hcmc-2022-2030")
    assert (answer.kind, answer.target_numbers, answer.years) == ("target_value", (21,), (2025,))


def test_overview_of_the_chosen_plan() -> None:
    for text in ("các chỉ tiêu của kế hoạch", "kế hoạch có bao nhiêu chỉ tiêu", "chỉ tiêu"):
        answer = engine().ask(text, plan_id="rach-gia-2021-2030")
        assert answer.kind == "overview", text
        assert len(answer.parts[0].targets) == 24
    objectives = engine().ask("mục tiêu của kế hoạch là gì", plan_id="tra-vinh-2024")
    assert objectives.kind == "overview" and objectives.parts[0].objectives
    assert engine().ask("liệt kê các chỉ tiêu").kind == "choose_plan"


def test_a_topic_the_plan_lacks_is_said_so_with_the_plans_that_have_it() -> None:
    answer = engine().ask("đuối nước", plan_id="rach-gia-2021-2030")
    assert answer.kind == "not_stated"
    assert answer.plan_ids == ("rach-gia-2021-2030",)
    assert answer.parts[0].fact == "topic" and answer.topic is not None
    offered = {p.plan.id for p in answer.parts[1:]}
    assert offered == {"hcmc-2022-2030", "tra-vinh-2024"}


def test_a_goal_theme_lists_the_goal() -> None:
    answer = engine().ask("bảo vệ trẻ em", plan_id="rach-gia-2021-2030")
    assert (answer.kind, answer.goal_number) == ("goal_targets", 2)


def test_an_office_named_alone_or_shortened() -> None:
    answer = engine().ask("Sở Văn hóa", plan_id="hcmc-2022-2030")
    assert answer.kind == "office_targets"
    assert answer.parts[0].duties is not None and answer.parts[0].duties.led == (13, 21)
    answer = engine().ask("sở văn hóa phụ trách chỉ tiêu nào", plan_id="tra-vinh-2021-2030")
    assert answer.kind == "office_targets"
    assert answer.parts[0].duties is not None and answer.parts[0].duties.led == (13, 21)
    # "phòng chống" is not an office.
    assert engine().ask("phòng chống đuối nước", plan_id="hcmc-2022-2030").kind == "topic"


def test_a_form_of_malnutrition_shows_its_indicator_only() -> None:
    for text, indicator in (("béo phì", "obesity"), ("thấp còi", "stunting")):
        answer = engine().ask(text, plan_id="hcmc-2022-2030")
        assert answer.kind == "topic"
        shown = [i.label_en for t in answer.parts[0].targets for i in t.indicators]
        assert len(shown) == 1 and indicator in shown[0].lower(), (text, shown)


def test_a_value_question_about_one_indicator() -> None:
    answer = engine().ask("tỷ lệ tử vong trẻ dưới 5 tuổi năm 2030", plan_id="hcmc-2022-2030")
    assert answer.kind == "target_value"
    (shown,) = answer.parts[0].targets
    assert [i.id for i in shown.indicators] == ["3.3"]


def test_who_handles_a_topic_in_every_plan() -> None:
    answer = engine().ask("Which department handles child marriage?")
    assert (answer.kind, answer.about) == ("choose_plan", "responsibility")
    assert all(p.targets[0].target.number == 13 for p in answer.parts)


def test_a_year_picks_the_document_of_two_plans_of_a_province() -> None:
    answer = engine().ask("số quyết định kế hoạch trà vinh 2021")
    assert (answer.kind, answer.plan_ids) == ("document", ("tra-vinh-2021-2030",))
    both = engine().ask("kế hoạch trà vinh ban hành khi nào")
    assert both.kind == "document" and len(both.plan_ids) == 2


def test_a_report_kind_the_plan_does_not_set() -> None:
    answer = engine().ask("sơ kết năm nào", plan_id="kon-ray-2022")
    assert answer.kind == "not_stated"
    assert answer.parts[0].fact == "deadline_kind" and answer.parts[0].deadlines


def test_a_bare_year_asks_back() -> None:
    answer = engine().ask("năm 2030 thì sao", plan_id="rach-gia-2021-2030")
    assert (answer.kind, answer.years) == ("unknown", (2030,))
