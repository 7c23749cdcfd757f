"""Parse the monthly report officers type: "bc t10/2025 xh 2 (bao luc 1) tntt 5 th 0", and
tell a report from a question about the plan (:func:`report_signal`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum
from functools import lru_cache

from kernel.calendar import Month
from kernel.counts import CATEGORIES, CaseCounts
from reports.keywords import REPORT_WORDS, WORD_NUMBERS
from reports.months import find_months
from reports.problems import Code, Problem
from reports.reader import Reader, starts_with_opener
from reports.text import RECENT_TEXTS, fold_clean
from reports.tokens import tokens
from reports.validation import MAX_COUNT, check_counts

#: Longer messages are not reports (Telegram allows 4096 characters).
MAX_REPORT_CHARS = 1000
MAX_UNKNOWN_SHOWN = 5
#: HTML tags and entities pasted with a report ("<b>xh 2</b>", "&nbsp;"): refused, since what
#: the sender sees is not what was sent.
MARKUP = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]{0,80})?/?>|&(?:[a-zA-Z]{2,8}|#\d{1,5});")
#: This many words outside the report's vocabulary: a report with other text around it.
EXTRA_WORDS = 4
#: "bc th10": "th" glued to a month number right after the opener is "tháng", not "tảo hôn".
_TH_MONTH = re.compile(r"^(\W*(?:bao cao|bc|report)\W*)th(?=(?:0?[1-9]|1[0-2])\b)")
#: A question, or the plan's own words: such a message is about the plan, not a report. A
#: question mark before a comma is a blank count ("xh ?, tntt 2"), not a question.
_QUESTION = re.compile(
    r"\?(?!\s*[,;])|\b(?:la gi|lam gi|nhung gi|sao|the nao|bao nhieu|la may|khi nao|bao gio"
    r"|(?:o|ve|gui|di) dau|ai|what|how|when|why|which|where|who|chi tieu|muc tieu|ke hoach"
    r"|target|ty le|ty suat|plan|(?:nam|thang|ngay|luc|khi|cap) nao|han|thoi han|deadline|due"
    r"|so ket|tong ket|dinh ky|6 thang|sau thang|hang nam|annual)\b"
)


@dataclass
class ParseResult:
    """What a message said: month (None when not given), counts found, problems."""

    month: Month | None
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: The message said there were no cases ("không có ca nào", "no cases").
    said_none: bool = False
    #: No counts and nothing else understood or not: "báo cáo", "báo cáo tháng 10".
    words_only: bool = False
    #: Totals worked out from their breakdowns ("bạo lực 2, tình dục 1": abuse 3).
    derived: frozenset[str] = frozenset()
    #: Words not read, too few to refuse the message for (never quoted: they may be a name).
    words_skipped: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and all(c in self.counts for c in CATEGORIES)

    def case_counts(self) -> CaseCounts | None:
        """The counts as a CaseCounts when every category is present."""
        if not all(c in self.counts for c in CATEGORIES):
            return None
        return CaseCounts.from_dict(dict(self.counts))


def parse_report(
    text: str,
    *,
    today: date,
    max_count: int = MAX_COUNT,
    places: Sequence[tuple[int, int]] = (),
    max_chars: int = MAX_REPORT_CHARS,
) -> ParseResult:
    """Read a report message. Partial reports are returned with their problems listed.

    ``places``: spans of place and unit names (``Screen.place_spans``), skipped."""
    if len(text) > max_chars:
        return ParseResult(None, {}, [Problem.of(Code.TOO_LONG, limit=MAX_REPORT_CHARS)])
    if MARKUP.search(text):
        return ParseResult(None, {}, [Problem.of(Code.MARKUP)])
    original, folded = fold_clean(text)
    for start, end in places:
        folded = folded[:start] + " " * (end - start) + folded[end:]
    folded = _TH_MONTH.sub(lambda m: m.group(1) + "t ", folded)

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

    reader = Reader(original, folded).read()
    result.counts, result.derived = reader.counts, frozenset(reader.derived)
    result.words_skipped = reader.withheld
    troubled = {p.field for p in reader.value_problems}
    if reader.none_rest:
        for category in CATEGORIES:
            if category not in result.counts and category not in troubled:
                result.counts[category] = 0
        result.said_none = True
    if reader.withheld >= EXTRA_WORDS:
        result.problems.append(Problem.of(Code.EXTRA_TEXT))
    elif reader.unknown:  # a few other words ("ạ", "all good") are let be: the sum is confirmed
        words = tuple(dict.fromkeys(reader.unknown))[:MAX_UNKNOWN_SHOWN]
        result.problems.append(
            Problem.of(Code.UNKNOWN_WORDS, words=words, withheld=bool(reader.withheld)))
    if reader.repeats > 1:
        result.problems.append(Problem.of(Code.REPEATED, times=reader.repeats))
    result.problems += reader.value_problems
    if not result.counts and not troubled:
        result.problems.append(Problem.of(Code.NO_COUNTS))
        result.words_only = not result.problems[:-1] and not reader.unknown and (
            reader.withheld < EXTRA_WORDS)
    else:
        for problem in check_counts(result.counts, max_count=max_count):
            if problem.code is Code.MISSING_CATEGORIES:
                missing = tuple(f for f in problem.get("fields") if f not in troubled)
                if not missing:
                    continue
                problem = Problem.of(Code.MISSING_CATEGORIES, fields=missing)
            result.problems.append(problem)
    return result


class Signal(IntEnum):
    """How surely a free-text message is a report (rather than a question about the plan)."""

    NONE = 0
    #: Starts a report but is not one whole: "báo cáo", "báo cáo tháng 10", "0 ca", "tntt 2".
    #: Outside a report it starts one; inside, it is an answer to the step.
    START = 1
    #: A whole report: "bc t10 xh 2 tntt 0 th 1", "tháng 9 không có ca nào". It replaces the
    #: report being entered.
    WHOLE = 2


#: Any day: classifying needs to know whether a month is named, not which year it is in.
_ANY_DAY = date(2050, 1, 1)
#: Value problems that still show a category given a count (a wrong one).
_WRONG_VALUES = (Code.NEGATIVE, Code.NOT_INTEGER, Code.CONFLICT, Code.TOO_LARGE)
#: An opener this far into a message still starts a report ("gửi bc t10 ạ", "I want to send
#: the October report").
_OPENER_WITHIN = 6
#: A count this large is a year ("tai nạn thương tích 2025"), not a report's.
_YEAR_LIKE = 1900
_YEAR = re.compile(r"(?:19|20)\d\d")


@lru_cache(maxsize=RECENT_TEXTS)
def report_signal(text: str) -> Signal:
    """Whether a free-text message is a report attempt (see :class:`Signal`).

    A question (a question mark or word, or the plan's own words such as "chỉ tiêu") is not a
    report unless it gives three categories with counts, or two after "báo cáo".
    """
    _, folded = fold_clean(text)
    found = tokens(folded)
    words = [t.text for t in found if t.kind == "word"]
    numbers = sum(t.kind == "num" and not _YEAR.fullmatch(t.text) for t in found)
    numbers += sum(w in WORD_NUMBERS for w in words)
    question = _QUESTION.search(folded) is not None
    anywhere = starts_with_opener(words, len(words))
    if (question and numbers < 2) or not (numbers or anywhere) or not (
            numbers or REPORT_WORDS.intersection(words)):
        return Signal.NONE  # quick: too few counts for a report, and no "báo cáo"
    opener = starts_with_opener(words)
    near = starts_with_opener(words, _OPENER_WITHIN)
    parsed = parse_report(MARKUP.sub(" ", text), today=_ANY_DAY, max_chars=MAX_REPORT_CHARS * 4)
    pairs = sum(v < _YEAR_LIKE for v in parsed.counts.values())
    pairs -= len(CATEGORIES) if parsed.said_none else 0
    pairs += sum(p.code in _WRONG_VALUES and (p.get("value") or 0) < _YEAR_LIKE
                 for p in parsed.problems)
    blanks = any(p.code is Code.MISSING_NUMBER for p in parsed.problems)
    month = parsed.month is not None or any(
        p.code in (Code.INVALID_MONTH, Code.CONFLICTING_MONTHS) for p in parsed.problems)
    if pairs >= 3 or (near and pairs >= 2):
        return Signal.WHOLE  # a report, whatever else the message says
    if question:
        return Signal.NONE
    if pairs >= 2 or ((near or month) and (pairs >= 1 or parsed.said_none)):
        return Signal.WHOLE
    if (near and blanks) or (parsed.words_only and anywhere):
        return Signal.START  # "báo cáo tháng 10", "I want to send the October report"
    if parsed.said_none or pairs >= 1 or (opener and blanks):
        return Signal.START
    return Signal.NONE


def looks_like_report(text: str) -> bool:
    """A message that starts or is a report (:func:`report_signal`)."""
    return report_signal(text) is not Signal.NONE


def looks_like_whole_report(text: str) -> bool:
    """A message that is a whole report (:func:`report_signal`)."""
    return report_signal(text) is Signal.WHOLE


#: Words that end a report being entered, typed on their own (folded).
CANCEL_WORDS = frozenset({
    "huy", "huy bo", "huy bao cao", "huy bc", "cancel", "cancel report", "thoi", "dung", "dung lai",
    "stop", "quit", "exit", "thoat",
})  # fmt: skip


def is_cancel_text(text: str) -> bool:
    """ "Hủy", "huỷ!", "cancel", "thôi": a request to stop (punctuation and case ignored)."""
    if len(text) > 40:
        return False
    _, folded = fold_clean(text)
    return " ".join(re.findall(r"[^\W\d_]+", folded)) in CANCEL_WORDS
