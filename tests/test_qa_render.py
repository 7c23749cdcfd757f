"""Rendering: numbers, units and comparators per locale, escaping, sources, buttons."""

from __future__ import annotations

import re
from functools import cache

import pytest

from kernel.i18n import translator
from knowledge.loader import default_plans
from knowledge.qa import Answer, PlanPart, QAEngine, TargetPart
from knowledge.qa.format import short_name, value_text
from knowledge.render import render_answer
from knowledge.schema import Office, Value
from tests.test_question_set import load_questions, visible_text

VI, EN = translator("vi"), translator("en")
FACTUAL = {"target_value", "responsibility", "office_targets", "goal_targets", "topic",
           "compare", "deadlines", "document", "no_value_for_year", "not_stated",
           "office_leads_nothing", "overview"}


@cache
def engine() -> QAEngine:
    return QAEngine(default_plans())


def _value(**kw) -> Value:
    base = {"year": 2025, "comparator": "reach", "comparator_text": "đạt", "value": 98.5,
            "unit": "%", "text": "98,5%"}
    return Value(**(base | kw))


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (_value(), "đạt 98,5%", "reach 98.5%"),
        (_value(comparator="below", unit="per_1000_live_births", value=9.5),
         "dưới 9,5/1.000 trẻ đẻ sống", "under 9.5 per 1,000 live births"),
        (_value(comparator="down_to", unit="per_100000_children", value=550),
         "xuống 550/100.000 trẻ em", "down to 550 per 100,000 children"),
        (_value(unit="per_10000_children", value=3), "đạt 3/10.000 trẻ em",
         "reach 3 per 10,000 children"),
        (_value(unit="‰", value=6, comparator="below"), "dưới 6‰", "under 6‰"),
        (_value(unit="communes", value=4), "đạt 4 xã", "reach 4 communes"),
        (_value(unit="count", value=5000), "đạt 5.000", "reach 5,000"),
        (_value(comparator="range", value=2, value_max=3, text="2 đến 3%"),
         "từ 2 đến 3%", "from 2 to 3%"),
        (_value(comparator="range", value=1, value_max=2, text="1%-2%"),
         "từ 1%-2%", "from 1% to 2%"),  # vi: as the plan writes it
        (_value(comparator="maintain", value=None, text="duy trì"), "duy trì", "maintain"),
    ],
)
def test_values_per_locale(value: Value, vi: str, en: str) -> None:
    assert value_text(value, VI) == vi
    assert value_text(value, EN) == en


def test_value_notes_and_missing_years() -> None:
    assert value_text(_value(note="nông thôn"), VI).endswith("(nông thôn)")
    assert value_text(_value(year=None, note=None), EN).endswith("(no year stated)")
    # Editorial remarks about the document's wording are not shown.
    note = "văn bản chỉ ghi '3%'; 'xuống dưới' dùng chung với giá trị năm 2025"
    assert value_text(_value(note=note), VI) == "đạt 98,5%"


def test_target_value_reply_in_both_languages() -> None:
    answer = engine().ask("chỉ tiêu 3 năm 2025", plan_id="rach-gia-2021-2030")
    vi = visible_text(render_answer(answer, VI).text)
    en = visible_text(render_answer(answer, EN).text)
    assert "Chỉ tiêu 3" in vi and "dưới 9,5/1.000 trẻ đẻ sống" in vi
    assert "Target 3" in en and "under 9.5 per 1,000 live births" in en
    assert "Neonatal mortality" in en  # the English label
    plan = default_plans()["rach-gia-2021-2030"]
    assert vi.splitlines()[-1] == f"Nguồn: {plan.name}, mục II.2.a"
    assert en.splitlines()[-1] == f"Source: {plan.name_en}, section II.2.a"


def test_data_text_is_escaped() -> None:
    plan = default_plans()["rach-gia-2021-2030"]
    target = plan.target(14)
    assert target is not None
    odd = target.model_copy(update={"lead": [Office(name="Phòng <b>A</b> & B", section="V.2")]})
    answer = Answer("responsibility", (plan.id,), (PlanPart(plan, (TargetPart(odd, ()),)),), (14,))
    reply = render_answer(answer, VI)
    assert reply.html
    assert "Phòng &lt;b&gt;A&lt;/b&gt; &amp; B" in reply.text
    assert "<b>A</b>" not in reply.text


def test_every_factual_answer_cites_its_source() -> None:
    for qid, item in load_questions():
        answer = engine().ask(item["q"], plan_id=item.get("plan"))
        if answer.kind not in FACTUAL:
            continue
        for tr, word in ((VI, "Nguồn: "), (EN, "Source: ")):
            text = visible_text(render_answer(answer, tr).text)
            assert word in text, f"{qid}: no source line:\n{text}"


def test_replies_are_well_formed_html() -> None:
    allowed = {"b", "/b", "i", "/i"}
    for _qid, item in load_questions():
        answer = engine().ask(item["q"], plan_id=item.get("plan"))
        text = render_answer(answer, translator(item["lang"])).text
        assert set(re.findall(r"<(/?\w+)>", text)) <= allowed
        assert text.count("<b>") == text.count("</b>")


