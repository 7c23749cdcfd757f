"""End to end, through the real Application over the loopback Bot API: questions are answered,
never refused; what an officer types about a child reaches neither the database files nor the
logs; unit data stays out of group chats; wrong invite codes are logged and slowed down; a
deactivated person's invites stop working.
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from bot.logging_setup import setup_logging
from kernel.clock import FrozenClock
from storage import invites, people
from storage.models import AccessLog, Invite, ReportVersion
from tests.e2e_support import bot_world
from tests.report_world import (
    ADMIN,
    NOW,
    OFFICER,
    OUTSIDER,
    SUPERVISOR,
    SUPERVISOR_2,
    access_entries,
    data_of,
    labels,
    populate,
    stored_versions,
)

WAIT = 30.0
REFUSED = "Để bảo vệ trẻ em"
NOTE = "Xin đừng gửi tên"
GROUP = -100_555


async def test_ordinary_questions_are_answered_not_refused(tmp_path: Path) -> None:
    """The questions the old screen refused ("Chí Minh" read as "chị Minh", a year as a birth
    date, "to 2030" as an address, a sum of money as an ID number) are answered."""
    questions = [
        ("chỉ tiêu 14 năm 2025 của Thành phố Hồ Chí Minh", "Hồ Chí Minh"),
        ("What is target 14 for 2025 in Ho Chi Minh City?", "Minh"),
        ("trẻ em Hồ Chí Minh được khai sinh", "Hồ Chí Minh"),
        ("trẻ em Kon Rẫy 2025", "2025"),
        ("targets up to 2030 in Tra Vinh", "2030"),
        ("tỷ lệ trẻ sơ sinh năm 2025 được đăng ký khai sinh", "2025"),
        ("birth registration of children born in 2025", "2025"),
        ("kinh phí 100000000 đồng cho trẻ em Việt Nam", ""),
    ]
    async with bot_world(tmp_path) as (server, _app, _svc):
        for question, expected in questions:
            (reply,) = await server.ask(OUTSIDER, question, timeout=WAIT)
            assert REFUSED not in reply.text and NOTE not in reply.text, (question, reply.text)
            assert expected in reply.text, (question, reply.text)

        # A question holding a child's details is answered too, with one line about it.
        (reply,) = await server.ask(OUTSIDER, "em Lan 9 tuổi bị đánh thì báo cho ai?",
                                    timeout=WAIT)
        assert REFUSED not in reply.text and reply.text.count(NOTE) == 1
        assert "Lan" not in reply.text


async def test_a_child_s_details_typed_in_a_correction_never_reach_the_database(
    tmp_path: Path,
) -> None:
    name, phone = "Trần Thị Bích", "0912 345 678"
    secrets = [name, "Tran Thi Bich", "Bích", phone, "0912345678", "912345678", "345 678",
               "Nguyễn Văn Nam", "0987.654.321", "0987654321", "Hoa 7"]
    async with bot_world(tmp_path, clock=FrozenClock(NOW), ADMIN_IDS="1") as (server, app, svc):
        await populate(svc)
        (summary,) = await server.ask(OFFICER, "bc t10 xh 2 tntt 5 th 0", timeout=WAIT)
        (saved,) = await server.press(OFFICER, summary, data_of(summary, "rp:ok:"), timeout=WAIT)
        assert "Đã lưu" in saved.text

        # A report message with a name is refused, and does not echo it.
        (refused,) = await server.ask(OFFICER, "bc t10 xh 3 (em Nguyễn Văn Nam 12t) tntt 5 th 0",
                                      timeout=WAIT)
        assert REFUSED in refused.text and "Nguyễn" not in refused.text

        (existing,) = await server.ask(OFFICER, "bc t10 xh 3 tntt 5 th 0", timeout=WAIT)
        (why,) = await server.press(OFFICER, existing, "rp:r", timeout=WAIT)
        typed = f"nhập nhầm, nạn nhân là {name}…, mẹ cháu sđt 09\u200b12 345\u200b678"
        (refused,) = await server.ask(OFFICER, typed, timeout=WAIT)
        assert REFUSED in refused.text and "số điện thoại" in refused.text
        assert "Bích" not in refused.text and labels(refused)[0] == "Nhập nhầm"
        (note_prompt,) = await server.press(OFFICER, why, "rp:why:other", timeout=WAIT)
        (refused,) = await server.ask(OFFICER, "cháu Hoa 7 tuổi, gọi 0987.654.321", timeout=WAIT)
        assert REFUSED in refused.text
        (summary,) = await server.ask(OFFICER, "đã thống nhất với huyện", timeout=WAIT)
        assert "Lý do: Khác: đã thống nhất với huyện" in summary.text
        (saved,) = await server.press(OFFICER, summary, data_of(summary, "rp:ok:"), timeout=WAIT)
        assert "phiên bản 2" in saved.text
        versions = await stored_versions(svc)
        assert [(v.reason_code, v.reason_note) for v in versions] == [
            (None, None), ("other", "đã thống nhất với huyện")]
        await app.update_persistence()

    # Every file of the database (tables, WAL, free pages) after the bot stopped.
    files = [p for p in tmp_path.iterdir() if p.name.startswith("bot.db")]
    assert files
    for path in files:
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, (path.name, secret)
    assert "đã thống nhất với huyện".encode() in (tmp_path / "bot.db").read_bytes()


async def test_secure_delete_overwrites_a_discarded_draft(tmp_path: Path) -> None:
    """A draft's note left in free pages would outlive the draft: SQLite zeroes them."""
    async with bot_world(tmp_path, clock=FrozenClock(NOW), ADMIN_IDS="1") as (server, app, svc):
        await populate(svc)
        (summary,) = await server.ask(OFFICER, "bc t10 xh 2 tntt 5 th 0", timeout=WAIT)
        await server.press(OFFICER, summary, data_of(summary, "rp:ok:"), timeout=WAIT)
        (existing,) = await server.ask(OFFICER, "bc t10 xh 4 tntt 5 th 0", timeout=WAIT)
        (why,) = await server.press(OFFICER, existing, "rp:r", timeout=WAIT)
        (summary,) = await server.ask(OFFICER, "ghi chú tạm thời xyzzy", timeout=WAIT)
        await app.update_persistence()
        (cancelled,) = await server.ask(OFFICER, "/cancel", timeout=WAIT)
        assert "Đã hủy" in cancelled.text
        await app.update_persistence()
    # The bot has stopped: the WAL is checkpointed into the file and removed.
    assert not (tmp_path / "bot.db-wal").exists()
    assert b"xyzzy" not in (tmp_path / "bot.db").read_bytes()


