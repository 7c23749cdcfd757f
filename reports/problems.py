"""Problems found in a report: machine-readable codes with parameters, rendered by messages.py."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Code(StrEnum):
    NO_COUNTS = "no_counts"
    TOO_LONG = "too_long"
    UNKNOWN_WORDS = "unknown_words"  # words=(str, ...) shown, withheld=bool (others not shown)
    CONFLICT = "conflict"  # field, first, second
    NOT_INTEGER = "not_integer"  # field, text
    NEGATIVE = "negative"  # field, text
    NOT_A_NUMBER = "not_a_number"  # field, text (a word such as "hai")
    MISSING_NUMBER = "missing_number"  # field
    MISSING_CATEGORIES = "missing_categories"  # fields=(str, ...)
    TOO_LARGE = "too_large"  # field, value, limit
    BREAKDOWN_EXCEEDS = "breakdown_exceeds"  # field, value, total_field, total
    BREAKDOWN_SUM_EXCEEDS = "breakdown_sum_exceeds"  # total_field, sum, total, fields
    INVALID_MONTH = "invalid_month"  # text
    CONFLICTING_MONTHS = "conflicting_months"  # months=(Month, ...)
    MONTH_IN_FUTURE = "month_in_future"  # month
    MONTH_NOT_OVER = "month_not_over"  # month
    MONTH_OUTSIDE_PLAN = "month_outside_plan"  # month, start, end
    MARKUP = "markup"  # HTML tags or entities in the message
    REPEATED = "repeated"  # times: the same report given more than once in one message
    EXTRA_TEXT = "extra_text"  # other text besides the report (never quoted)


@dataclass(frozen=True)
class Problem:
    """One problem; ``params`` is a tuple of (name, value) pairs so problems stay hashable."""

    code: Code
    params: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, code: Code, **params: Any) -> Problem:
        return cls(code, tuple(sorted(params.items())))

    def get(self, name: str, default: Any = None) -> Any:
        return dict(self.params).get(name, default)

    @property
    def field(self) -> str | None:
        return self.get("field")

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params)
        return f"Problem({self.code.value}{', ' if args else ''}{args})"
