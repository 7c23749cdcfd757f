"""Month expressions in folded text ("thang 10/2025", "t10", "2025-10", "oct 2025")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kernel.calendar import Month

MIN_YEAR, MAX_YEAR = 2000, 2100

MONTH_NAMES: dict[str, int] = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip

_NAME_ALTERNATION = "|".join(sorted(MONTH_NAMES, key=len, reverse=True))

#: Vietnamese month names in words, folded: "tháng mười" (10), "tháng giêng" (1), "tháng chạp".
VI_MONTH_WORDS: dict[str, int] = {
    "muoi hai": 12, "muoi mot": 11, "muoi": 10, "mot": 1, "gieng": 1, "hai": 2, "ba": 3,
    "tu": 4, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9, "chap": 12,
}  # fmt: skip
# (spaces as \s+: the pattern is verbose)
_VI_WORD_ALTERNATION = "|".join(
    w.replace(" ", r"\s+") for w in sorted(VI_MONTH_WORDS, key=len, reverse=True))
#: The month before this one, and this one.
_LAST_MONTH = r"thang\s+truoc|thang\s+vua\s+qua|thang\s+qua|last\s+month|previous\s+month"
_THIS_MONTH = r"thang\s+nay|this\s+month"

# Works on text folded by reports.text.fold (lower case, no diacritics).
MONTH_RE = re.compile(
    rf"""
    (?:\b(?:thang|thg|month|t)\s*\.?\s*(?P<vm>\d{{1,2}})(?!\d)
        (?:\s*/\s*(?P<vy2>\d{{2}})(?![\d.,/])
          |\s*(?:[/.,-]|\bnam\b)?\s*(?P<vy>\d{{4}})(?!\d))?)
    |(?:\b(?P<nm>\d{{1,2}})\s*[/.-]\s*(?P<ny>\d{{4}})(?!\d))
    |(?:\b(?P<iy>\d{{4}})\s*[/.-]\s*(?P<im>\d{{1,2}})(?![\d/.]))
    |(?:\b(?P<en>{_NAME_ALTERNATION})\b\.?(?:\s*,?\s*(?:of\s+)?(?P<ey>\d{{4}})(?!\d))?)
    |(?:\bthang\s+(?P<vw>{_VI_WORD_ALTERNATION})\b(?<!nam(?=\s*\d))
        (?:\s*(?:[/.,-]|\bnam\b)?\s*(?P<wy>\d{{4}})(?!\d))?)
    |(?:\b(?P<last>{_LAST_MONTH})\b)
    |(?:\b(?P<this>{_THIS_MONTH})\b)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class MonthMatch:
    start: int
    end: int
    month: Month | None  # None when the expression is not a valid month ("thang 13")
    year_given: bool


def infer_year(month: int, today: date) -> int:
    """The most recent ``month`` that has started: this year if not later than today's month."""
    return today.year if month <= today.month else today.year - 1


def last_complete_month(today: date) -> Month:
    return Month(today.year, today.month).previous()


def current_month(today: date) -> Month:
    return Month(today.year, today.month)


def _build(month: int, year: int | None, today: date) -> tuple[Month | None, bool]:
    given = year is not None
    if year is None:
        year = infer_year(month, today) if 1 <= month <= 12 else today.year
    if not (1 <= month <= 12 and MIN_YEAR <= year <= MAX_YEAR):
        return None, given
    return Month(year, month), given


def find_months(folded: str, today: date) -> list[MonthMatch]:
    """Every month expression in ``folded`` text, in order."""
    found: list[MonthMatch] = []
    for m in MONTH_RE.finditer(folded):
        g = m.groupdict()
        if g["vm"] is not None:
            year = int(g["vy"]) if g["vy"] else (2000 + int(g["vy2"]) if g["vy2"] else None)
            month, given = _build(int(g["vm"]), year, today)
        elif g["nm"] is not None:
            month, given = _build(int(g["nm"]), int(g["ny"]), today)
        elif g["iy"] is not None:
            month, given = _build(int(g["im"]), int(g["iy"]), today)
        elif g["vw"] is not None:
            year = int(g["wy"]) if g["wy"] else None
            month, given = _build(VI_MONTH_WORDS[" ".join(g["vw"].split())], year, today)
        elif g["last"] is not None:
            month, given = last_complete_month(today), True
        elif g["this"] is not None:
            month, given = current_month(today), True
        else:
            if g["en"] == "may" and not g["ey"]:
                continue  # "may" alone is too ambiguous (also folded "máy", "mấy")
            month, given = _build(MONTH_NAMES[g["en"]], int(g["ey"]) if g["ey"] else None, today)
        found.append(MonthMatch(m.start(), m.end(), month, given))
    return found


def parse_month(text_folded: str, today: date) -> Month | None:
    """A single month when the whole (folded, stripped) text is one month expression."""
    text = text_folded.strip()
    m = MONTH_RE.fullmatch(text)
    if not m:
        return None
    matches = find_months(text, today)
    return matches[0].month if len(matches) == 1 else None
