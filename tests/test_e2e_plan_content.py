"""End to end: questions on the whole plan (duties, funding, reporting, passages), the plan a
question is answered from, the reply language, and what a stranger's question stores."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from knowledge.loader import default_plans, source_text
from knowledge.normalize import fold
from storage.models import AccessLog, ConversationState, PersistedData, Person, ProcessedUpdate
from tests.e2e_support import bot_world
from tests.report_world import OFFICER, OUTSIDER, count_rows, populate

pytestmark = pytest.mark.usefixtures("both_paths")

STRANGER = 9_001


def _quotes(text: str) -> list[str]:
    """The passages a reply quotes (between “ ”), without a trailing ellipsis."""
    return [q.rstrip("…").strip() for q in re.findall(r"“([^”]+)”", html.unescape(text))]


def _in_source(quote: str, plan_id: str) -> bool:
    """Every part of a quote (cut at …) is in the plan's source text, spacing aside."""
    source = fold(" ".join(source_text(default_plans()[plan_id]).split()))
    return all(fold(" ".join(part.split())) in source
               for part in quote.split("…") if part.strip())


async def test_officer_is_answered_from_their_unit_plan(tmp_path: Path) -> None:
    """No /plan: a registered officer's questions use their unit's plan (Trà Vinh 2021);
    someone with no unit is asked to choose."""
    async with bot_world(tmp_path) as (server, _app, svc):
        await populate(svc)
        await svc.refresh_units()
        (reply,) = await server.ask(OFFICER, "chỉ tiêu 14 năm 2025")
        assert "98,5%" in reply.text and "I.2.b" in reply.text
        (reply,) = await server.ask(OFFICER, "So giao duc phai lam gi?")
        assert "Sở Giáo dục và Đào tạo" in reply.text and "IV.4" in reply.text
        quotes = _quotes(reply.text)
        assert quotes and all(_in_source(q, "tra-vinh-2021-2030") for q in quotes)
        (reply,) = await server.ask(OUTSIDER, "chỉ tiêu 14 năm 2025")
        assert "chưa chọn kế hoạch" in reply.text


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("kinh phí thực hiện kế hoạch rạch giá", ["Nguồn kinh phí", "(IV.1)"]),
        ("Phòng Giáo dục Rạch Giá phải làm gì?", ["Phòng Giáo dục và Đào tạo", "(V.4)"]),
        ("ai chủ trì tuyên truyền giảm tảo hôn ở Trà Vinh 2024?", ["Ban Dân tộc tỉnh", "(V.12)"]),
        ("báo cáo gửi về cơ quan nào ở Rạch Giá", ["→ Sở Lao động - Thương binh và Xã hội"]),
    ],
)
async def test_whole_plan_questions_quote_the_plan_with_its_section(
    tmp_path: Path, question: str, words: list[str]
) -> None:
    async with bot_world(tmp_path) as (server, _app, _svc):
        (reply,) = await server.ask(STRANGER, question)
        assert all(word in reply.text for word in words)
        plan = "tra-vinh-2024" if "2024" in question else "rach-gia-2021-2030"
        quotes = _quotes(reply.text)
        assert quotes or "→" in reply.text  # reporting lines name who reports to whom
        assert all(_in_source(q, plan) for q in quotes)


async def test_nothing_in_the_plan_says_so_and_suggests(tmp_path: Path) -> None:
    async with bot_world(tmp_path) as (server, _app, _svc):
        (reply,) = await server.ask(STRANGER, "ai chủ trì phòng chống đuối nước ở Rạch Giá?")
        assert "Rạch Giá" in reply.text and "đuối nước" in reply.text
        assert "Chỉ tiêu" not in reply.text  # never another target's answer


async def test_reply_follows_the_language_of_the_question(tmp_path: Path) -> None:
    async with bot_world(tmp_path) as (server, _app, _svc):
        (reply,) = await server.ask(STRANGER, "who is responsible for target 14 in Rach Gia?",
                                    language_code="vi")
        assert "Source" in reply.text and "Nguồn" not in reply.text
        (reply,) = await server.ask(STRANGER, "ai chịu trách nhiệm chỉ tiêu 14 ở Rạch Giá?",
                                    language_code="en")
        assert "Nguồn" in reply.text and "Phòng Tư pháp" in reply.text


async def test_a_strangers_questions_store_nothing(tmp_path: Path) -> None:
    """A question needs nothing of the asker stored: no person, no user data, no state."""
    async with bot_world(tmp_path) as (server, app, svc):
        for i, question in enumerate(["kinh phí kế hoạch Trà Vinh 2024", "ct 14 rach gia 2030",
                                      "what does the Department of Health do in Tra Vinh?"]):
            (reply,) = await server.ask(STRANGER + i, question)
            assert reply.text
        await app.update_persistence()
        for model in (Person, PersistedData, ConversationState, ProcessedUpdate, AccessLog):
            assert await count_rows(svc, model) == 0, model.__name__
        await server.ask(STRANGER, "/start")  # acting (here /start) records the person
        assert await count_rows(svc, Person) == 1
