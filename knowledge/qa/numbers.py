"""Numbers as officers type them: written in words ("chỉ tiêu mười bốn năm hai không hai lăm",
"target fourteen in twenty twenty-five"), and numbers no plan can mean ("ct -3", "năm 20255",
"2O25" with a letter O).

Words are read as a number only after a word that asks for one (chỉ tiêu, ct, mục tiêu,
nhóm, năm, target, goal, year, in, by, …) so that "năm" (five / year), "ba" (three / father)
and "sáu" (six / after) keep their everyday meaning elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Words after which a number is expected (folded).
NUMBER_BEFORE = frozenset({
    "ct", "tieu", "muc", "nhom", "tieuchi", "chi", "nam", "target", "targets", "goal", "group",
    "year", "in", "by", "for", "indicator", "number", "so", "den", "and", "va", "to", "until",
})

_VI_DIGITS = {
    "khong": 0, "linh": 0, "le": 0, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5,
    "lam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9,
}
_VI_TEN = frozenset({"muoi"})
#: Units said without "mươi": "hai lăm" (25), "ba mốt" (31), "hai tư" (24).
_COLLOQUIAL_UNITS = frozenset({"lam", "mot", "tu"})
_VI_HUNDRED = "tram"
_VI_THOUSAND = frozenset({"nghin", "ngan"})

_EN_UNITS = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
            "eighty": 80, "ninety": 90}


def _vi_number(words: list[str]) -> tuple[int, int] | None:
    """(value, words used) of Vietnamese number words at the start of ``words``."""
    if not words or (words[0] not in _VI_DIGITS and words[0] not in _VI_TEN):
        return None
    # Digit by digit, as a year is read: "hai không hai lăm" = 2025, "hai không ba mươi" = 2030
    digits: list[int] = []
    i = 0
    while i < len(words) and words[i] in _VI_DIGITS and len(digits) < 4:
        digits.append(_VI_DIGITS[words[i]])
        i += 1
    if len(digits) == 4 and digits[0] in (1, 2):
        return int("".join(map(str, digits))), 4
    if len(digits) >= 2 and digits[0] == 2 and digits[1] == 0:
        tail = _vi_below_hundred(words[2:])
        if tail is not None:
            return 2000 + tail[0], 2 + tail[1]
    # Spelled out: "hai nghìn không trăm hai mươi lăm", "mười bốn", "hai mươi mốt"
    first = _vi_group(words)
    if first is None:
        return None
    value, used = first
    if words[used:used + 1] and words[used] in _VI_THOUSAND:
        used += 1
        rest = _vi_group(words[used:])
        return value * 1000 + (rest[0] if rest else 0), used + (rest[1] if rest else 0)
    return value, used


def _vi_group(words: list[str]) -> tuple[int, int] | None:
    """A number below 1000: "ba trăm linh năm", "không trăm hai mươi lăm", "mười bốn"."""
    if len(words) >= 2 and words[0] in _VI_DIGITS and words[1] == _VI_HUNDRED:
        hundreds, used = _VI_DIGITS[words[0]] * 100, 2
        if words[used:used + 1] and words[used] in ("linh", "le") and words[used + 1:used + 2] \
                and words[used + 1] in _VI_DIGITS:
            return hundreds + _VI_DIGITS[words[used + 1]], used + 2
        below = _vi_below_hundred(words[used:])
        return (hundreds + below[0], used + below[1]) if below else (hundreds, used)
    return _vi_below_hundred(words)


def _vi_below_hundred(words: list[str]) -> tuple[int, int] | None:
    """"mười bốn" = 14, "hai mươi mốt" = 21, "ba mươi" = 30, "bảy" = 7."""
    if not words:
        return None
    first = words[0]
    if first in _VI_TEN:  # mười, mười bốn, mười lăm
        if len(words) > 1 and _units(words[1:]):
            return 10 + _VI_DIGITS[words[1]], 2
        return 10, 1
    if first not in _VI_DIGITS:
        return None
    if len(words) > 1 and words[1] in _COLLOQUIAL_UNITS and first not in ("khong", "mot"):
        return _VI_DIGITS[first] * 10 + _VI_DIGITS[words[1]], 2  # "hai lăm" = 25
    if len(words) > 1 and words[1] in _VI_TEN:
        tens = _VI_DIGITS[first] * 10
        if len(words) > 2 and _units(words[2:]):
            return tens + _VI_DIGITS[words[2]], 3
        return tens, 2
    return _VI_DIGITS[first], 1


#: Every number word (for the spelling corrector's vocabulary).
NUMBER_WORDS = (*_VI_DIGITS, *_VI_TEN, _VI_HUNDRED, *_VI_THOUSAND, *_EN_UNITS, *_EN_TENS,
                "thousand", "hundred")


def _units(words: list[str]) -> bool:
    """The units digit of "mười bốn", "hai mươi mốt"; not "năm" (year) before a number
    ("chỉ tiêu mười năm 2025")."""
    word = words[0]
    if word not in _VI_DIGITS or word in ("khong", "linh"):
        return False
    following = words[1] if len(words) > 1 else ""
    return not (word == "nam" and (following.isdigit() or following in _VI_DIGITS))


def _en_below_hundred(words: list[str]) -> tuple[int, int] | None:
    if not words:
        return None
    if words[0] in _EN_UNITS:
        return _EN_UNITS[words[0]], 1
    if words[0] in _EN_TENS:
        if len(words) > 1 and words[1] in _EN_UNITS and 0 < _EN_UNITS[words[1]] < 10:
            return _EN_TENS[words[0]] + _EN_UNITS[words[1]], 2
        return _EN_TENS[words[0]], 1
    return None


def _en_number(words: list[str]) -> tuple[int, int] | None:
    """"fourteen", "twenty one", "twenty twenty five" (2025), "two thousand and thirty"."""
    first = _en_below_hundred(words)
    if first is None:
        return None
    value, used = first
    rest = words[used:]
    if rest[:1] == ["thousand"]:
        tail = rest[1:]
        if tail[:1] == ["and"]:
            tail = tail[1:]
        more = _en_below_hundred(tail)
        extra = (more[0], more[1] + len(rest[1:]) - len(tail)) if more else (0, 0)
        return value * 1000 + extra[0], used + 1 + extra[1]
    if 19 <= value <= 20 and (more := _en_below_hundred(rest)) is not None and more[0] >= 10:
        return value * 100 + more[0], used + more[1]  # "twenty thirty" = 2030
    return value, used


def _en_year(words: list[str]) -> tuple[int, int] | None:
    """"twenty thirty", "twenty twenty five", "two thousand thirty" (2000-2099)."""
    read = _en_number(words)
    if read is None or not 2000 <= read[0] <= 2099 or read[1] < 2:
        return None
    return read


def spell_out_numbers(folded: str) -> str:
    """Number words after a word asking for a number, written as digits."""
    words = folded.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        year = _en_year(words[i:])
        if year is not None:  # "twenty thirty" is a year wherever it stands
            out.append(str(year[0]))
            i += year[1]
            continue
        if out and out[-1] in NUMBER_BEFORE:
            read = _vi_number(words[i:]) or _en_number(words[i:])
            if read is not None and not (read[1] == 1 and words[i] in _AMBIGUOUS_ALONE):
                out.append(str(read[0]))
                i += read[1]
                continue
        out.append(words[i])
        i += 1
    return " ".join(out)


#: Single words that are numbers only with another number word ("năm" alone is "year").
_AMBIGUOUS_ALONE = frozenset({"nam", "tu", "le", "linh", "lam", "one", "oh"})


# ---------------------------------------------------------------------- impossible numbers


@dataclass(frozen=True)
class OddNumber:
    """A number no plan can mean, as typed."""

    kind: str  # "target" | "year"
    typed: str


_TARGET_WORD = r"(?:ch[iỉ]\s*ti[eêế]u|ct|target|indicator|m[uụ]c\s*ti[eê]u|goal)"
#: A target number no plan can have: negative, zero, three digits or more (not a year: "target
#: 2030" is the 2030 target), a decimal ("ct 3,5"), a letter stuck to it ("ct 2l").
_ODD_TARGET = re.compile(
    _TARGET_WORD + r"\s*(?:s[oố]\s*)?(?P<n>-\s*\d+|0+(?![\d.,])|(?!(?:19|20|21)\d\d\b)\d{3,}"
    r"|\d+[.,]\d+|\d+[a-zA-Z](?![a-zA-Z]))(?![\d%])", re.IGNORECASE)
_YEAR_WORD = r"(?:n[aă]m|year|in|by)"
#: A year no plan can mean: five digits or more, three digits, a letter O for a zero, or a
#: year before 2000 or from 2050 on.
_ODD_YEAR = re.compile(
    _YEAR_WORD + r"\s+(?P<n>\d{5,}|[12]\d{0,2}[oO][\doO]{0,3}|2\d[oO]\d|20\d(?!\d)"
    r"|\d{1,3}[oO]\d+|1\d{3}|20[5-9]\d|2[1-9]\d\d)(?![\d])", re.IGNORECASE)
#: A year-like number with a letter O typed for a zero, anywhere ("2O25").
_O_FOR_ZERO = re.compile(r"\b(?:2[oO]\d\d|20[oO]\d|2[oO][oO]\d)\b")


def odd_numbers(text: str) -> list[OddNumber]:
    """Targets and years typed so that no plan can mean them: "ct -3", "chỉ tiêu 0",
    "chỉ tiêu 140", "ct 3,5", "năm 20255", "năm 2O25", "năm 1025"."""
    found = [OddNumber("target", re.sub(r"\s+", "", m["n"])) for m in _ODD_TARGET.finditer(text)]
    found += [OddNumber("year", m["n"]) for m in _ODD_YEAR.finditer(text)]
    seen = {f.typed for f in found}
    found += [OddNumber("year", m.group(0)) for m in _O_FOR_ZERO.finditer(text)
              if m.group(0) not in seen]
    return found