async def test_unit_data_stays_out_of_group_chats(tmp_path: Path) -> None:
    async with bot_world(tmp_path, clock=FrozenClock(NOW), ADMIN_IDS="1") as (server, _app, svc):
        await populate(svc)
        for user, text in [
            (OFFICER, "/stats"), (OFFICER, "/thongke quy 3 2025"), (OFFICER, "/myreports"),
            (OFFICER, "/report"), (OFFICER, "bc t10 xh 1 tntt 0 th 0"), (OFFICER, "/deadline"),
            (SUPERVISOR, "/invite C11 officer"), (SUPERVISOR, "/people"), (SUPERVISOR, "/units"),
            (SUPERVISOR, "/reopen C11 10/2025"), (OUTSIDER, "/start abcdefgh12345678"),
            (OFFICER, "/stats@child_plan_bot"),
        ]:
            replies = await server.ask(user, text, chat_id=GROUP, chat_type="supergroup",
                                       timeout=WAIT)
            assert len(replies) == 1 and "trò chuyện riêng" in replies[0].text, text
            assert "t.me/" in replies[0].text and "An Trường" not in replies[0].text, text
        # A tapped unit button in the group gets a notice, and no file is posted.
        notice = server.last_message(GROUP)
        since = server.mark()
        await server.tap(OFFICER, notice, "stats:csv:1:202507:202509:q", check=False)
        (alert,) = await server.wait_for(1, methods=["answerCallbackQuery"], since=since,
                                         timeout=WAIT)
        assert "trò chuyện riêng" in alert.params.get("text", "")
        # Questions about the plans are still answered in groups.
        (answer,) = await server.ask(OFFICER, "chỉ tiêu 14 trà vinh", chat_id=GROUP,
                                     chat_type="supergroup", timeout=WAIT)
        assert "Trà Vinh" in answer.text
        group_texts = " ".join(m.text or "" for m in server.messages_to(GROUP))
        assert "An Trường" not in group_texts and "C11" not in group_texts
        assert not server.calls(chat_id=GROUP, methods=["sendDocument", "sendPhoto"])
        refused = await access_entries(svc, "refused")
        assert len(refused) == 13 and {e.detail for e in refused} == {"group_chat"}