def test_choose_plan_offers_each_plan_with_an_answer_as_a_button() -> None:
    answer = engine().ask("chỉ tiêu 14")
    reply = render_answer(answer, VI)
    data = [b.data for row in reply.buttons for b in row]
    labels = [b.label for row in reply.buttons for b in row]
    plans = default_plans()
    with_target = [p for p in plans.values() if p.target(14)]
    assert data == [f"setplan:{p.id}" for p in with_target]
    assert labels == [short_name(p) for p in with_target]
    assert all(len(d.encode()) <= 64 for d in data)
    assert "Chọn kế hoạch" in reply.text


def test_unknown_suggests_questions() -> None:
    reply = render_answer(engine().ask("giá vàng hôm nay"), EN)
    assert reply.text.count("• ") >= 2
    assert "target 14 for 2025" in reply.text


def test_replies_stay_short() -> None:
    for qid, item in load_questions():
        answer = engine().ask(item["q"], plan_id=item.get("plan"))
        text = visible_text(render_answer(answer, translator(item["lang"])).text)
        assert len(text) < 4096, qid  # Telegram's message limit


# ---------------------------------------------------------------------- phone-sized replies

FULL = {"target_value", "compare", "no_value_for_year", "responsibility"}


def test_long_replies_are_trimmed_with_a_hint_and_stay_valid_html() -> None:
    for text, plan_id in (("dinh dưỡng", None), ("hạn báo cáo", None),
                          ("violence against children", "hcmc-2022-2030")):
        answer = engine().ask(text, plan_id=plan_id)
        for tr, hint in ((VI, "Hãy hỏi cụ thể hơn"), (EN, "Ask a narrower question")):
            reply = render_answer(answer, tr)
            shown = visible_text(reply.text)
            assert hint in shown, (text, shown)
            assert len(shown) <= 1300, (text, len(shown))
            assert reply.text.count("<b>") == reply.text.count("</b>")
            assert reply.text.count("<i>") == reply.text.count("</i>")
    # Every plan of a cross-plan answer keeps something to show.
    lines = visible_text(render_answer(engine().ask("dinh dưỡng"), VI).text).splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Nguồn: "):
            assert lines[i - 1].startswith("•"), lines[i - 1]


def test_replies_fit_a_phone_unless_every_value_was_asked_for() -> None:
    for qid, item in load_questions():
        answer = engine().ask(item["q"], plan_id=item.get("plan"))
        if answer.kind in FULL:
            continue
        text = visible_text(render_answer(answer, translator(item["lang"])).text)
        whole_list = answer.kind == "overview" and len(answer.parts) == 1  # asked for all
        assert len(text) <= (2000 if whole_list else 1300), (qid, len(text))


def test_topic_answers_list_few_targets() -> None:
    for qid, item in load_questions():
        answer = engine().ask(item["q"], plan_id=item.get("plan"))
        if answer.kind == "topic":
            assert all(len(p.targets) <= 3 for p in answer.parts), qid


def test_notes_in_english_and_no_repeated_comparator() -> None:
    maintain = _value(comparator="maintain", value=4.5, note="duy trì")
    assert value_text(maintain, VI) == "duy trì 4,5%"
    yearly = _value(comparator="reduce_by", value=5,
                    note="hằng năm so với cùng kỳ, giai đoạn đến năm 2025")
    assert value_text(yearly, EN) == "reduce by 5% (yearly, year on year, period to 2025)"
    assert value_text(_value(note="nông thôn"), EN).endswith("(rural)")
    assert value_text(_value(note="khu vực thành thị"), EN).endswith("(urban)")


def test_small_talk_replies_are_short_and_friendly() -> None:
    hello = visible_text(render_answer(engine().ask("xin chào"), VI).text)
    assert hello.startswith("Xin chào!") and len(hello.splitlines()) <= 8
    thanks = visible_text(render_answer(engine().ask("cảm ơn"), VI).text)
    assert thanks.startswith("Không có gì") and "\n" not in thanks
    assert "welcome" in visible_text(render_answer(engine().ask("thanks"), EN).text)


def test_a_missing_topic_offers_the_plans_that_have_it() -> None:
    reply = render_answer(engine().ask("môi trường mạng", plan_id="kon-ray-2022"), VI)
    shown = visible_text(reply.text)
    assert "không đặt chỉ tiêu hay mục tiêu nào về “môi trường mạng”" in shown
    assert "Nguồn: " in shown
    assert [b.data for row in reply.buttons for b in row] == ["setplan:hcmc-2022-2030"]


def test_overview_names_goals_with_their_targets() -> None:
    reply = visible_text(render_answer(
        engine().ask("các chỉ tiêu của kế hoạch", plan_id="hcmc-2022-2030"), VI).text)
    assert "Mục tiêu 2: Về bảo vệ trẻ em (chỉ tiêu 8–14)" in reply
    assert "Và 7 nhóm mục tiêu:" in reply and "Nguồn: " in reply
