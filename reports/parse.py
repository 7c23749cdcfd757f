"""Parse the monthly report officers type: "bc t10/2025 xh 2 (bao luc 1) tntt 5 th 0"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from kernel.calendar import Month
from kernel.counts import BREAKDOWNS, CATEGORIES, CaseCounts
from reports.keywords import (
    FILLER,
    MAX_PHRASE_WORDS,
    OPENERS,
    PHRASES,
    VOCABULARY,
    WORD_NUMBERS,
)
from reports.months import find_months
from reports.problems import Code, Problem
from reports.text import RECENT_TEXTS, fold_clean
from reports.validation import MAX_COUNT, check_counts

#: Longer messages are not reports (Telegram allows 4096 characters).
MAX_REPORT_CHARS = 1000
MAX_UNKNOWN_SHOWN = 5

_TAG = re.compile(r"<[^<>]{0,60}>")
_TOKEN = re.compile(r"(?P<num>\d+(?:[.,]\d+)*%?)|(?P<word>[^\W\d_]+)|(?P<punct>\S)")
_GROUPED = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")
_QUESTION = re.compile(
    r"\?|\b(?:gi|sao|the nao|bao nhieu|khi nao|bao gio|o dau|what|how|when|why|which)\b"
)


@dataclass
class ParseResult:
    """What a message said: month (None when not given), counts found, problems."""

    month: Month | None
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and all(c in self.counts for c in CATEGORIES)

    def case_counts(self) -> CaseCounts | None:
        """The counts as a CaseCounts when every category is present."""
        if not all(c in self.counts for c in CATEGORIES):
            return None
        return CaseCounts.from_dict(dict(self.counts))


@dataclass(frozen=True)
class _Token:
    kind: str  # "num" | "word" | "punct"
    text: str  # folded
    start: int
    end: int


@lru_cache(maxsize=RECENT_TEXTS)
def _tokens(folded: str) -> tuple[_Token, ...]:
    """Tokens of a folded text (cached: the report filter and the parser read the same text)."""
    return tuple(
        _Token(m.lastgroup or "punct", m.group(), m.start(), m.end())
        for m in _TOKEN.finditer(folded)
    )


def _phrase_at(tokens: Sequence[_Token], i: int, folded: str) -> tuple[str | None, int]:
    """The longest known phrase starting at token ``i``: (field or FILLER, word count)."""
    words: list[str] = []
    for j in range(i, min(len(tokens), i + MAX_PHRASE_WORDS)):
        tok = tokens[j]
        if tok.kind != "word" or (words and not folded[tokens[j - 1].end : tok.start].isspace()):
            break
        words.append(tok.text)
    for n in range(len(words), 0, -1):
        found = PHRASES.get(tuple(words[:n]))
        if found is not None:
            return found, n
    return None, 0


def _read_number(tok: _Token, folded: str) -> tuple[int | None, str]:
    """(value, shown text) for a number token; value None when not a whole number."""
    text = tok.text
    negative = (
        tok.start > 0
        and folded[tok.start - 1] == "-"
        and (tok.start == 1 or folded[tok.start - 2] in " \t\n:=(")
    )
    shown = "-" + text if negative else text
    if text.endswith("%") or negative:
        return None, shown
    if text.isdigit():
        return int(text), shown
    if _GROUPED.fullmatch(text):  # thousands separators: 1.000 / 1,000
        return int(re.sub(r"[.,]", "", text)), shown
    return None, shown


def _resolve(field_name: str, last_total: str | None) -> str | None:
    """ "khác"/"other" belongs to abuse; it means nothing after the injury total."""
    if field_name == "abuse_other" and last_total == "injury":
        return None
    return field_name


def parse_report(text: str, *, today: date, max_count: int = MAX_COUNT) -> ParseResult:
    """Read a report message. Partial reports are returned with their problems listed."""
    if len(text) > MAX_REPORT_CHARS:
        return ParseResult(None, {}, [Problem.of(Code.TOO_LONG, limit=MAX_REPORT_CHARS)])
    original, folded = fold_clean(text)
    folded = _TAG.sub(lambda m: " " * len(m.group()), folded)

    result = ParseResult(None)
    months = find_months(folded, today)
    for match in months:
        folded = folded[: match.start] + " " * (match.end - match.start) + folded[match.end :]
        if match.month is None:
            shown = original[match.start : match.end].strip()
            result.problems.append(Problem.of(Code.INVALID_MONTH, text=shown))
    distinct = sorted({m.month for m in months if m.month is not None})
    if len(distinct) == 1:
        result.month = distinct[0]
    elif len(distinct) > 1:
        result.problems.append(Problem.of(Code.CONFLICTING_MONTHS, months=tuple(distinct)))

    unknown: list[str] = []  # numbers and words of the report vocabulary not understood
    withheld = False  # other words not understood: never quoted (they may be a name)
    value_problems: list[Problem] = []
    tokens = _tokens(folded)
    last_total: str | None = None
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.kind == "punct":
            i += 1
            continue
        if tok.kind == "num":
            unknown.append(original[tok.start : tok.end])
            i += 1
            continue
        found, n = _phrase_at(tokens, i, folded)
        if found is None:
            if tok.text in VOCABULARY:
                unknown.append(original[tok.start : tok.end])
            else:
                withheld = True
            i += 1
            continue
        phrase_end = tokens[i + n - 1].end
        i += n
        if found == FILLER:
            continue
        name = _resolve(found, last_total)
        if name is None:
            unknown.append(original[tok.start : phrase_end])
            continue
        last_total = BREAKDOWNS.get(name, name)
        while i < len(tokens) and tokens[i].kind == "punct":
            i += 1
        nxt = tokens[i] if i < len(tokens) else None
        if nxt is not None and nxt.kind == "num":
            i += 1
            value, shown = _read_number(nxt, folded)
            if value is None:
                code = Code.NEGATIVE if shown.startswith("-") else Code.NOT_INTEGER
                value_problems.append(Problem.of(code, field=name, text=shown))
            elif name in result.counts and result.counts[name] != value:
                value_problems.append(
                    Problem.of(Code.CONFLICT, field=name, first=result.counts[name], second=value)
                )
            else:
                result.counts[name] = value
        elif nxt is not None and nxt.kind == "word" and nxt.text in WORD_NUMBERS:
            i += 1
            shown = original[nxt.start : nxt.end]
            value_problems.append(Problem.of(Code.NOT_A_NUMBER, field=name, text=shown))
        else:
            value_problems.append(Problem.of(Code.MISSING_NUMBER, field=name))

    if unknown or withheld:
        words = tuple(dict.fromkeys(unknown))[:MAX_UNKNOWN_SHOWN]
        result.problems.append(Problem.of(Code.UNKNOWN_WORDS, words=words, withheld=withheld))
    result.problems += value_problems
    troubled = {p.field for p in value_problems}
    if not result.counts and not troubled:
        result.problems.append(Problem.of(Code.NO_COUNTS))
    else:
        for problem in check_counts(result.counts, max_count=max_count):
            if problem.code is Code.MISSING_CATEGORIES:
                missing = tuple(f for f in problem.get("fields") if f not in troubled)
                if not missing:
                    continue
                problem = Problem.of(Code.MISSING_CATEGORIES, fields=missing)
            result.problems.append(problem)
    return result


def _starts_with_opener(words: list[str]) -> bool:
    return any(tuple(words[: len(o)]) == o for o in OPENERS)


@lru_cache(maxsize=RECENT_TEXTS)
def looks_like_report(text: str) -> bool:
    """Cheap guess whether a free-text message is a report attempt rather than a question.

    True when it opens with "báo cáo"/"bc"/"report" and has a category with a number, or when it
    has at least two categories each followed by a number and does not read as a question.
    """
    if len(text) > MAX_REPORT_CHARS * 2:
        return False
    _, folded = fold_clean(text)
    stripped = folded.lstrip()
    if stripped.startswith(("/report", "/baocao")):
        return True
    tokens = _tokens(folded)
    words = [t.text for t in tokens if t.kind == "word"]
    pairs = 0
    i = 0
    while i < len(tokens):
        found, n = _phrase_at(tokens, i, folded)
        if found is None or found == FILLER:
            i += max(n, 1)
            continue
        i += n
        while i < len(tokens) and tokens[i].kind == "punct" and tokens[i].text in ":=-":
            i += 1
        if i < len(tokens) and tokens[i].kind == "num" and not tokens[i].text.endswith("%"):
            pairs += 1
            i += 1
    if _starts_with_opener(words):
        return pairs >= 1
    return pairs >= 2 and not _QUESTION.search(folded)
