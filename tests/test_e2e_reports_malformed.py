"""End to end: malformed and hostile report messages are each answered clearly, nothing saved.

One bot (one loopback server, one database) serves every case, to keep the suite quick.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kernel.clock import FrozenClock
from storage.models import Report, ReportVersion
from tests.botapi import BotApiServer
from tests.e2e_support import bot_world
from tests.report_world import (
    NOW,
    OFFICER,
    OFFICER_EN,
    OUTSIDER,
    SUPERVISOR,
    count_rows,
    populate,
)

WAIT = 30.0
NOT_SAVED = "Báo cáo chưa được lưu"
EXAMPLE = "báo cáo tháng"
PRIVACY = "Để bảo vệ trẻ em"
JOIN = "chưa được đăng ký"


@dataclass(frozen=True)
class Case:
    text: str
    expected: tuple[str, ...]
    user: int = OFFICER
    never_echoed: tuple[str, ...] = ()
    language: str = "vi"


def problem(text: str, *expected: str, never_echoed: tuple[str, ...] = ()) -> Case:
    return Case(text, (NOT_SAVED, EXAMPLE, *expected), never_echoed=never_echoed)


def personal(text: str, kind: str, secret: str) -> Case:
    return Case(text, (PRIVACY, kind, "chưa được lưu"), never_echoed=(secret,))


CASES: list[Case] = [
    # Counts that are missing, negative, not whole numbers, spelled out or absurd.
    problem("/report t10 xh tntt th", "còn thiếu số ca"),
    problem("bc t10 xh -2 tntt 5 th 0", "số âm"),
    problem("bc t10 xh 2.5 tntt 5 th 0", "“2.5” không phải là số nguyên"),
    problem("bc t10 xh 2,5 tntt 5 th 0", "không phải là số nguyên"),
    problem("bc t10 xh 10% tntt 1 th 0", "không phải là số nguyên"),
    problem("bc t10 xh 99999 tntt 5 th 0", "quá nhiều"),
    problem("bc t10 xh 1.000.000 tntt 1 th 0", "quá nhiều"),
    problem("bc t10 xh 1 tntt 2", "Còn thiếu", "tảo hôn"),
    problem("bc t10 tảo hôn 0 xh 1", "Còn thiếu", "tai nạn thương tích"),
    problem("bc t10 xh 😀 tntt 5 th 0", "còn thiếu số ca"),
    # Months: in the future, not over, invalid, several, outside the plan.
    problem("bc t12/2025 xh 1 tntt 1 th 0", "chưa đến"),
    problem("bc t1/2031 xh 1 tntt 1 th 0", "chưa đến"),
    problem("bc t11/2025 xh 1 tntt 1 th 0", "chưa kết thúc"),
    problem("bc t10/2019 xh 1 tntt 1 th 0", "ngoài thời gian của kế hoạch"),
    problem("bc tháng 13/2025 xh 1 tntt 1 th 0", "không phải là một tháng hợp lệ"),
    problem("bc t9 t10 xh 1 tntt 1 th 0", "nhiều hơn một tháng"),
    problem("/report 13/2025", "không phải là một tháng hợp lệ"),
    # Breakdowns above their totals, unknown and duplicated categories.
    problem("bc t10 xh 1 (bạo lực 3) tntt 1 th 0", "không thể nhiều hơn"),
    problem("bc t10 xh 2 (bạo lực 1, tình dục 2) tntt 1 th 0", "cộng lại"),
    problem("bc t10 xh 0 tntt 1 (đuối nước 2) th 0", "không thể nhiều hơn"),
    problem("bc t10 xh 0 tntt 1 th 0 tử vong 2", "không thể nhiều hơn"),
    # Words not understood are never quoted back (they may be a child's name); numbers are.
    problem("bc t10 xh 1 tntt 1 th 0 buôn bán 3", "Tôi chưa hiểu", "“3”",
            never_echoed=("buôn",)),
    problem("bc t10 xh 1 tntt 1 th 0 qwerty asdf zxcv uiop", "ngoài báo cáo",
            never_echoed=("qwerty", "asdf")),
    problem("bc t10 xh 1 xh 2 tntt 1 th 0", "hai lần"),
    Case("/report hello world", ("Báo cáo cho tháng nào",)),  # the guided report
    # Personal data in many forms: refused, never echoed back.
    personal("bc t10 xh 1 tntt 1 th 0, liên hệ 0912345678", "số điện thoại", "0912345678"),
    personal("bc t10 xh 1 tntt 1 th 0 sđt +84 912 345 678", "số điện thoại", "912 345"),
    personal("bc t10 xh 1 tntt 1 th 0 cccd 079123456789", "CCCD", "079123456789"),
    personal("bc t10 xh 1 tntt 1 th 0 gửi abc@gmail.com", "email", "abc@gmail.com"),
    personal("bc t10 xh 1 (em Nguyễn Văn An 12 tuổi) tntt 1 th 0", "tên", "Nguyễn Văn An"),
    personal("bc t10 xh 1 tntt 1 th 0, cháu sinh ngày 12/03/2015", "ngày sinh", "12/03/2015"),
    personal("bc t10 xh 1 tntt 1 th 0, số nhà 12 đường Lê Lợi", "địa chỉ", "Lê Lợi"),
    personal("bc t10 xh 1 tntt 1 th 0 ấp 3 xã An Trường", "địa chỉ", "ấp 3"),
    personal("bc t10 xh 1 tntt 1 th 0 bé Lan", "tên", "Lan"),
    personal("bc t10 xh 1 tntt 1 th 0 chau Tran Thi Mai 9 tuoi", "tên", "Tran Thi Mai"),
    personal("xâm hại 1 tntt 1 tảo hôn 0 nạn nhân Lê Thị Hoa", "tên", "Lê Thị Hoa"),
    Case(
        "/report 2025-10 abuse 1 injury 1 marriage 0 victim John Smith, 12 years old",
        ("To protect the children", "name"), user=OFFICER_EN, language="en",
        never_echoed=("John",),
    ),
    # Markup, SQL-ish text, very long text.
    problem("bc t10 xh 2 tntt 5 th 0 <script>alert(1)</script>", "thẻ HTML"),
    problem("<b>bc t10 xh 2 tntt 5 th 0</b>", "thẻ HTML"),
    problem("bc t10 xh 1; DROP TABLE reports; DELETE FROM people;-- tntt 1 th 0",
            "ngoài báo cáo", never_echoed=("DROP",)),
    problem("bc t10 xh 1 tntt 1 th 0 " * 8, "8 lần"),
    problem("/report 2025-10' OR '1'='1 abuse 1 injury 1 marriage 0", "Tôi chưa hiểu"),
    problem("bc t10 xh 1 tntt 1 th 0 " + "rất dài " * 150, "quá dài"),
    problem("/report " + "xh 1 " * 400, "quá dài"),
    # People who may not report (for this unit).
    Case("bc t10 xh 1 tntt 1 th 0", (JOIN, "mời"), user=OUTSIDER),
    Case("/baocao", (JOIN,), user=OUTSIDER),
    Case("/myreports", (JOIN,), user=OUTSIDER),
    Case("bc t10 xh 1 tntt 1 th 0", ("theo từng xã", "/report C11 10/2025"), user=SUPERVISOR),
    Case("/report C21 10/2025 xh 1 tntt 1 th 0", ("đơn vị của mình",), user=SUPERVISOR),
    Case("/report C12 10/2025 xh 1 tntt 1 th 0", ("đơn vị của mình",)),
    Case("/reopen C11 10/2025", ("Chỉ cán bộ phụ trách",)),
    Case("/reopen", ("Cách dùng: /reopen",), user=SUPERVISOR),
    Case("/reopen XYZ 10/2025", ("không tìm thấy đơn vị",), user=SUPERVISOR),
    Case("/reopen C11 10/2025 em Nguyễn Văn An 12 tuổi", (PRIVACY,), user=SUPERVISOR,
         never_echoed=("Nguyễn",)),
    Case(
        "/report 2025-10 abuse -1 injury 1 marriage 0",
        ("negative", "Send the report like this"), user=OFFICER_EN, language="en",
    ),
]


def _edited(user: int, text: str) -> dict[str, Any]:
    """An update saying the user edited an earlier message to `text`."""
    person = {"id": user, "is_bot": False, "first_name": "Cán bộ", "language_code": "vi"}
    chat = {"id": user, "type": "private", "first_name": "Cán bộ"}
    now = int(time.time())
    return {"message_id": 1, "date": now - 60, "edit_date": now, "chat": chat,
            "from": person, "text": text}


async def _check(server: BotApiServer, case: Case) -> list[str]:
    """Problems with the bot's answer to one case (empty when it is right)."""
    replies = await server.ask(case.user, case.text, language_code=case.language, timeout=WAIT)
    reply = replies[0]
    text = reply.text or ""
    failures = [f"missing {e!r}" for e in case.expected if e not in text]
    failures += [f"echoed {s!r}" for s in case.never_echoed if s in text]
    if any("rp:ok:" in str(b.get("callback_data")) for b in reply.buttons):
        failures.append("offered to confirm")
    if reply.parse_mode is not None:
        failures.append(f"parse mode {reply.parse_mode}")
    return failures


