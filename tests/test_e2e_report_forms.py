"""End to end (real Application, loopback Bot API): the everyday forms of issue 14.

Cancel in every state of the guided report (``/huy``, ``/cancel``, "hủy", the Cancel button),
and the next number typed is never taken as a count; a month without cases in one message;
messages that only start a report get the guided report for their month; what is missing is
named; a save whose confirmation message cannot be edited is still reported as saved.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kernel.clock import FrozenClock
from storage.models import Report
from tests.botapi import BotApiServer
from tests.e2e_support import bot_world
from tests.report_world import (
    NOW,
    OFFICER,
    OFFICER_2,
    OFFICER_EN,
    SUPERVISOR,
    count_rows,
    data_of,
    labels,
    populate,
    stored_reports,
)

pytestmark = pytest.mark.usefixtures("both_paths")

WAIT = 30.0
CANCELLED = {"vi": "Đã hủy. Không có gì được lưu.", "en": "Cancelled. Nothing was saved."}


async def _to_step(server: BotApiServer, user: int, step: str, lang: str = "vi") -> object:
    """Walk a guided report for 10/2025 up to ``step``; returns the last prompt."""
    (prompt,) = await server.ask(user, "/baocao", timeout=WAIT, language_code=lang)
    if step == "month":
        return prompt
    (prompt,) = await server.press(user, prompt, data_of(prompt, "rp:m:"), timeout=WAIT)
    if step == "count":
        return prompt
    (prompt,) = await server.ask(user, "2", timeout=WAIT, language_code=lang)
    if step == "details":
        return prompt
    for answer in ("Bỏ qua", "1"):
        (prompt,) = await server.ask(user, answer, timeout=WAIT, language_code=lang)
    (prompt,) = await server.ask(user, "bỏ qua", timeout=WAIT, language_code=lang)
    (prompt,) = await server.ask(user, "0", timeout=WAIT, language_code=lang)
    assert step == "confirm" and "rp:ok:" in str(prompt.buttons), prompt.text
    return prompt


@pytest.mark.parametrize("step", ["month", "count", "details", "confirm"])
async def test_cancel_ends_the_report_in_every_state_and_the_next_number_is_no_count(
    tmp_path: Path, step: str
) -> None:
    async with bot_world(tmp_path, clock=FrozenClock(NOW)) as (server, _app, svc):
        await populate(svc)
        for way in ("/huy", "/cancel", "hủy", "Huỷ!", "thôi", "button"):
            prompt = await _to_step(server, OFFICER, step)
            if way == "button":
                (reply,) = await server.press(OFFICER, prompt, label="✖ Hủy", timeout=WAIT)
            else:
                (reply,) = await server.ask(OFFICER, way, timeout=WAIT)
            assert reply.text == CANCELLED["vi"], (step, way, reply.text)
            # the conversation is over: a number is a question now, never a count
            (after,) = await server.ask(OFFICER, "3", timeout=WAIT)
            assert "Có bao nhiêu" not in after.text and "Chỉ tiêu 3" in after.text, after.text
        assert await count_rows(svc, Report) == 0
        # in English, and with nothing to cancel
        await _to_step(server, OFFICER_EN, "count", "en")
        (reply,) = await server.ask(OFFICER_EN, "cancel", timeout=WAIT, language_code="en")
        assert reply.text == CANCELLED["en"]
        (reply,) = await server.ask(OFFICER_EN, "/huy", timeout=WAIT, language_code="en")
        assert reply.text == "Nothing to cancel."
        # typed, it is one answer (never also read as a question about the plan)
        since = server.mark()
        await server.send_text(OFFICER, "hủy")
        await server.send_text(OFFICER, "/help")
        replies = await server.wait_for(2, chat_id=OFFICER, since=since, timeout=WAIT)
        assert replies[0].text == "Không có việc gì để hủy." and "/help" in replies[1].text


async def test_a_month_without_cases_and_counts_in_words_in_one_message(tmp_path: Path) -> None:
    async with bot_world(tmp_path, clock=FrozenClock(NOW)) as (server, _app, svc):
        await populate(svc)
        (summary,) = await server.ask(OFFICER, "báo cáo tháng 9/2025 không có vụ việc nào",
                                      timeout=WAIT)
        assert "09/2025" in summary.text and "Xâm hại trẻ em: 0" in summary.text
        await server.press(OFFICER, summary, data_of(summary, "rp:ok:"), timeout=WAIT)
        (summary,) = await server.ask(OFFICER_2, "tháng 10 không có ca nào ạ", timeout=WAIT)
        await server.press(OFFICER_2, summary, data_of(summary, "rp:ok:"), timeout=WAIT)
        (summary,) = await server.ask(
            OFFICER_EN, "October: two injuries, no abuse, no child marriage",
            timeout=WAIT, language_code="en")
        assert "Oct 2025" in summary.text
        await server.press(OFFICER_EN, summary, data_of(summary, "rp:ok:"), timeout=WAIT)
        saved = {(r.month, r.abuse, r.injury, r.marriage) for r in await stored_reports(svc)}
        assert saved == {(9, 0, 0, 0), (10, 0, 0, 0), (10, 0, 2, 0)}


async def test_messages_that_start_a_report_get_that_report(tmp_path: Path) -> None:
    async with bot_world(tmp_path, clock=FrozenClock(NOW)) as (server, _app, svc):
        await populate(svc)
        (reply,) = await server.ask(OFFICER, "báo cáo", timeout=WAIT)
        assert "Báo cáo cho tháng nào?" in reply.text and "10/2025" in labels(reply)
        (reply,) = await server.ask(OFFICER, "báo cáo tháng 10/2025", timeout=WAIT)
        assert "Báo cáo tháng 10/2025" in reply.text and "xâm hại" in reply.text
        (reply,) = await server.ask(OFFICER, "hủy", timeout=WAIT)
        (reply,) = await server.ask(OFFICER, "bc t10 xh  tntt 3 th", timeout=WAIT)
        assert "Báo cáo chưa được lưu" in reply.text
        assert "Xâm hại trẻ em: còn thiếu số ca" in reply.text
        assert "Tảo hôn: còn thiếu số ca" in reply.text
        # a question about reporting is still a question about the plan
        (reply,) = await server.ask(OFFICER, "báo cáo 6 tháng gửi cho ai?", timeout=WAIT)
        assert "Báo cáo chưa được lưu" not in reply.text and "Nguồn" in reply.text
        for text, reason in [
            ("<b>bc t10 xh 1 tntt 3 th 0</b>", "thẻ HTML"),
            ("bc t10 xh 1 tntt 3 th 0 " * 8, "8 lần"),
            ("bc t10 xh 1 tntt 3 th 0 hôm nay trời mưa to quá nên đi làm muộn", "ngoài báo cáo"),
        ]:
            (reply,) = await server.ask(OFFICER, text, timeout=WAIT)
            assert reason in reply.text, (text, reply.text)
        assert await count_rows(svc, Report) == 0


async def test_a_save_whose_message_cannot_be_edited_is_still_said_saved(tmp_path: Path) -> None:
    async with bot_world(tmp_path, clock=FrozenClock(NOW)) as (server, _app, svc):
        await populate(svc)
        (summary,) = await server.ask(OFFICER, "bc t10 xh 1 tntt 2 th 0", timeout=WAIT)
        server.fail_next(3, status=500, methods=["editMessageText"])
        replies = await server.press(OFFICER, summary, data_of(summary, "rp:ok:"), timeout=WAIT)
        assert any("Đã lưu báo cáo tháng 10/2025" in (r.text or "") for r in replies)
        assert [(r.abuse, r.injury) for r in await stored_reports(svc)] == [(1, 2)]


async def test_remind_with_an_unknown_word_and_a_backwards_range(tmp_path: Path) -> None:
    async with bot_world(tmp_path, clock=FrozenClock(NOW)) as (server, _app, svc):
        await populate(svc)
        (reply,) = await server.ask(SUPERVISOR, "/remind maybe", timeout=WAIT)
        assert reply.text.startswith("Tôi chưa hiểu lựa chọn này") and "maybe" not in reply.text
        assert labels(reply) == ["✅ Bật", "Tắt"]  # nothing changed
        (reply,) = await server.ask(SUPERVISOR, "/thongke 10/2025-01/2025", timeout=WAIT)
        assert "bị ngược" in reply.text