async def test_wrong_invite_codes_are_logged_and_slowed_down(tmp_path: Path) -> None:
    clock = FrozenClock(NOW)
    async with bot_world(tmp_path, clock=clock, ADMIN_IDS="1") as (server, _app, svc):
        ids = await populate(svc)
        async with svc.db.session() as session:
            code, _invite = await invites.create_invite(session, ids["C11"], "officer", now=NOW)
            await session.commit()
        wrong = [f"WRONGCODE{n}xx" for n in range(5)]
        for guess in wrong:
            (reply,) = await server.ask(OUTSIDER, f"/start {guess}", timeout=WAIT)
            assert "Mã mời không hợp lệ" in reply.text
        (slowed,) = await server.ask(OUTSIDER, f"/start {code}", timeout=WAIT)
        assert "quá nhiều lần" in slowed.text  # not even the right code is tried now
        failed = await access_entries(svc, "invite_failed")
        assert [e.detail for e in failed] == ["unknown"] * 5
        assert len(await access_entries(svc, "invite_throttled")) == 1
        async with svc.db.read_session() as session:
            details = [e.detail or "" for e in (await session.scalars(select(AccessLog))).all()]
        assert not any(guess in d or code in d for d in details for guess in wrong)

        clock.set(NOW + timedelta(minutes=16))
        (joined,) = await server.ask(OUTSIDER, f"/start {code}", timeout=WAIT)
        assert "Chào mừng" in joined.text


async def test_deactivating_a_person_revokes_the_invites_they_created(tmp_path: Path) -> None:
    async with bot_world(tmp_path, clock=FrozenClock(NOW), ADMIN_IDS="1") as (server, _app, svc):
        await populate(svc)
        (invite,) = await server.ask(SUPERVISOR, "/invite C11 officer", timeout=WAIT)
        code = re.search(r"start=(\S+)", invite.text).group(1)  # type: ignore[union-attr]
        (done,) = await server.ask(ADMIN, f"/deactivate {SUPERVISOR}", timeout=WAIT)
        assert "1 lời mời" in done.text
        (reply,) = await server.ask(OUTSIDER, f"/start {code}", timeout=WAIT)
        assert "hết hạn" in reply.text
        async with svc.db.read_session() as session:
            outsider = await people.get_person(session, OUTSIDER)
            (row,) = (await session.scalars(select(Invite))).all()
        assert outsider is not None and outsider.role is None and row.used_at is None


async def test_absurd_periods_get_a_clear_reply(tmp_path: Path) -> None:
    async with bot_world(tmp_path, clock=FrozenClock(NOW), ADMIN_IDS="1") as (server, _app, svc):
        await populate(svc)
        for text, expected in [
            ("/stats 1000 - 9999", "từ 2000 đến 2100"),
            ("/stats 1999", "từ 2000 đến 2100"),
            ("/stats D1 2031", "ngoài thời gian của kế hoạch"),
            ("/stats D1 2019", "ngoài thời gian của kế hoạch"),
            ("/stats D1 1/2019 - 6/2019", "ngoài thời gian của kế hoạch"),
        ]:
            (reply,) = await server.ask(SUPERVISOR, text, timeout=WAIT)
            assert expected in reply.text, (text, reply.text)


