"""End to end: questions about the plans through the real Application and the loopback Bot API."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.botapi import BotApiServer
from tests.e2e_support import bot_world, running_app

#: The main flows, with the fast paths on and off (FAST_PATHS).
pytestmark = pytest.mark.usefixtures("both_paths")

OFFICER = 501


async def test_start_help_and_a_question(tmp_path: Path) -> None:
    async with bot_world(tmp_path) as (server, _app, _svc):
        (welcome,) = await server.ask(OFFICER, "/start")
        assert "Xin chào" in welcome.text and "/plan" in welcome.text
        (reply,) = await server.ask(OFFICER, "chi tieu 14 nam 2025 rach gia")
        assert "99%" in reply.text and "2025" in reply.text
        assert "Nguồn" in reply.text and "II.2.b" in reply.text
        (reply,) = await server.ask(OFFICER, "/help")
        assert "/lang" in reply.text


async def test_choosing_a_plan_answers_the_pending_question_and_survives_restart(
    tmp_path: Path,
) -> None:
    async with BotApiServer() as server:
        async with running_app(server, tmp_path):
            (choose,) = await server.ask(OFFICER, "ai chịu trách nhiệm chỉ tiêu 14?")
            labels = [b["text"] for row in choose.reply_markup["inline_keyboard"] for b in row]
            assert any("Rạch Giá" in label for label in labels)
            replies = await server.press(OFFICER, choose, label=next(
                label for label in labels if "Rạch Giá" in label), count=2)
            assert "Rạch Giá" in replies[0].text
            assert "Tư pháp" in replies[-1].text
        # A new Application on the same database remembers the plan.
        async with running_app(server, tmp_path):
            (reply,) = await server.ask(OFFICER, "ct14 nam 2030")
            assert "100%" in reply.text and "Rạch Giá" in reply.text


async def test_language_switch_formats_numbers_for_the_locale(tmp_path: Path) -> None:
    async with bot_world(tmp_path) as (server, _app, _svc):
        (vi,) = await server.ask(OFFICER, "chỉ tiêu 16 năm 2025 rạch giá")
        assert "99,1%" in vi.text
        (done,) = await server.ask(OFFICER, "/lang en")
        assert "English" in done.text
        (en,) = await server.ask(OFFICER, "target 16 for 2025 in Rach Gia")
        assert "99.1%" in en.text and "Source" in en.text


async def test_english_telegram_user_gets_english_and_unknown_questions_get_help(
    tmp_path: Path,
) -> None:
    async with bot_world(tmp_path) as (server, _app, _svc):
        (reply,) = await server.ask(OFFICER + 1, "what is the weather today?", language_code="en")
        assert "target" in reply.text.lower()
        (reply,) = await server.ask(OFFICER + 1, "chỉ tiêu 30 ở Trà Vinh", language_code="vi")
        assert "30" in reply.text and "1–24" in reply.text
