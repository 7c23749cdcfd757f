"""CSV and XLSX exports of monthly report rows, with translated headers and a totals row.

A row is a dict with ``unit_code``, ``unit_name``, ``year``, ``month``, every name in
``FIELDS`` (``None`` for a breakdown that was not reported), ``submitted_at``
(``datetime`` or ``None``), ``on_time`` (``bool`` or ``None``) and ``version``.

Times are shown in Vietnam time (UTC+7, no daylight saving); naive datetimes are
assumed to be in that zone already.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta, timezone
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Border, Font, Side
from openpyxl.utils import get_column_letter

from kernel.calendar import Month
from kernel.counts import BREAKDOWNS, CATEGORIES, FIELDS
from kernel.i18n import Translator

Row = Mapping[str, Any]

VIETNAM_TZ = timezone(timedelta(hours=7), "ICT")

#: Count fields in export order: each category followed by its breakdowns.
EXPORT_FIELDS: tuple[str, ...] = tuple(
    name
    for category in CATEGORIES
    for name in (category, *(b for b, owner in BREAKDOWNS.items() if owner == category))
)

#: Column keys in export order; ``month`` combines the row's year and month.
COLUMNS: tuple[str, ...] = (
    ("unit_code", "unit_name", "month") + EXPORT_FIELDS + ("submitted_at", "on_time", "version")
)

#: Leading characters that spreadsheet programs may treat as the start of a formula.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def field_labels(tr: Translator) -> dict[str, str]:
    """Translated labels of the categories and breakdowns, keyed by field name."""
    labels = {
        "abuse": tr.gettext("Abuse"),
        "abuse_violence": tr.gettext("Violence"),
        "abuse_sexual": tr.gettext("Sexual abuse"),
        "abuse_exploitation": tr.gettext("Exploitation"),
        "abuse_other": tr.gettext("Other abuse"),
        "injury": tr.gettext("Injuries"),
        "injury_drowning": tr.gettext("Drowning"),
        "injury_traffic": tr.gettext("Traffic accidents"),
        "injury_deaths": tr.gettext("Deaths"),
        "marriage": tr.gettext("Child marriage"),
    }
    return {name: labels[name] for name in FIELDS}


def column_headers(tr: Translator) -> list[str]:
    """Translated header row, in ``COLUMNS`` order."""
    labels = {
        "unit_code": tr.gettext("Unit code"),
        "unit_name": tr.gettext("Unit"),
        "month": tr.gettext("Month"),
        "submitted_at": tr.gettext("Submitted"),
        "on_time": tr.gettext("On time"),
        "version": tr.gettext("Version"),
        **field_labels(tr),
    }
    return [labels[key] for key in COLUMNS]


def totals(rows: Iterable[Row]) -> dict[str, int | None]:
    """Sum of each field over ``rows``; ``None`` where no row reported the field."""
    sums: dict[str, int | None] = dict.fromkeys(FIELDS)
    for row in rows:
        for name in FIELDS:
            value = row.get(name)
            if value is not None:
                sums[name] = (sums[name] or 0) + int(value)
    for name in CATEGORIES:
        sums[name] = sums[name] or 0
    return sums


def neutralize(text: str) -> str:
    """Prefix an apostrophe to text a spreadsheet could run as a formula."""
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


def local_time(value: datetime) -> datetime:
    """``value`` as a naive datetime in Vietnam time."""
    if value.tzinfo is not None:
        value = value.astimezone(VIETNAM_TZ)
    return value.replace(tzinfo=None, microsecond=0)


def _yes_no(value: bool | None, tr: Translator) -> str:
    if value is None:
        return ""
    return tr.gettext("Yes") if value else tr.gettext("No")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


# --- CSV -------------------------------------------------------------------------------------


def _csv_cells(row: Row, tr: Translator) -> list[object]:
    submitted = row.get("submitted_at")
    return [
        neutralize(_text(row.get("unit_code"))),
        neutralize(_text(row.get("unit_name"))),
        Month(int(row["year"]), int(row["month"])).key,
        *("" if row.get(name) is None else int(row[name]) for name in EXPORT_FIELDS),
        local_time(submitted).strftime("%Y-%m-%d %H:%M") if submitted else "",
        _yes_no(row.get("on_time"), tr),
        _text(row.get("version")),
    ]


def rows_to_csv(rows: Iterable[Row], *, tr: Translator) -> bytes:
    """UTF-8 CSV (with BOM, so Excel detects the encoding), header row first, totals last.

    Months are ISO ``YYYY-MM``; submission times ``YYYY-MM-DD HH:MM`` in Vietnam time.
    """
    rows = list(rows)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(column_headers(tr))
    writer.writerows(_csv_cells(row, tr) for row in rows)
    sums = totals(rows)
    writer.writerow(
        ["", tr.gettext("Total"), ""]
        + ["" if sums[name] is None else sums[name] for name in EXPORT_FIELDS]
        + ["", "", ""]
    )
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


# --- XLSX ------------------------------------------------------------------------------------

_MIN_WIDTH, _MAX_WIDTH = 8, 40


def _sheet_title(title: str) -> str:
    """A valid worksheet title: no ``[]:*?/\\``, at most 31 characters, not empty."""
    cleaned = re.sub(r"[\[\]:*?/\\]", "-", title).strip("' ")[:31]
    return cleaned or "Sheet1"


def _formats(tr: Translator) -> tuple[str, str]:
    """Number formats for the month and submission-time columns."""
    if tr.locale == "vi":
        return "mm/yyyy", "dd/mm/yyyy hh:mm"
    return "mmm yyyy", "yyyy-mm-dd hh:mm"


def rows_to_xlsx(rows: Iterable[Row], *, tr: Translator, sheet_title: str) -> bytes:
    """An Excel workbook with one sheet: bold frozen header, data rows, bold totals row.

    Counts are numbers, months real dates (first of month), submission times datetimes
    in Vietnam time; text cells are stored as plain strings, never as formulas.
    """
    rows = list(rows)
    month_fmt, time_fmt = _formats(tr)
    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_title(sheet_title)
    bold = Font(bold=True)
    col = {key: i + 1 for i, key in enumerate(COLUMNS)}
    widths = [len(h) for h in column_headers(tr)]

    def put(r: int, key: str, value: Any, fmt: str | None = None) -> None:
        cell = ws.cell(row=r, column=col[key])
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
            if value.startswith(_FORMULA_PREFIXES):
                cell.quotePrefix = True
        if fmt:
            cell.number_format = fmt
        shown = len(value) if isinstance(value, str) else len(str(value)) if value else 0
        widths[col[key] - 1] = max(widths[col[key] - 1], shown)

    for key, header in zip(COLUMNS, column_headers(tr), strict=True):
        put(1, key, header)
        ws.cell(row=1, column=col[key]).font = bold
    for r, row in enumerate(rows, start=2):
        put(r, "unit_code", _text(row.get("unit_code")))
        put(r, "unit_name", _text(row.get("unit_name")))
        put(r, "month", date(int(row["year"]), int(row["month"]), 1), month_fmt)
        for name in FIELDS:
            value = row.get(name)
            put(r, name, None if value is None else int(value), "#,##0")
        submitted = row.get("submitted_at")
        put(r, "submitted_at", local_time(submitted) if submitted else None, time_fmt)
        put(r, "on_time", _yes_no(row.get("on_time"), tr) or None)
        version = row.get("version")
        put(r, "version", None if version is None else int(version))
    _totals_row(ws, len(rows) + 2, rows, tr, put)

    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(
            max(width + 2, _MIN_WIDTH), _MAX_WIDTH
        )
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _totals_row(ws: Any, r: int, rows: list[Row], tr: Translator, put: Any) -> None:
    """Static sums (not formulas, so previews without a calculation engine show them)."""
    sums = totals(rows)
    put(r, "unit_name", tr.gettext("Total"))
    for name in FIELDS:
        put(r, name, sums[name], "#,##0")
    top = Border(top=Side(style="thin"))
    for c in range(1, len(COLUMNS) + 1):
        cell = ws.cell(row=r, column=c)
        cell.font = Font(bold=True)
        cell.border = top


# --- File names ------------------------------------------------------------------------------


def _ascii_slug(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")


def export_filename(kind: str, unit_code: str | None, start: Month, end: Month, ext: str) -> str:
    """``reports_79-26734_2025-01_2025-06.xlsx``: ASCII letters, digits, ``-``, ``_``, ``.``.

    A single month gives one period (``..._2025-06.csv``); no unit code gives ``all``.
    """
    if end < start:
        start, end = end, start
    period = start.key if start == end else f"{start.key}_{end.key}"
    parts = [_ascii_slug(kind) or "export", _ascii_slug(unit_code or "") or "all", period]
    suffix = _ascii_slug(ext.lstrip(".")).lower() or "dat"
    return "_".join(parts) + "." + suffix
