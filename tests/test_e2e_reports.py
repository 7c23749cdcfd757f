"""End to end: monthly case reports through the real Application and the loopback Bot API."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from kernel.clock import VN_TZ, FrozenClock
from storage import people
from storage.models import Report, ReportVersion
from tests.botapi import BotApiServer
from tests.e2e_support import bot_world, running_app
from tests.report_world import (
    NOW,
    OFFICER,
    OFFICER_2,
    OFFICER_EN,
    SUPERVISOR,
    SUPERVISOR_2,
    access_entries,
    count_rows,
    data_of,
    labels,
    populate,
    stored_reports,
    stored_versions,
)

#: The main flows, with the fast paths on and off (FAST_PATHS).
pytestmark = pytest.mark.usefixtures("both_paths")

WAIT = 30.0


async def _confirm(server: BotApiServer, user: int, summary) -> str:
    (saved,) = await server.press(user, summary, data_of(summary, "rp:ok:"), timeout=WAIT)
    return saved.text


async def test_reports_by_one_message_in_the_forms_officers_type(tmp_path: Path) -> None:
    async with bot_world(tmp_path, clock=FrozenClock(NOW), ADMIN_IDS="1") as (server, _app, svc):
        await populate(svc)
        (summary,) = await server.ask(
            OFFICER, "báo cáo tháng 10/2025: xâm hại 2, tai nạn thương tích 5, tảo hôn 0",
            timeout=WAIT,
        )
        assert "10/2025" in summary.text and "Xã An Trường" in summary.text
        assert "Xâm hại trẻ em: 2" in summary.text and "Tai nạn thương tích: 5" in summary.text
        assert "✅ Xác nhận" in labels(summary) and "✖ Hủy" in labels(summary)
        assert await stored_reports(svc) == []  # nothing is saved before the confirmation
        assert "Đã lưu báo cáo tháng 10/2025" in await _confirm(server, OFFICER, summary)

        (summary,) = await server.ask(OFFICER_2, "bao cao t10 xh 2 tntt 5 th 0", timeout=WAIT)
        assert "Xã Bình Phú" in summary.text
        assert "Đã lưu" in await _confirm(server, OFFICER_2, summary)

        (summary,) = await server.ask(
            OFFICER_EN, "/report 2025-10 abuse 2 (violence 1) injury 5 (drowning 2) marriage 0",
            language_code="en", timeout=WAIT,
        )
        assert "Oct 2025" in summary.text and "Child abuse: 2 (violence 1)" in summary.text
        assert "Confirm" in " ".join(labels(summary))
        assert "Saved" in await _confirm(server, OFFICER_EN, summary)

        # A report without a month is for the last complete month, shown before saving.
        (summary,) = await server.ask(OFFICER, "xh 0 tntt 1 th 0", timeout=WAIT)
        assert "10/2025" in summary.text and "đã có báo cáo" in summary.text

        reports = await stored_reports(svc)
        assert [(r.abuse, r.injury, r.marriage) for r in reports] == [(2, 5, 0)] * 3
        assert reports[2].abuse_violence == 1 and reports[2].injury_drowning == 2
        assert reports[0].injury_drowning is None
        versions = await stored_versions(svc)
        assert [v.action for v in versions] == ["created"] * 3
        assert all(v.client_token for v in versions)


async def test_guided_conversation_survives_a_restart(tmp_path: Path) -> None:
    clock = FrozenClock(NOW)
    async with BotApiServer() as server:
        async with running_app(server, tmp_path, clock=clock, ADMIN_IDS="1") as (_app, svc):
            await populate(svc)
            (months,) = await server.ask(OFFICER, "/baocao", timeout=WAIT)
            assert labels(months)[:3] == ["10/2025", "09/2025", "08/2025"]
            (abuse,) = await server.press(OFFICER, months, "rp:m:2025-10", timeout=WAIT)
            assert "xâm hại trẻ em" in abuse.text and labels(abuse)[:3] == ["0", "1", "2"]
            since = server.mark()
            await server.send_text(OFFICER, "2")
            await server.send_text(OFFICER, "/myreports")  # handled strictly after "2"
            details, listing = await server.wait_for(2, chat_id=OFFICER, since=since,
                                                     timeout=WAIT)
            assert "Trong 2 ca xâm hại trẻ em" in details.text and "Bỏ qua" in labels(details)
            assert "10/2025: chưa gửi" in listing.text  # and no question answer in between
            (injury,) = await server.ask(OFFICER, "bạo lực 1, tình dục 1", timeout=WAIT)
            assert "tai nạn thương tích" in injury.text
            (injury_details,) = await server.press(OFFICER, injury, "rp:n:1", timeout=WAIT)
            (marriage,) = await server.press(OFFICER, injury_details, "rp:s", timeout=WAIT)
            assert "tảo hôn" in marriage.text
        # The bot stops mid-report; a new Application on the same database carries on.
        async with running_app(server, tmp_path, clock=clock, ADMIN_IDS="1") as (_app, svc):
            (summary,) = await server.ask(OFFICER, "0", timeout=WAIT)
            assert "Xâm hại trẻ em: 2 (bạo lực 1, xâm hại tình dục 1)" in summary.text
            assert "Tai nạn thương tích: 1" in summary.text and "Tảo hôn: 0" in summary.text
            assert await stored_reports(svc) == []
            assert "Đã lưu" in await _confirm(server, OFFICER, summary)
            (report,) = await stored_reports(svc)
            assert (report.abuse, report.abuse_violence, report.abuse_sexual) == (2, 1, 1)
            assert (report.injury, report.injury_drowning, report.marriage) == (1, None, 0)

            # /cancel leaves a conversation with nothing saved; the next text is a question.
            (months,) = await server.ask(OFFICER_2, "/report", timeout=WAIT)
            await server.press(OFFICER_2, months, "rp:m:2025-09", timeout=WAIT)
            (left,) = await server.ask(OFFICER_2, "/cancel", timeout=WAIT)
            assert "Đã hủy" in left.text
            (answer,) = await server.ask(OFFICER_2, "3", timeout=WAIT)
            assert "Có bao nhiêu ca" not in answer.text
            assert len(await stored_reports(svc)) == 1


async def test_repeated_update_and_double_tapped_confirm_save_once(tmp_path: Path) -> None:
    async with bot_world(tmp_path, clock=FrozenClock(NOW), ADMIN_IDS="1") as (server, _app, svc):
        await populate(svc)
        since = server.mark()
        update = await server.send_text(OFFICER, "bc t10 xh 1 tntt 2 th 0")
        await server.duplicate(update)  # Telegram delivers the same update again
        (_listing,) = await server.ask(OFFICER, "/myreports", timeout=WAIT)
        summaries = [c for c in server.messages_to(OFFICER)[since:] if "rp:ok:" in str(c.buttons)]
        assert len(summaries) == 1
        summary = summaries[0]

        # Two taps on Confirm before the bot answers either, then the same tap re-delivered.
        confirm = data_of(summary, "rp:ok:")
        since = server.mark()
        first = await server.tap(OFFICER, summary, confirm)
        await server.tap(OFFICER, summary, confirm)
        answers = await server.wait_for(
            2, chat_id=OFFICER, methods=["answerCallbackQuery"], since=since, timeout=WAIT
        )
        await server.duplicate(first)
        (_listing,) = await server.ask(OFFICER, "/myreports", timeout=WAIT)
        edits = server.calls(chat_id=OFFICER, methods=["editMessageText"], since=since)
        assert len(edits) == 1 and "Đã lưu" in (edits[0].text or "")
        assert "đã được lưu" in (answers[1].text or "")
        assert await count_rows(svc, Report) == 1
        assert await count_rows(svc, ReportVersion) == 1


async def test_correction_with_reason_keeps_every_version(tmp_path: Path) -> None:
    async with bot_world(tmp_path, clock=FrozenClock(NOW), ADMIN_IDS="1") as (server, _app, svc):
        await populate(svc)
        (summary,) = await server.ask(OFFICER, "bc t10 xh 2 tntt 5 th 0", timeout=WAIT)
        await _confirm(server, OFFICER, summary)

        (existing,) = await server.ask(OFFICER, "bc t10 xh 3 tntt 5 th 1", timeout=WAIT)
        assert "Xâm hại trẻ em: 2" in existing.text and "phiên bản 1" in existing.text
        assert labels(existing) == ["Thay thế", "Giữ nguyên"]
        (ask_reason,) = await server.press(OFFICER, existing, "rp:r", timeout=WAIT)
        assert "lý do" in ask_reason.text
        assert labels(ask_reason) == ["Nhập nhầm", "Phát hiện muộn", "Sau khi xác minh",
                                      "Trùng ca", "Khác…", "✖ Hủy"]
        (bad,) = await server.ask(OFFICER, "ok", timeout=WAIT)
        assert "lý do ngắn gọn" in bad.text
        # A reason typed in words is read as one of the list; only its code is kept.
        (summary,) = await server.ask(OFFICER, "bỏ sót một ca xâm hại", timeout=WAIT)
        assert "Xâm hại trẻ em: 3" in summary.text and "Thay thế phiên bản 1" in summary.text
        assert "Lý do: Phát hiện muộn" in summary.text
        assert await count_rows(svc, ReportVersion) == 1
        assert "phiên bản 2" in await _confirm(server, OFFICER, summary)

        # The same report sent again changes nothing; neither does a correction kept back.
        (same,) = await server.ask(OFFICER, "bc t10 xh 3 tntt 5 th 1", timeout=WAIT)
        assert "đúng các số liệu này" in same.text and not same.buttons
        (existing,) = await server.ask(OFFICER, "bc t10 xh 9 tntt 9 th 9", timeout=WAIT)
        (kept,) = await server.press(OFFICER, existing, "rp:k", timeout=WAIT)
        assert "giữ nguyên" in kept.text

        (report,) = await stored_reports(svc)
        assert (report.abuse, report.marriage, report.version) == (3, 1, 2)
        versions = await stored_versions(svc)
        assert [(v.action, v.version) for v in versions] == [("created", 1), ("replaced", 2)]
        replaced = versions[1]
        assert replaced.old_values["abuse"] == 2 and replaced.new_values["abuse"] == 3
        assert (replaced.reason_code, replaced.reason_note) == ("found_late", None)
        async with svc.db.read_session() as session:
            officer = await people.get_person(session, OFFICER)
        assert officer is not None and replaced.changed_by == officer.id
        # Showing the saved report to decide on a correction is a read: it is logged.
        assert len(await access_entries(svc, "view_report")) == 2

        (listing,) = await server.ask(OFFICER, "/myreports", timeout=WAIT)
        assert "10/2025: xâm hại trẻ em 3" in listing.text and "phiên bản 2" in listing.text
        assert "09/2025: chưa gửi" in listing.text
        (logged,) = await access_entries(svc, "view_reports")
        assert logged.person_id == officer.id and logged.unit_id == report.unit_id


async def test_confirm_after_someone_else_saved_the_month_shows_it(tmp_path: Path) -> None:
    async with bot_world(tmp_path, clock=FrozenClock(NOW), ADMIN_IDS="1") as (server, _app, svc):
        await populate(svc)
        (mine,) = await server.ask(OFFICER, "bc t10 xh 2 tntt 5 th 0", timeout=WAIT)
        # Meanwhile the district supervisor reports the same commune and month.
        (theirs,) = await server.ask(SUPERVISOR, "/report C11 10/2025 xh 1 tntt 1 th 1",
                                     timeout=WAIT)
        assert "Đã lưu" in await _confirm(server, SUPERVISOR, theirs)
        assert len(await access_entries(svc, "view_report")) == 0

        # The officer's Confirm saves nothing: it shows the saved report and asks to replace.
        (shown,) = await server.press(OFFICER, mine, data_of(mine, "rp:ok:"), timeout=WAIT)
        assert shown.method == "editMessageText"
        assert "Xâm hại trẻ em: 1" in shown.text and "phiên bản 1" in shown.text
        assert labels(shown) == ["Thay thế", "Giữ nguyên"]
        (report,) = await stored_reports(svc)
        assert (report.abuse, report.injury, report.marriage, report.version) == (1, 1, 1, 1)
        assert await count_rows(svc, ReportVersion) == 1
        (viewed,) = await access_entries(svc, "view_report")  # showing it is a logged read
        assert viewed.unit_id == report.unit_id and viewed.detail == "2025-10"


async def test_lock_then_reopen_by_the_supervisor(tmp_path: Path) -> None:
    clock = FrozenClock(NOW)
    async with bot_world(tmp_path, clock=clock, ADMIN_IDS="1") as (server, _app, svc):
        await populate(svc)
        (summary,) = await server.ask(OFFICER, "bc t10 xh 2 tntt 5 th 0", timeout=WAIT)
        await _confirm(server, OFFICER, summary)
        (early,) = await server.ask(SUPERVISOR, "/reopen C11 10/2025", timeout=WAIT)
        assert "chưa bị khóa" in early.text

        clock.set(datetime(2025, 12, 10, 9, 0, tzinfo=VN_TZ))  # due 5/11 + 30 days: locked
        (locked,) = await server.ask(OFFICER, "bc t10 xh 3 tntt 5 th 0", timeout=WAIT)
        assert "đã khóa" in locked.text and "cán bộ phụ trách" in locked.text
        (denied,) = await server.ask(OFFICER, "/reopen C11 10/2025", timeout=WAIT)
        assert "Chỉ cán bộ phụ trách" in denied.text
        # Another district's supervisor learns nothing of C11, not even that it exists.
        (other,) = await server.ask(SUPERVISOR_2, "/reopen C11 10/2025", timeout=WAIT)
        assert "không tìm thấy đơn vị" in other.text and "An Trường" not in other.text
        assert [v.action for v in await stored_versions(svc)] == ["created"]

        since = server.mark()
        (why,) = await server.ask(SUPERVISOR, "/reopen C11 10/2025", timeout=WAIT)
        assert "Vì sao mở lại" in why.text and "Sau khi xác minh" in labels(why)
        (done,) = await server.press(SUPERVISOR, why, data_of(why, "ro:"), timeout=WAIT)
        assert "Đã mở lại" in done.text and "Lý do: Nhập nhầm" in done.text
        (notice,) = await server.wait_for(1, chat_id=OFFICER, since=since, timeout=WAIT)
        assert "mở lại báo cáo tháng 10/2025" in notice.text

        # The officer corrects it once, through the notice's button.
        (existing,) = await server.press(OFFICER, notice, "report:start:2025-10", timeout=WAIT)
        (abuse,) = await server.press(OFFICER, existing, "rp:r", timeout=WAIT)
        assert "xâm hại trẻ em" in abuse.text
        await server.ask(OFFICER, "3", timeout=WAIT)
        await server.ask(OFFICER, "bạo lực 3", timeout=WAIT)
        await server.ask(OFFICER, "5", timeout=WAIT)
        await server.ask(OFFICER, "đuối nước 1", timeout=WAIT)
        (reason,) = await server.ask(OFFICER, "0", timeout=WAIT)
        assert "lý do" in reason.text.lower()
        (note,) = await server.press(OFFICER, reason, "rp:why:other", timeout=WAIT)
        assert "ghi chú" in note.text
        (summary,) = await server.ask(OFFICER, "trạm y tế báo thêm", timeout=WAIT)
        assert "Lý do: Khác: trạm y tế báo thêm" in summary.text
        assert "phiên bản 2" in await _confirm(server, OFFICER, summary)

        # Locked again for the officer; the supervisor may still change it directly.
        (locked,) = await server.ask(OFFICER, "bc t10 xh 4 tntt 5 th 0", timeout=WAIT)
        assert "đã khóa" in locked.text
        (existing,) = await server.ask(SUPERVISOR, "/report C11 t10/2025 xh 4 tntt 5 th 0",
                                       timeout=WAIT)
        assert "Xã An Trường" in existing.text
        await server.press(SUPERVISOR, existing, "rp:r", timeout=WAIT)
        (summary,) = await server.ask(SUPERVISOR, "kiểm tra lại hồ sơ", timeout=WAIT)
        assert "Lý do: Sau khi xác minh" in summary.text
        assert "phiên bản 3" in await _confirm(server, SUPERVISOR, summary)

        (report,) = await stored_reports(svc)
        assert (report.abuse, report.abuse_violence, report.injury_drowning) == (4, None, None)
        assert report.reopened_at is None
        versions = await stored_versions(svc)
        assert [v.action for v in versions] == ["created", "reopened", "replaced", "replaced"]
        assert [(v.reason_code, v.reason_note) for v in versions] == [
            (None, None), ("entry_mistake", None), ("other", "trạm y tế báo thêm"),
            ("verified", None)]
        assert versions[2].new_values["abuse_violence"] == 3


async def test_the_lock_date_follows_the_plan_s_own_due_day(tmp_path: Path) -> None:
    clock = FrozenClock(NOW)
    plan_due = {"REPORT_DUE_DAY_BY_PLAN": "tra-vinh-2021-2030:28"}  # C11's plan: due the 28th
    async with bot_world(tmp_path, clock=clock, ADMIN_IDS="1", **plan_due) as (server, _, svc):
        await populate(svc)
        (summary,) = await server.ask(OFFICER, "bc t10 xh 2 tntt 5 th 0", timeout=WAIT)
        await _confirm(server, OFFICER, summary)

        # 10 December: locked under the default due day (5/11 + 30 days), not under the 28th.
        clock.set(datetime(2025, 12, 10, 9, 0, tzinfo=VN_TZ))
        (existing,) = await server.ask(OFFICER, "bc t10 xh 3 tntt 5 th 0", timeout=WAIT)
        assert "đã khóa" not in existing.text
        assert data_of(existing, "rp:r") == "rp:r"  # "replace it?"
        (early,) = await server.ask(SUPERVISOR, "/reopen C11 10/2025", timeout=WAIT)
        assert "chưa bị khóa" in early.text and "29/12/2025" in early.text  # 28/11 + 1 + 30

        clock.set(datetime(2025, 12, 29, 9, 0, tzinfo=VN_TZ))
        (locked,) = await server.ask(OFFICER, "bc t10 xh 3 tntt 5 th 0", timeout=WAIT)
        assert "đã khóa" in locked.text and "29/12/2025" in locked.text
        assert [v.action for v in await stored_versions(svc)] == ["created"]


async def test_reminder_button_starts_the_report_for_its_month(tmp_path: Path) -> None:
    async with bot_world(tmp_path, clock=FrozenClock(NOW), ADMIN_IDS="1") as (server, app, svc):
        await populate(svc)
        button = InlineKeyboardButton("Báo cáo", callback_data="report:start:2025-09")
        reminder = await app.bot.send_message(
            OFFICER, "Nhắc báo cáo", reply_markup=InlineKeyboardMarkup([[button]])
        )
        (abuse,) = await server.press(OFFICER, reminder.message_id, "report:start:2025-09",
                                      timeout=WAIT)
        assert "09/2025" in abuse.text and "xâm hại trẻ em" in abuse.text
        for value in ("0", "0"):
            await server.ask(OFFICER, value, timeout=WAIT)
        (summary,) = await server.ask(OFFICER, "0", timeout=WAIT)
        assert "Đã lưu" in await _confirm(server, OFFICER, summary)
        (report,) = await stored_reports(svc)
        assert (report.year, report.month, report.abuse) == (2025, 9, 0)


async def test_an_abandoned_report_expires_and_the_text_is_read_afresh(tmp_path: Path) -> None:
    clock = FrozenClock(NOW)
    async with bot_world(tmp_path, clock=clock, ADMIN_IDS="1") as (server, _app, svc):
        await populate(svc)
        (months,) = await server.ask(OFFICER, "/report", timeout=WAIT)
        (abuse,) = await server.press(OFFICER, months, "rp:m:2025-10", timeout=WAIT)
        clock.advance(hours=25)
        expired, answer = await server.ask(OFFICER, "chỉ tiêu 14 là gì", count=2, timeout=WAIT)
        assert "10/2025 đang nhập dở đã bị hủy" in expired.text
        assert "Có bao nhiêu ca" not in answer.text  # answered as a question instead
        (summary,) = await server.ask(OFFICER, "bc t10 xh 0 tntt 0 th 0", timeout=WAIT)
        assert "Xác nhận" in " ".join(labels(summary))
        assert await stored_reports(svc) == []