async def test_malformed_and_hostile_reports_are_answered_and_never_saved(
    tmp_path: Path,
) -> None:
    assert len(CASES) >= 40
    async with bot_world(tmp_path, clock=FrozenClock(NOW), ADMIN_IDS="1") as (server, _app, svc):
        await populate(svc)
        failures: list[str] = []
        for case in CASES:
            for failure in await _check(server, case):
                failures.append(f"{case.text[:60]!r}: {failure}")
            if await count_rows(svc, Report) or await count_rows(svc, ReportVersion):
                failures.append(f"{case.text[:60]!r}: saved something")
                break
        assert not failures, "\n".join(failures)


async def test_wrong_answers_inside_the_conversation_change_nothing(tmp_path: Path) -> None:
    async with bot_world(tmp_path, clock=FrozenClock(NOW), ADMIN_IDS="1") as (server, _app, svc):
        await populate(svc)
        (months,) = await server.ask(OFFICER, "/report", timeout=WAIT)
        for text, expected in [
            ("tháng mười ba", "chưa hiểu tháng nào"),
            ("12/2025", "chưa đến"),
            ("0912345678", PRIVACY),
        ]:
            (reply,) = await server.ask(OFFICER, text, timeout=WAIT)
            assert expected in reply.text, (text, reply.text)
        (abuse,) = await server.ask(OFFICER, "10/2025", timeout=WAIT)
        assert "Có bao nhiêu ca xâm hại trẻ em" in abuse.text
        for text, expected in [
            ("-1", "số âm"),
            ("2.5", "không phải là số nguyên"),
            ("hai ba", "số nguyên"),
            ("99999", "quá nhiều"),
            ("abc", "số nguyên"),
            ("em Nguyễn Văn An 12 tuổi", PRIVACY),
        ]:
            (reply,) = await server.ask(OFFICER, text, timeout=WAIT)
            assert expected in reply.text, (text, reply.text)
            assert "Có bao nhiêu ca xâm hại trẻ em" in reply.text or expected == PRIVACY
        (reply,) = await server.ask(OFFICER, "ồ", timeout=WAIT)
        assert "số nguyên" in reply.text
        since = server.mark()
        await server.send_photo(OFFICER, b"\xff\xd8 not really a photo")
        (reply,) = await server.wait_for(1, chat_id=OFFICER, since=since, timeout=WAIT)
        assert "tin nhắn chữ" in reply.text
        since = server.mark()
        await server.send_raw({"edited_message": _edited(OFFICER, "5")})
        (reply,) = await server.wait_for(1, chat_id=OFFICER, since=since, timeout=WAIT)
        assert "tin nhắn đã chỉnh sửa" in reply.text
        (details,) = await server.ask(OFFICER, "3", timeout=WAIT)
        for text, expected in [
            ("bạo lực 4", "không thể nhiều hơn"),
            ("bạo lực 2, tình dục 2", "cộng lại"),
            ("đuối nước 1", "chỉ cần số chi tiết"),
            ("linh tinh", "chưa hiểu"),
        ]:
            (reply,) = await server.ask(OFFICER, text, timeout=WAIT)
            assert expected in reply.text, (text, reply.text)
        (injury,) = await server.press(OFFICER, details, "rp:s", timeout=WAIT)
        assert "tai nạn thương tích" in injury.text
        # A stale button from an earlier step only gets a short notice.
        since = server.mark()
        await server.tap(OFFICER, months, "rp:m:2025-09")
        (notice,) = await server.wait_for(
            1, chat_id=OFFICER, methods=["answerCallbackQuery"], since=since, timeout=WAIT
        )
        assert "không còn hiệu lực" in (notice.text or "")
        (cancelled,) = await server.ask(OFFICER, "/cancel", timeout=WAIT)
        assert "Đã hủy" in cancelled.text
        assert await count_rows(svc, Report) == 0
        assert await count_rows(svc, ReportVersion) == 0
