"""Reading what an officer types at each step: one count, details, a month (no I/O)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from kernel.calendar import Month
from kernel.counts import BREAKDOWNS
from kernel.number_words import read_number
from reports.keywords import NONE_WORDS, WORD_NUMBERS
from reports.months import parse_month
from reports.parse import parse_report
from reports.problems import Code, Problem
from reports.text import fold_clean
from reports.validation import MAX_COUNT, check_counts
from usecases.reporting.draft import DETAIL_FIELDS

_UNIT_WORDS = re.compile(r"\s*(?:ca|vu|truong hop|tre|em|cases?|children)?\s*$")
#: What may follow "không" for a count of 0: "không có", "không có ca nào", "ko phát sinh".
_NONE_TAIL = frozenset([
    "co", "ca", "vu", "viec", "truong", "hop", "nao", "gi", "phat", "sinh", "a", "case", "cases",
    "any",
])  # fmt: skip
_SKIP_WORDS = frozenset({"bo qua", "skip", "bo", "qua", "khong can", "khong ro", "no details"})
_WHOLE = re.compile(r"\d{1,12}")
_GROUPED = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")
_DECIMAL = re.compile(r"\d+[.,]\d+")
_NEGATIVE = re.compile(r"-\s*\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class CountInput:
    """A typed count: the value, or a problem (None when the text is not a number at all)."""

    value: int | None = None
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        return self.value is not None


def read_count(text: str, field_name: str, *, max_count: int = MAX_COUNT) -> CountInput:
    """``"5"``, ``"5 ca"``, ``"năm"``, ``"không có"`` → the count; negatives, decimals and huge
    values → problem."""
    _, folded = fold_clean(text)
    core = _UNIT_WORDS.sub("", folded.strip()).strip()
    if _WHOLE.fullmatch(core) or _GROUPED.fullmatch(core):
        value = int(re.sub(r"\D", "", core))
        if value > max_count:
            return CountInput(
                problem=Problem.of(Code.TOO_LARGE, field=field_name, value=value, limit=max_count)
            )
        return CountInput(value=value)
    # Only the number (or number word) is quoted back, never the rest of what was typed.
    if _NEGATIVE.fullmatch(core):
        return CountInput(problem=Problem.of(Code.NEGATIVE, field=field_name, text=core))
    if _DECIMAL.fullmatch(core):
        return CountInput(problem=Problem.of(Code.NOT_INTEGER, field=field_name, text=core))
    words = core.split()
    if words and words[0] in NONE_WORDS and all(w in _NONE_TAIL for w in words[1:]):
        return CountInput(value=0)  # "không", "ko có", "không có ca nào", "none"
    read = read_number(words)
    if read is not None and read[1] == len(words):  # "hai", "mười hai", "two"
        if read[0] > max_count:
            return CountInput(problem=Problem.of(
                Code.TOO_LARGE, field=field_name, value=read[0], limit=max_count))
        return CountInput(value=read[0])
    if core in WORD_NUMBERS:
        return CountInput(problem=Problem.of(Code.NOT_A_NUMBER, field=field_name, text=core))
    return CountInput()


@dataclass
class DetailsInput:
    """Details typed for one total: values found, problems, and fields that do not belong."""

    values: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    understood: bool = True

    @property
    def ok(self) -> bool:
        return self.understood and not self.problems and not self.foreign and bool(self.values)


def read_details(
    text: str,
    total: str,
    counts: dict[str, int],
    *,
    today: date,
    max_count: int = MAX_COUNT,
) -> DetailsInput:
    """``"bạo lực 1, tình dục 1"`` for the abuse total, checked against the total given."""
    allowed = DETAIL_FIELDS.get(total, ())
    parsed = parse_report(text, today=today, max_count=max_count)
    result = DetailsInput()
    ignored = (Code.MISSING_CATEGORIES, Code.NO_COUNTS)
    result.problems = [p for p in parsed.problems if p.code not in ignored]
    result.foreign = [
        name for name in parsed.counts if name not in allowed and name not in parsed.derived]
    result.values = {k: v for k, v in parsed.counts.items() if k in allowed}
    if parsed.month is not None or (not parsed.counts and not result.problems):
        result.understood = False
        return result
    if not result.problems and not result.foreign:
        merged = {**counts, **result.values}
        result.problems = [
            p
            for p in check_counts(merged, max_count=max_count, require_all=False)
            if _concerns(p, total)
        ]
    return result


def _concerns(problem: Problem, total: str) -> bool:
    owner = problem.get("total_field") or BREAKDOWNS.get(problem.field or "", problem.field)
    return owner == total


def read_month(text: str, today: date) -> Month | None:
    """A month typed on its own: ``"10/2025"``, ``"t10"``, ``"2025-10"``, ``"tháng 9"``."""
    _, folded = fold_clean(text)
    month = parse_month(" ".join(folded.split()).strip(" ."), today)
    if month is None:  # "báo cáo tháng 10/2025": a month and report words only
        parsed = parse_report(text, today=today)
        if parsed.words_only:
            month = parsed.month
    return month


def says_none(text: str) -> bool:
    """ "không", "không có", "ko có ca nào", "none", "bỏ qua", "skip": nothing to add."""
    _, folded = fold_clean(text)
    words = " ".join(folded.split()).strip(" .!")
    return words in _SKIP_WORDS or read_count(text, "abuse").value == 0 and not any(
        ch.isdigit() for ch in words)
