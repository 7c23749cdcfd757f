"""Reading the periods officers type for statistics: a month, quarter, half-year, year or a
range of months (kernel.calendar.Period), and which of its months are over."""

from __future__ import annotations

import re
from datetime import date

from kernel.calendar import (
    FIRST_YEAR,
    LAST_YEAR,
    Month,
    Period,
    half_period,
    month_period,
    quarter_period,
    year_period,
)
from reports.months import current_month, find_months, last_complete_month, parse_month
from reports.text import fold_clean


class PeriodError(ValueError):
    """The text is not a period this module understands."""


class PeriodOutOfRange(PeriodError):
    """The period lies (partly) outside FIRST_YEAR..LAST_YEAR."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.first, self.last = FIRST_YEAR, LAST_YEAR


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_YEAR = r"(?:\s*(?:/|-|,|\bnam\b|\bof\b)?\s*(?P<y>\d{4}))?"
_QUARTER = re.compile(rf"(?:q|quy|qui|quarter)\s*(?P<q>[1-4]|iv|iii|ii|i)\b{_YEAR}")
_QUARTER_AFTER = re.compile(r"(?P<y>\d{4})\s*-?\s*q(?P<q>[1-4])")
_HALF = re.compile(
    rf"(?:h(?P<h>[12])|(?:6 thang|nua) (?P<vn>dau|cuoi)(?: nam)?"
    rf"|(?P<en>first|second|1st|2nd) half(?: of)?(?: the year)?){_YEAR}"
)
_FIRST_MONTHS = re.compile(rf"(?P<n>\d{{1,2}}) thang(?: dau)?(?: nam)?{_YEAR}")
_YEAR_ONLY = re.compile(r"(?:nam|year)?\s*(?P<y>\d{4})")
_YEAR_RANGE = re.compile(r"(?:nam|years?)?\s*(?P<a>\d{4})\s*(?:-|den|toi|to)\s*(?P<b>\d{4})")
_RANGE_SPLIT = re.compile(r"\s*(?:-|\bden\b|\btoi\b|\bto\b|\buntil\b|\u2192)\s*")
_RANGE_PREFIX = re.compile(r"^(?:tu|from)\s+")
#: One word of a mistyped period: digits and separators ("13/2025", "2025-13", "32/13/2025"),
#: perhaps after a period word ("q5", "t13", "quy 5"), or a period word alone.
_PERIOD_WORD = re.compile(
    r"(?:(?:q|quy|qui|quarter|h|t|thg|thang|month|nam|year)\.?\s*)?\d{1,4}(?:\s*[/.-]\s*\d{1,4})*"
    r"|q|quy|qui|quarter|thang|month|nam|year|dau|cuoi|first|second|half|of|tu|den|from|to|-"
)

_RELATIVE: dict[str, str] = {
    "thang truoc": "last_month", "last month": "last_month", "thang nay": "this_month",
    "this month": "this_month", "quy nay": "this_quarter", "this quarter": "this_quarter",
    "quy truoc": "last_quarter", "last quarter": "last_quarter", "nam nay": "this_year",
    "this year": "this_year", "nam ngoai": "last_year", "nam truoc": "last_year",
    "last year": "last_year",
}  # fmt: skip


def _latest_started(year: int | None, first_month: int, today: date) -> int:
    """Year for a period given without one: the most recent that has started."""
    if year is not None:
        return year
    return today.year if first_month <= today.month else today.year - 1


def _relative(name: str, today: date) -> Period:
    this_quarter = (today.month - 1) // 3 + 1
    if name == "last_month":
        return month_period(last_complete_month(today))
    if name == "this_month":
        return month_period(current_month(today))
    if name == "this_quarter":
        return quarter_period(today.year, this_quarter)
    if name == "last_quarter":
        q = this_quarter - 1
        return quarter_period(today.year, q) if q else quarter_period(today.year - 1, 4)
    return year_period(today.year if name == "this_year" else today.year - 1)


def _single(text: str, today: date) -> Period | None:
    if text in _RELATIVE:
        return _relative(_RELATIVE[text], today)
    month = parse_month(text, today)
    if month is not None:
        return month_period(month)
    if m := _QUARTER.fullmatch(text) or _QUARTER_AFTER.fullmatch(text):
        q = _ROMAN.get(m["q"]) or int(m["q"])
        year = int(m["y"]) if m["y"] else None
        return quarter_period(_latest_started(year, 3 * q - 2, today), q)
    if m := _HALF.fullmatch(text):
        first = m["h"] == "1" or m["vn"] == "dau" or m["en"] in ("first", "1st")
        half = 1 if first else 2
        year = int(m["y"]) if m["y"] else None
        return half_period(_latest_started(year, 1 if half == 1 else 7, today), half)
    if (m := _FIRST_MONTHS.fullmatch(text)) and 1 <= int(m["n"]) <= 12:
        n = int(m["n"])
        year = int(m["y"]) if m["y"] else today.year
        if n == 6:
            return half_period(year, 1)
        if n == 12:
            return year_period(year)
        return Period(Month(year, 1), Month(year, n), "range")
    if m := _YEAR_ONLY.fullmatch(text):
        return year_period(int(m["y"]))
    return None


def _lacks_year(text: str, today: date) -> bool:
    found = find_months(text, today)
    return len(found) == 1 and not found[0].year_given


def _range(text: str, today: date) -> Period | None:
    if m := _YEAR_RANGE.fullmatch(text):
        a, b = int(m["a"]), int(m["b"])
        return Period(Month(a, 1), Month(b, 12), "range") if a <= b else None
    text = _RANGE_PREFIX.sub("", text)
    for sep in _RANGE_SPLIT.finditer(text):
        left, right = text[: sep.start()], text[sep.end() :]
        a, b = _single(left, today), _single(right, today)
        if a is not None and b is not None and a.kind == "month" and _lacks_year(left, today):
            year = b.start.year - (a.start.month > b.start.month)
            a = month_period(Month(year, a.start.month))
        if a is not None and b is not None and a.start <= b.end:
            return Period(a.start, b.end, "range")
    return None


def runs_backwards(text: str, *, today: date) -> bool:
    """ "10/2025-01/2025": two periods joined as a range, the later one first."""
    _, folded = fold_clean(text)
    folded = " ".join(folded.replace("\u2013", "-").split()).strip(" .")
    for sep in _RANGE_SPLIT.finditer(folded):
        a, b = _single(folded[: sep.start()], today), _single(folded[sep.end() :], today)
        if a is not None and b is not None and a.start > b.end:
            return True
    return False


def parse_period(text: str, *, today: date) -> Period:
    """Read a /stats period; empty text means the last complete month.

    Raises PeriodError when the text is not understood or the range runs backwards, and
    PeriodOutOfRange for years outside FIRST_YEAR..LAST_YEAR.
    """
    _, folded = fold_clean(text)
    folded = " ".join(folded.replace("\u2013", "-").split()).strip(" .")
    if not folded:
        return month_period(last_complete_month(today))
    period = _single(folded, today) or _range(folded, today)
    if period is None:
        raise PeriodError(text)
    if not (period.start.year >= FIRST_YEAR and period.end.year <= LAST_YEAR):
        raise PeriodOutOfRange(text)
    return period


def looks_like_period(text: str) -> bool:
    """Whether `text` reads as a (mistyped) period rather than a unit code or other words:
    "13/2025", "00/2025", "Q5 2025", "2025-13", "32/13/2025". Such text may be quoted back."""
    _, folded = fold_clean(text)
    words = folded.replace("\u2013", "-").split()
    return bool(words) and len(text) <= 40 and all(_PERIOD_WORD.fullmatch(w) for w in words)


def completed_part(period: Period, today: date) -> Period | None:
    """The months of `period` that are over on `today`.

    The period itself when its last month is over; its months up to the last complete month
    (kind ``"range"``) when it ends later; None when even its first month is not over yet
    (statistics count whole months only).
    """
    last = last_complete_month(today)
    if period.start > last:
        return None
    if period.end <= last:
        return period
    return Period(period.start, last, "range")
