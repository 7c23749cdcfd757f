"""Normalisation and question reading: numbers, years, plans, offices, topics."""

from __future__ import annotations

from functools import cache

import pytest

from knowledge.loader import default_plans
from knowledge.normalize import bigrams, contains_phrase, find_phrase, fold, tokens
from knowledge.qa import QAEngine
from knowledge.qa.glossary import load_glossary
from knowledge.qa.offices import OfficeMatcher
from knowledge.qa.parse import (
    COMPARE,
    DEADLINE_STRONG,
    RESPONSIBLE,
    WHICH_TARGETS,
    parse,
    social,
)
from knowledge.qa.plans import PlanMatcher


@cache
def plan_matcher() -> PlanMatcher:
    return PlanMatcher(default_plans())


@cache
def office_matcher() -> OfficeMatcher:
    return OfficeMatcher(default_plans(), load_glossary())


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đuối nước", "duoi nuoc"),
        ("CHỈ TIÊU 14, năm 2025?", "chi tieu 14 nam 2025"),
        ("ct14", "ct 14"),
        ("TP.HCM", "tp hcm"),
        ("Phòng LĐTBXH", "phong ldtbxh"),
        ("trẻ em từ 03 đến 05 tuổi", "tre em tu 3 den 5 tuoi"),
        ("0,5%", "0 5"),
        ("  ", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_tokens_and_phrases() -> None:
    assert tokens("Tảo hôn!") == ["tao", "hon"]
    assert bigrams(["a", "b", "c"]) == ["a b", "b c"]
    assert contains_phrase("ty le tao hon", "tao hon")
    assert not contains_phrase("ty le tao honda", "tao hon")
    assert find_phrase("ty le tao hon", "tao hon") == 2
    assert find_phrase("ty le", "tao hon") == -1


@pytest.mark.parametrize(
    "text",
    ["chỉ tiêu 14", "chi tieu 14", "ct14", "CT 14", "target 14", "indicator 14", "#14",
     "chi teu 14", "chỉ tiu 14", "Chỉ tiêu số 14 năm 2025", "14"],
)
def test_target_number_forms(text: str) -> None:
    assert parse(text).targets == (14,)


def test_several_targets() -> None:
    assert parse("chỉ tiêu 3, 4 và 5 năm 2030").targets == (3, 4, 5)


@pytest.mark.parametrize(
    "text", ["13 tiêu chí xã phù hợp", "mục tiêu 2", "năm 2025", "báo cáo 6 tháng"]
)
def test_numbers_that_are_not_targets(text: str) -> None:
    assert parse(text).targets == ()


def test_goal_group_and_years() -> None:
    q = parse("mục tiêu 2 gồm những chỉ tiêu nào năm 2025")
    assert (q.goal, q.targets, q.years) == (2, (), (2025,))
    assert parse("goal 3").goal == 3
    assert parse("những năm đầu đời nhóm 2").group == 2
    assert parse("chỉ tiêu 23 đến năm 2025 và 2030").years == (2025, 2030)
    assert parse("chỉ tiêu 1 năm 2075").years == ()


def test_years_that_name_a_plan() -> None:
    q = parse("suy dinh dưỡng kế hoạch 2024")
    assert (q.years, q.plan_years) == ((), (2024,))
    assert parse("child labour in the 2024 Tra Vinh plan").plan_years == (2024,)
    q = parse("target for 2030 in the 2024 plan")
    assert (q.years, q.plan_years) == ((2030,), (2024,))
    assert parse("review of the Tra Vinh 2021-2030 plan").period == (2021, 2030)


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        (RESPONSIBLE, "ai chịu trách nhiệm chỉ tiêu 9", True),
        (RESPONSIBLE, "who leads target 21", True),
        (RESPONSIBLE, "chỉ tiêu 9 là bao nhiêu", False),
        (WHICH_TARGETS, "Sở Y tế phụ trách những chỉ tiêu nào", True),
        (WHICH_TARGETS, "which targets does the police lead", True),
        (COMPARE, "so sánh chỉ tiêu 14", True),
        (DEADLINE_STRONG, "hạn báo cáo 6 tháng", True),
        (DEADLINE_STRONG, "hạn chế tảo hôn", False),
    ],
)
def test_intent_words(pattern, text: str, expected: bool) -> None:
    assert (pattern.search(fold(text)) is not None) is expected


