"""Calendar values every layer shares: a reporting month, a period of months, a due date."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Literal

PeriodKind = Literal["month", "quarter", "half", "year", "range"]
DEFAULT_DUE_DAY = 5
#: Years a period may cover (a report or a statistic outside them is a typo).
FIRST_YEAR, LAST_YEAR = 2000, 2100



@dataclass(frozen=True, order=True)
class Month:
    """A reporting month."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")

    def next(self) -> Month:
        return Month(self.year + (self.month == 12), self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class Period:
    start: Month
    end: Month
    kind: PeriodKind

    def months(self) -> list[Month]:
        out, m = [], self.start
        while m <= self.end:
            out.append(m)
            m = m.next()
        return out

    def __contains__(self, month: object) -> bool:
        return isinstance(month, Month) and self.start <= month <= self.end

    def previous_year(self) -> Period:
        """The same period one year earlier."""
        return Period(
            Month(self.start.year - 1, self.start.month),
            Month(self.end.year - 1, self.end.month),
            self.kind,
        )

    @property
    def quarter(self) -> int | None:
        return (self.start.month - 1) // 3 + 1 if self.kind == "quarter" else None

    @property
    def half(self) -> int | None:
        if self.kind != "half":
            return None
        return 1 if self.start.month == 1 else 2


def month_period(month: Month) -> Period:
    return Period(month, month, "month")


def quarter_period(year: int, quarter: int) -> Period:
    first = 3 * (quarter - 1) + 1
    return Period(Month(year, first), Month(year, first + 2), "quarter")


def half_period(year: int, half: int) -> Period:
    return Period(Month(year, 1 if half == 1 else 7), Month(year, 6 if half == 1 else 12), "half")


def year_period(year: int) -> Period:
    return Period(Month(year, 1), Month(year, 12), "year")


def due_date(month: Month, due_day: int = DEFAULT_DUE_DAY) -> date:
    """The due day of the month after ``month``, clamped to that month's length."""
    following = month.next()
    last = calendar.monthrange(following.year, following.month)[1]
    return date(following.year, following.month, max(1, min(due_day, last)))
