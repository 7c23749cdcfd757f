"""Trend chart PNG, CSV and XLSX exports, and export file names."""

from __future__ import annotations

import csv
import io
import struct
import threading
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from kernel.calendar import Month
from kernel.counts import FIELDS
from kernel.i18n import translator
from reports.chart import HEIGHT_PX, WIDTH_PX, month_range, trend_chart
from reports.export import (
    COLUMNS,
    EXPORT_FIELDS,
    export_filename,
    rows_to_csv,
    rows_to_xlsx,
)

VI = translator("vi")
EN = translator("en")

VI_HEADERS = [
    "Mã đơn vị", "Đơn vị", "Tháng", "Xâm hại", "Bạo lực", "Xâm hại tình dục", "Bóc lột", "Khác",
    "Tai nạn thương tích", "Đuối nước", "Giao thông", "Tử vong", "Tảo hôn", "Ngày gửi",
    "Đúng hạn", "Phiên bản",
]  # fmt: skip


def _row(code: str, name: str, month: int, abuse: int, injury: int, marriage: int,
         **extra: object) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(FIELDS)
    row.update(unit_code=code, unit_name=name, year=2025, month=month, abuse=abuse,
               injury=injury, marriage=marriage, submitted_at=None, on_time=None, version=1)
    row.update(extra)
    return row


ROWS = [
    _row("26734", "Phường Bến Nghé", 1, 3, 5, 0, abuse_violence=2, abuse_sexual=1,
         injury_drowning=1, submitted_at=datetime(2025, 2, 3, 1, 30, tzinfo=UTC),
         on_time=True, version=2),
    _row("26737", "Xã Đông Hòa", 2, 1000, 2, 1, abuse_violence=4, on_time=False),
    _row("26740", "=HYPERLINK(\"http://x\")", 2, 0, 0, 0),
    _row("@1", "+SUM(A1)", 3, 0, 1, 0),
    _row("26741", "-2+3", 3, 0, 0, 0),
]


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


# --- chart -----------------------------------------------------------------------------------


def test_chart_is_png_of_expected_size() -> None:
    series = [
        (Month(2024, 11), {"abuse": 3, "injury": 5, "marriage": 1}),
        (Month(2025, 1), {"abuse": 4, "injury": 2, "marriage": 0}),  # Dec 2024 missing: gap
        (Month(2025, 2), {"abuse": 1, "injury": None, "marriage": 2}),
    ]
    png = trend_chart(series, title="Xu hướng: Phường Bến Nghé", tr=VI)
    assert _png_size(png) == (WIDTH_PX, HEIGHT_PX)
    assert len(png) > 10_000  # actually drew something


def test_chart_without_data_and_with_many_months() -> None:
    assert _png_size(trend_chart([], title="Trend", tr=EN)) == (WIDTH_PX, HEIGHT_PX)
    months = month_range(Month(2022, 1), Month(2025, 12))
    series = [(m, {"abuse": i % 7, "injury": i % 5, "marriage": i % 3})
              for i, m in enumerate(months)]
    assert _png_size(trend_chart(series, title="Trend", tr=EN)) == (WIDTH_PX, HEIGHT_PX)


def test_chart_in_parallel_threads() -> None:
    series = [(Month(2025, m), {"abuse": m, "injury": 2 * m, "marriage": 1}) for m in range(1, 7)]
    results: list[bytes] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            results.append(trend_chart(series, title="Tảo hôn", tr=VI))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 4
    assert all(_png_size(png) == (WIDTH_PX, HEIGHT_PX) for png in results)


def test_month_range_crosses_years() -> None:
    assert month_range(Month(2024, 11), Month(2025, 2)) == [
        Month(2024, 11), Month(2024, 12), Month(2025, 1), Month(2025, 2)
    ]
    assert month_range(Month(2025, 2), Month(2025, 1)) == []


# --- CSV -------------------------------------------------------------------------------------


def _read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_export_fields_cover_every_field_grouped_by_category() -> None:
    assert sorted(EXPORT_FIELDS) == sorted(FIELDS)
    assert EXPORT_FIELDS[0] == "abuse" and EXPORT_FIELDS[-1] == "marriage"
    assert len(COLUMNS) == len(VI_HEADERS)