@pytest.mark.parametrize(
    ("text", "plans"),
    [
        ("chỉ tiêu 14 ở Kon Rẫy", {"kon-ray-2022"}),
        ("ct2 hcm", {"hcmc-2022-2030"}),
        ("chi tieu 8 sai gon", {"hcmc-2022-2030"}),
        ("target 14 ho chi mnh", {"hcmc-2022-2030"}),
        ("ct14 tra vin", {"tra-vinh-2021-2030", "tra-vinh-2024"}),
        ("chỉ tiêu 11 kế hoạch 4063", {"hcmc-2022-2030"}),
        ("tỷ lệ khai sinh Trà Vinh", {"tra-vinh-2021-2030", "tra-vinh-2024"}),
        ("con gái bao nhiêu tuổi", set()),
        ("chỉ tiêu 14", set()),
    ],
)
def test_plan_names(text: str, plans: set[str]) -> None:
    if not plans <= set(default_plans()):
        pytest.skip("plan not loaded")
    assert set(plan_matcher().match(text)) == plans


def test_plan_mention_leaves_the_topic_words() -> None:
    mentions = plan_matcher().mentions(fold("tỷ lệ khai sinh Trà Vinh"))
    assert [(m.start, m.end) for m in mentions] == [(4, 6)]


@pytest.mark.parametrize(
    ("text", "plan_id", "office"),
    [
        ("so y te phu trach chi tieu nao", "hcmc-2022-2030", "Sở Y tế"),
        ("Sở LĐTBXH phụ trách", "hcmc-2022-2030", "Sở Lao động - Thương binh và Xã hội"),
        ("which targets does the department of health lead", "hcmc-2022-2030", "Sở Y tế"),
        ("city police", "hcmc-2022-2030", "Công an Thành phố"),
        ("phòng tư pháp", "rach-gia-2021-2030", "Phòng Tư pháp"),
        ("Thanh Doan", "rach-gia-2021-2030", "Thành Đoàn"),
        ("sở y tế", "rach-gia-2021-2030", "Trung tâm Y tế"),
    ],
)
def test_office_names(text: str, plan_id: str, office: str) -> None:
    found = office_matcher().find(fold(text), plan_id)
    assert [o.name for o in found][:1] == [office]


@pytest.mark.parametrize("text", ["lao động trẻ em", "kế hoạch", "tỷ lệ khai sinh"])
def test_topics_are_not_offices(text: str) -> None:
    assert office_matcher().find(fold(text), "rach-gia-2021-2030") == []


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("tai nạn thương tích", "injury"),
        ("TNTT", "injury"),
        ("drowning", "drowning"),
        ("tre em biet boi", "drowning"),
        ("suy dinh duog", "malnutrition"),
        ("child labour", "child_labour"),
        ("BHYT", "health_insurance"),
    ],
)
def test_glossary_topics(text: str, topic: str) -> None:
    assert topic in [t.id for t in load_glossary().topics_in(fold(text))]


def test_glossary_has_no_unrelated_topic_for_small_talk() -> None:
    assert load_glossary().topics_in(fold("thời tiết hôm nay thế nào")) == []


# ---------------------------------------------------------------------- typos and small talk


@cache
def speller():
    return QAEngine(default_plans())._speller


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("chi tiue 21", "chi tieu 21"),
        ("chỉ têu 1 rạch giá", "chi tieu 1 rach gia"),
        ("trach nhim chi tieu 13", "trach nhiem chi tieu 13"),
        ("ct14 tra vin", "ct 14 tra vinh"),
        # Known words, numbers and words without a likely correction stay as typed.
        ("chi tiet chi tieu 9", "chi tiet chi tieu 9"),
        ("who won the football match", "who won the football match"),
        ("gia vang hom nay", "gia vang hom nay"),
        ("ct 2025", "ct 2025"),
    ],
)
def test_spelling(text: str, fixed: str) -> None:
    assert speller().correct(fold(text)) == fixed


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("xin chào", "greeting"),
        ("chào bạn", "greeting"),
        ("hello!", "greeting"),
        ("cảm ơn", "thanks"),
        ("cam on ban nhieu nhe", "thanks"),
        ("dạ em cảm ơn ạ", "thanks"),
        ("ok thanks", "thanks"),
        ("ok", "ack"),
        ("tạm biệt", "bye"),
        ("cảm ơn, còn chỉ tiêu 15 thì sao?", None),
        ("xin chào, cho hỏi tảo hôn", None),
        ("chỉ tiêu", None),
    ],
)
def test_small_talk(text: str, kind: str | None) -> None:
    assert social(fold(text)) == kind
