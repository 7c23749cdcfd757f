"""End to end: /stats for a supervisor, its chart and exports, and scope refusals."""

from __future__ import annotations

import csv
import io
import struct
from datetime import datetime, timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from kernel.calendar import Month
from kernel.clock import FrozenClock
from kernel.counts import CATEGORIES, CaseCounts
from kernel.i18n import translator
from reports.chart import HEIGHT_PX, WIDTH_PX
from reports.export import column_headers
from reports.messages import field_label
from storage import case_reports, people
from storage.due import due_deadline
from storage.models import AccessLog
from tests.e2e_support import bot_world
from tests.storage_helpers import small_tree

VI = translator("vi")
ADMIN, SUPERVISOR, OFFICER, OTHER_OFFICER, STRANGER = 1, 10, 20, 30, 99
NOW = datetime(2025, 11, 10, 9, 0)
JUL, AUG, SEP = Month(2025, 7), Month(2025, 8), Month(2025, 9)

#: (unit, month, counts, on time). D1 = C11 + C12 (3,000 children); C21 is in D2.
REPORTS: list[tuple[str, Month, CaseCounts, bool]] = [
    ("C11", JUL, CaseCounts(2, 3, 0, abuse_violence=1, abuse_sexual=1), True),
    ("C11", AUG, CaseCounts(1, 2, 1), False),
    ("C11", SEP, CaseCounts(0, 4, 0, injury_drowning=2), True),
    ("C12", JUL, CaseCounts(1, 1, 0), True),
    ("C12", AUG, CaseCounts(0, 2, 0), True),  # C12 never sent September
    ("C21", JUL, CaseCounts(5, 5, 5), True),
    ("C11", Month(2024, 7), CaseCounts(1, 1, 1), True),
    ("C11", Month(2024, 8), CaseCounts(1, 1, 1), True),
    ("C12", Month(2024, 9), CaseCounts(0, 2, 1), True),
    ("C12", Month(2024, 7), CaseCounts(0, 1, 0), True),  # Q3 2024: 5 of 6 reports
    ("C11", Month(2024, 9), CaseCounts(0, 0, 0), True),
    ("C21", Month(2024, 7), CaseCounts(9, 9, 9), True),
    ("C11", Month(2025, 6), CaseCounts(3, 1, 0), True),
    ("C12", Month(2024, 12), CaseCounts(2, 2, 0), True),
]
D1 = ("C11", "C12")


async def _seed(services) -> dict[str, int]:
    async with services.db.session() as session:
        tree = await small_tree(session, year=2025)
        await people.set_role(session, SUPERVISOR, "supervisor", tree["D1"].id)
        await people.set_role(session, OFFICER, "officer", tree["C11"].id)
        await people.set_role(session, OTHER_OFFICER, "officer", tree["C21"].id)
        for code, month, counts, on_time in REPORTS:
            deadline = due_deadline(month)
            when = deadline - timedelta(days=1) if on_time else deadline + timedelta(days=1)
            result = await case_reports.submit_report(
                session, tree[code].id, month, counts, person_id=None, now=when
            )
            assert result.saved
        await session.commit()
    return {code: unit.id for code, unit in tree.items()}


def _sum(codes: tuple[str, ...], months: list[Month], name: str) -> int:
    return sum(
        getattr(c, name) or 0 for code, m, c, _ in REPORTS if code in codes and m in months
    )


def _signed(value: int) -> str:
    return ("+" if value > 0 else "−") + VI.number(abs(value))


async def _actions(services, telegram_id: int) -> list[tuple[str, int | None, str | None]]:
    async with services.db.read_session() as session:
        person = await people.get_person(session, telegram_id)
        rows = await session.scalars(
            select(AccessLog).where(AccessLog.person_id == person.id).order_by(AccessLog.id)
        )
        return [(r.action, r.unit_id, r.detail) for r in rows]