def test_csv_vietnamese_headers_rows_and_totals() -> None:
    table = _read_csv(rows_to_csv(ROWS, tr=VI))
    header, *body, total = table
    assert header == VI_HEADERS
    assert len(body) == len(ROWS)
    first = dict(zip(header, body[0], strict=True))
    assert first["Đơn vị"] == "Phường Bến Nghé"
    assert first["Tháng"] == "2025-01"
    assert first["Xâm hại"] == "3" and first["Bạo lực"] == "2" and first["Bóc lột"] == ""
    assert first["Ngày gửi"] == "2025-02-03 08:30"  # UTC+7
    assert first["Đúng hạn"] == "Có" and first["Phiên bản"] == "2"
    assert dict(zip(header, body[1], strict=True))["Đúng hạn"] == "Không"
    assert dict(zip(header, body[2], strict=True))["Đúng hạn"] == ""
    totals = dict(zip(header, total, strict=True))
    assert totals["Đơn vị"] == "Tổng cộng"
    assert totals["Xâm hại"] == "1003"
    assert totals["Tai nạn thương tích"] == "8"
    assert totals["Tảo hôn"] == "1"
    assert totals["Bạo lực"] == "6"
    assert totals["Bóc lột"] == ""  # nobody reported it
    assert totals["Tử vong"] == ""


def test_csv_english_headers() -> None:
    header, *_ = _read_csv(rows_to_csv(ROWS, tr=EN))
    assert header[:4] == ["Unit code", "Unit", "Month", "Abuse"]
    assert "Child marriage" in header and "Drowning" in header
    assert not set(header) & set(VI_HEADERS)


def test_csv_empty_has_header_and_zero_totals() -> None:
    header, total = _read_csv(rows_to_csv([], tr=VI))
    assert header == VI_HEADERS
    assert total[1] == "Tổng cộng" and total[3] == "0"


def test_csv_formula_injection_is_neutralised() -> None:
    _, *body, _ = _read_csv(rows_to_csv(ROWS, tr=VI))
    names = [r[1] for r in body]
    assert names[2] == "'=HYPERLINK(\"http://x\")"
    assert names[3] == "'+SUM(A1)"
    assert names[4] == "'-2+3"
    assert body[3][0] == "'@1"
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in body for cell in r)


# --- XLSX ------------------------------------------------------------------------------------


def _open(data: bytes):  # noqa: ANN202 - openpyxl worksheet
    assert data[:2] == b"PK"
    return load_workbook(io.BytesIO(data)).active


def test_xlsx_headers_numbers_frozen_pane_and_totals() -> None:
    ws = _open(rows_to_xlsx(ROWS, tr=VI, sheet_title="Báo cáo 01/2025–03/2025"))
    assert "/" not in ws.title and len(ws.title) <= 31
    header = [c.value for c in ws[1]]
    assert header == VI_HEADERS
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    col = {h: i for i, h in enumerate(header)}
    first = [c.value for c in ws[2]]
    assert first[col["Xâm hại"]] == 3 and isinstance(first[col["Xâm hại"]], int)
    assert first[col["Bóc lột"]] is None
    assert first[col["Tháng"]].date() == date(2025, 1, 1)
    assert first[col["Ngày gửi"]] == datetime(2025, 2, 3, 8, 30)
    assert first[col["Đúng hạn"]] == "Có"
    assert first[col["Phiên bản"]] == 2
    assert ws.max_row == len(ROWS) + 2
    total_cells = ws[ws.max_row]
    totals = [c.value for c in total_cells]
    assert totals[col["Đơn vị"]] == "Tổng cộng"
    assert totals[col["Xâm hại"]] == 1003
    assert totals[col["Tai nạn thương tích"]] == 8
    assert totals[col["Bạo lực"]] == 6
    assert totals[col["Tử vong"]] is None
    assert total_cells[col["Xâm hại"]].font.bold
    name_width = ws.column_dimensions["B"].width
    assert 8 <= ws.column_dimensions["D"].width <= name_width <= 40


def test_xlsx_english_headers() -> None:
    ws = _open(rows_to_xlsx(ROWS, tr=EN, sheet_title="Reports"))
    assert ws.title == "Reports"
    assert [c.value for c in ws[1]][:3] == ["Unit code", "Unit", "Month"]
    assert ws[ws.max_row][1].value == "Total"


def test_xlsx_formulas_are_stored_as_text() -> None:
    ws = _open(rows_to_xlsx(ROWS, tr=VI, sheet_title="x"))
    cell = ws.cell(row=4, column=2)
    assert cell.value == "=HYPERLINK(\"http://x\")"
    assert cell.data_type == "s"
    assert cell.quotePrefix
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


# --- file names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("reports", "26734", Month(2025, 1), Month(2025, 6), "xlsx"),
         "reports_26734_2025-01_2025-06.xlsx"),
        (("reports", None, Month(2025, 6), Month(2025, 6), ".csv"), "reports_all_2025-06.csv"),
        (("báo cáo", "Đồng Tháp/79 ", Month(2025, 3), Month(2024, 12), "PNG"),
         "bao-cao_Dong-Thap-79_2024-12_2025-03.png"),
    ],
)
def test_export_filename_is_ascii_safe(args: tuple, expected: str) -> None:
    name = export_filename(*args)
    assert name == expected
    assert name.isascii()
