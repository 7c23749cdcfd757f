"""Why a saved report is corrected or re-opened: a code from a short fixed list.

Officers tap a reason; one typed in words is read against each reason's vocabulary
("nhập nhầm" → entry mistake). Only the code is stored, and for "other" at most a short note
that passed the privacy screen.
"""

from __future__ import annotations

from reports.text import clean
from reports.words import Phrases, match_any, phrases, tokens

ENTRY_MISTAKE, FOUND_LATE, VERIFIED, DUPLICATE, OTHER = (
    "entry_mistake", "found_late", "verified", "duplicate", "other",
)  # fmt: skip
REASONS: tuple[str, ...] = (ENTRY_MISTAKE, FOUND_LATE, VERIFIED, DUPLICATE, OTHER)
#: Longest note kept with "other" (a phrase, not a story).
MAX_NOTE_CHARS = 100
#: Fewest letters a note needs to say anything.
MIN_NOTE_LETTERS = 3

#: Words that name each reason, Vietnamese (matched with the diacritics typed) and English.
_PHRASES: dict[str, Phrases] = {
    ENTRY_MISTAKE: phrases(
        "nhập nhầm", "nhập sai", "gõ nhầm", "gõ sai", "đánh nhầm", "đánh sai", "nhầm số",
        "sai số liệu", "nhầm số liệu", "nhập liệu sai", "nhầm lẫn", "sai sót", "ghi nhầm",
        "ghi sai", "bấm nhầm", "bấm sai", "typo", "entry mistake", "entry error", "data entry",
        "wrong number", "wrong figure", "entered wrong", "entered the wrong", "typing error",
        "mistake", "mistyped", "input error",
    ),
    FOUND_LATE: phrases(
        "phát hiện muộn", "phát hiện thêm", "phát hiện sau", "báo muộn", "bỏ sót", "sót ca",
        "bổ sung", "thêm ca", "ca mới", "mới phát hiện", "found late", "found later",
        "reported late", "late report", "missed a case", "missed case", "additional case",
        "new case", "case added",
    ),
    VERIFIED: phrases(
        "xác minh", "kiểm tra lại", "đối chiếu", "rà soát", "thống nhất số liệu", "sau kiểm tra",
        "verified", "verification", "after checking", "checked again", "cross checked",
        "confirmed",
    ),
    DUPLICATE: phrases(
        "trùng", "trùng lặp", "trùng ca", "đếm 2 lần", "đếm hai lần", "tính 2 lần",
        "tính hai lần", "báo cáo trùng", "duplicate", "duplicated", "counted twice",
        "double counted", "same case", "reported twice",
    ),
}  # fmt: skip


#: Phrases in which a reason's word means something else ("trung tâm" is not "trùng").
_OTHER_MEANINGS = phrases(
    "trung tâm", "trung ương", "trung học", "tập trung", "trung thu", "trung bình", "miền trung",
    "trung thực", "trung gian",
)  # fmt: skip


def read_reason(text: str) -> str | None:
    """The one reason a typed text names; None when it names none or several."""
    words = tokens(clean(text))
    skip: set[int] = set()
    for i in range(len(words)):
        for j in (i - 1, i):
            if j >= 0 and (n := match_any(words, j, _OTHER_MEANINGS, by_text=True)) and j + n > i:
                skip.add(i)
    found = {
        code
        for code, names in _PHRASES.items()
        if any(match_any(words, i, names, by_text=True)
               for i in range(len(words)) if i not in skip)
    }
    return found.pop() if len(found) == 1 else None


def tidy_note(text: str) -> str | None:
    """A typed note on one line; None when it is too short or too long to keep."""
    note = " ".join(text.split())
    if sum(ch.isalpha() for ch in note) < MIN_NOTE_LETTERS or len(note) > MAX_NOTE_CHARS:
        return None
    return note


def reason_from_text(text: str) -> tuple[str, str | None] | None:
    """A typed reason: the reason it names, else "other" with the text as its note (which the
    caller has screened); None when it is neither (too short or too long for a note)."""
    code = read_reason(text)
    if code is not None:
        return code, None
    note = tidy_note(text)
    return (OTHER, note) if note is not None else None