async def test_supervisor_stats_chart_and_exports(tmp_path) -> None:
    async with bot_world(tmp_path, clock=FrozenClock(NOW), ADMIN_IDS=str(ADMIN)) as (
        server, _app, services,
    ):
        ids = await _seed(services)
        reply = (await server.ask(SUPERVISOR, "/thongke quy 3 2025"))[0]
        text = reply.text
        q3, q3_before = [JUL, AUG, SEP], [Month(2024, m) for m in (7, 8, 9)]
        assert text.startswith("📊 Thống kê: District 1 (D1), quý 3/2025")
        assert "Số trẻ em: 3.000 (số liệu năm 2025)" in text
        for name in CATEGORIES:
            now, before = _sum(D1, q3, name), _sum(D1, q3_before, name)
            rate = VI.number(round(now * 100_000 / 3000, 1))
            label = field_label(VI, name)
            assert f"{label[0].upper()}{label[1:]}: {now} — {rate}/100.000 trẻ em" in text
            change = f"{_signed(now - before)}, {_signed(round((now - before) * 100 / before, 1))}%"
            assert f"Cùng kỳ năm 2024: {before} ({change})" in text
        assert "bạo lực 1, xâm hại tình dục 1" in text and "đuối nước 2" in text
        assert "Báo cáo: đã nhận 5/6 (83,33%), đúng hạn 4 (66,67%)" in text
        assert "Chưa nhận đủ báo cáo" in text
        assert "• Commune 11 (C11): 3 / 9 / 1 · báo cáo 3/3, đúng hạn 2" in text
        assert "• Commune 12 (C12): 1 / 3 / 0 · báo cáo 2/3, đúng hạn 2" in text
        assert "Commune 21" not in text
        # Targets of Trà Vinh 2021-2030 for 2025: abuse 4 a quarter = 0.53% of children a
        # year (< 4.5%); injuries 12 a quarter = 1,600 per 100,000 a year (> 550);
        # child marriage 1 after 3 a year earlier (-66.7%, at least the 2% fall).
        lines = {ln.split(" — ")[0]: ln for ln in text.splitlines() if "Chỉ tiêu " in ln}
        assert "dưới 4,5% (2025)" in lines["• Chỉ tiêu 9"]
        assert "Hiện tại 0,53% (quy ra cả năm)" in lines["• Chỉ tiêu 9"]
        assert lines["• Chỉ tiêu 9"].endswith("✅ đạt tiến độ")
        assert "1.600/100.000 trẻ em" in lines["• Chỉ tiêu 11"]
        assert lines["• Chỉ tiêu 11"].endswith("⚠️ chưa đạt")
        assert "−66,7% so với cùng kỳ năm 2024 (3)" in lines["• Chỉ tiêu 13"]
        assert lines["• Chỉ tiêu 13"].endswith("✅ đạt tiến độ")
        assert reply.button_labels == ["📈 Biểu đồ", "CSV", "Excel (XLSX)"]

        photo = (await server.press(SUPERVISOR, reply, label="📈 Biểu đồ", timeout=30))[0]
        assert photo.method == "sendPhoto"
        png = next(iter(photo.files.values()))
        assert png.data[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", png.data[16:24]) == (WIDTH_PX, HEIGHT_PX)
        assert png.filename == "chart_D1_2024-10_2025-09.png"
        assert "District 1" in photo.text

        document = (await server.press(SUPERVISOR, reply, label="CSV", timeout=30))[0]
        assert document.method == "sendDocument"
        upload = next(iter(document.files.values()))
        assert upload.filename == "reports_D1_2025-07_2025-09.csv"
        rows = list(csv.reader(io.StringIO(upload.data.decode("utf-8-sig"))))
        headers = column_headers(VI)
        assert rows[0] == headers
        body = [dict(zip(headers, row, strict=True)) for row in rows[1:-1]]
        assert [(r["Mã đơn vị"], r["Tháng"]) for r in body] == [
            ("C11", "2025-07"), ("C11", "2025-08"), ("C11", "2025-09"),
            ("C12", "2025-07"), ("C12", "2025-08"),
        ]
        assert [r["Đúng hạn"] for r in body] == ["Có", "Không", "Có", "Có", "Có"]
        totals = dict(zip(headers, rows[-1], strict=True))
        assert (totals["Xâm hại"], totals["Tai nạn thương tích"], totals["Tảo hôn"]) == (
            "4", "12", "1")

        document = (await server.press(SUPERVISOR, reply, label="Excel", timeout=30))[0]
        upload = next(iter(document.files.values()))
        assert upload.filename == "reports_D1_2025-07_2025-09.xlsx"
        sheet = load_workbook(io.BytesIO(upload.data)).active
        values = list(sheet.iter_rows(values_only=True))
        assert list(values[0]) == headers and len(values) == 1 + 5 + 1
        column = headers.index("Tai nạn thương tích")
        assert [row[column] for row in values[1:]] == [3, 2, 4, 1, 2, 12]

        period = "2025-07..2025-09"
        assert await _actions(services, SUPERVISOR) == [
            ("stats", ids["D1"], period), ("stats_chart", ids["D1"], period),
            ("export_csv", ids["D1"], period), ("export_xlsx", ids["D1"], period),
        ]


async def test_scope_refusals_and_defaults(tmp_path) -> None:
    async with bot_world(tmp_path, clock=FrozenClock(NOW), ADMIN_IDS=str(ADMIN)) as (
        server, _app, services,
    ):
        ids = await _seed(services)

        async def text(user: int, message: str) -> str:
            return (await server.ask(user, message))[0].text

        # C21's officer asking for D1 gets exactly the unknown-unit reply, without buttons.
        outside = (await server.ask(OTHER_OFFICER, "/thongke D1 quy 3 2025"))[0]
        unknown = await text(OTHER_OFFICER, "/thongke NOPE quy 3 2025")
        assert outside.text.replace("D1", "?") == unknown.replace("NOPE", "?")
        assert outside.buttons == [] and "xâm hại" not in outside.text.lower()
        # Officers see only their own unit, not the district above it.
        assert (await text(OFFICER, "/stats D1")).startswith("Không tìm thấy đơn vị “D1”")
        own = await text(OFFICER, "/stats quy 3 2025")
        assert own.startswith("📊 Thống kê: Commune 11 (C11), quý 3/2025")
        assert "Xâm hại trẻ em: 3 — 300/100.000 trẻ em" in own
        assert await text(STRANGER, "/thongke") == VI.gettext(
            "Statistics are for registered officers and supervisors. Ask your supervisor for an "
            "invite link.")
        wrong = await text(SUPERVISOR, "/thongke D1 quy 9")
        assert wrong.startswith("“quy 9” không phải là kỳ hợp lệ")
        assert "Tôi chưa hiểu kỳ thống kê. Ví dụ: /thongke thang 10/2025" in wrong

        # A forged export button for D1 gets the answer of an expired button: no unit named,
        # nothing sent; the refusals are in the access log.
        mine = (await server.ask(OTHER_OFFICER, "/thongke"))[0]
        assert mine.text.startswith("📊 Thống kê: Commune 21 (C21), 10/2025")
        expired = VI.gettext("This button has expired. Send /stats again.")
        for forged in (f"stats:csv:{ids['D1']}:202507:202509:q", "stats:csv:999999:202507:202509:q",
                       f"stats:png:{ids['D1']}:100001:999912:r"):
            since = server.mark()
            await server.tap(OTHER_OFFICER, mine, forged, check=False)
            refusal = (await server.wait_for(1, chat_id=OTHER_OFFICER, since=since))[0]
            assert refusal.method == "sendMessage" and refusal.text == expired
        assert not server.calls(chat_id=OTHER_OFFICER, methods=["sendDocument", "sendPhoto"])
        actions = await _actions(services, OTHER_OFFICER)
        assert all(unit == ids["C21"] for action, unit, _ in actions if action != "refused")
        assert [d for a, _, d in actions if a == "refused"] == [
            "unknown_unit", "unknown_unit", "out_of_scope", "out_of_scope"]

        # The admin (by ADMIN_IDS, no unit) defaults to the only root and the last month.
        province = await text(ADMIN, "/thongke")
        assert province.startswith("📊 Thống kê: Province (P), 10/2025")
        assert "Chưa nhận được báo cáo nào cho kỳ này: chưa có số liệu để hiển thị." in province
        assert "Báo cáo: đã nhận 0/3 (0%), đúng hạn 0 (0%)" in province
        # No report arrived: zero cases are no evidence that a target is met, and no unit
        # shows zeros it never reported.
        assert "đạt tiến độ" not in province and "chưa đạt" not in province
        assert province.count("Chưa đủ báo cáo để đánh giá (cần ít nhất 80%): thiếu 3/3.") == 3
        assert "Xâm hại trẻ em" not in province and "Cùng kỳ" not in province
        assert "• District 1 (D1): chưa báo cáo (0/2 báo cáo)" in province
        assert "• District 2 (D2): chưa báo cáo (0/1 báo cáo)" in province