async def test_logs_at_debug_hold_no_token_typed_text_or_reported_value(tmp_path: Path) -> None:
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    typed = [
        "bc t10 xh 617 tntt 823 th 0",
        "em Trần Thị Bích 9 tuổi bị đánh thì báo ai",
        "nhập nhầm, mẹ cháu Bích sđt 0912 345 678",
        "chỉ tiêu 14 năm 2025 Thành phố Hồ Chí Minh",
    ]
    try:
        async with bot_world(tmp_path, clock=FrozenClock(NOW), ADMIN_IDS="1",
                             LOG_LEVEL="DEBUG") as (server, _app, svc):
            setup_logging("DEBUG", secrets=[server.token], stream=stream)
            assert logging.getLogger().getEffectiveLevel() == logging.DEBUG
            await populate(svc)
            (summary,) = await server.ask(OFFICER, typed[0], timeout=WAIT)
            await server.press(OFFICER, summary, data_of(summary, "rp:ok:"), timeout=WAIT)
            await server.ask(OFFICER, typed[1], timeout=WAIT)
            (existing,) = await server.ask(OFFICER, "bc t10 xh 616 tntt 823 th 0", timeout=WAIT)
            await server.press(OFFICER, existing, "rp:r", timeout=WAIT)
            await server.ask(OFFICER, typed[2], timeout=WAIT)
            await server.ask(OFFICER, "/cancel", timeout=WAIT)
            await server.ask(OFFICER, typed[3], timeout=WAIT)
            await server.ask(SUPERVISOR, "/stats D1", timeout=WAIT)
            await asyncio.sleep(0.2)
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
    text = stream.getvalue()
    assert "update id=" in text
    assert server.token not in text and server.token.split(":")[1] not in text
    for message in typed:
        assert message not in text, message
    # Without what each line carries by design: its time stamp, update ids and timings.
    scrubbed = re.sub(r"\b(?:ms|id)=\S+", "", re.sub(r"(?m)^\S+ \S+ ", "", text))
    for word in ("Bích", "0912", "617", "823", "616"):
        assert not re.search(rf"(?<![\w.]){word}(?![\w.])", scrubbed), word


async def test_report_versions_keep_codes_not_typed_reasons(tmp_path: Path) -> None:
    """The audit trail's reason columns hold a code and a screened note only."""
    async with bot_world(tmp_path, clock=FrozenClock(NOW), ADMIN_IDS="1") as (server, _app, svc):
        await populate(svc)
        (summary,) = await server.ask(OFFICER, "bc t10 xh 2 tntt 5 th 0", timeout=WAIT)
        await server.press(OFFICER, summary, data_of(summary, "rp:ok:"), timeout=WAIT)
        (existing,) = await server.ask(OFFICER, "bc t10 xh 3 tntt 5 th 0", timeout=WAIT)
        await server.press(OFFICER, existing, "rp:r", timeout=WAIT)
        # One reason in words: only its code is kept.
        (summary,) = await server.ask(OFFICER, "đếm hai lần một ca", timeout=WAIT)
        assert "Lý do: Trùng ca" in summary.text
        await server.press(OFFICER, summary, data_of(summary, "rp:ok:"), timeout=WAIT)
        # Two reasons in one text: "other", with the (screened) words as its note.
        (existing,) = await server.ask(OFFICER, "bc t10 xh 4 tntt 5 th 0", timeout=WAIT)
        await server.press(OFFICER, existing, "rp:r", timeout=WAIT)
        (summary,) = await server.ask(OFFICER, "nhập nhầm và trùng 1 ca", timeout=WAIT)
        assert "Lý do: Khác: nhập nhầm và trùng 1 ca" in summary.text
        await server.press(OFFICER, summary, data_of(summary, "rp:ok:"), timeout=WAIT)
        async with svc.db.read_session() as session:
            rows = (await session.scalars(select(ReportVersion))).all()
        assert [(r.reason_code, r.reason_note) for r in rows] == [
            (None, None), ("duplicate", None), ("other", "nhập nhầm và trùng 1 ca")]


async def test_a_forged_reopen_button_learns_nothing(tmp_path: Path) -> None:
    async with bot_world(tmp_path, clock=FrozenClock(NOW), ADMIN_IDS="1") as (server, _app, svc):
        ids = await populate(svc)
        (summary,) = await server.ask(OFFICER, "bc t10 xh 2 tntt 5 th 0", timeout=WAIT)
        await server.press(OFFICER, summary, data_of(summary, "rp:ok:"), timeout=WAIT)
        (mine,) = await server.ask(SUPERVISOR_2, "/reopen C21 10/2025", timeout=WAIT)
        for forged in (f"ro:{ids['C11']}:2025-10:entry_mistake", "ro:999999:2025-10:other",
                       f"ro:{ids['C11']}:2025-13:other", f"ro:{ids['C11']}:2025-10:nonsense"):
            since = server.mark()
            await server.tap(SUPERVISOR_2, mine, forged, check=False)
            (reply,) = await server.wait_for(1, chat_id=SUPERVISOR_2, since=since, timeout=WAIT)
            assert "An Trường" not in reply.text and "C11" not in reply.text, forged
            assert str(ids["C11"]) not in reply.text, forged
        assert [v.action for v in await stored_versions(svc)] == ["created"]
        assert [e.detail for e in await access_entries(svc, "refused")] == ["unknown_unit"] * 2
