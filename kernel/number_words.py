"""Numbers written in words, Vietnamese and English: "mười bốn" (14), "hai mươi mốt" (21),
"hai lăm" (25), "hai không hai lăm" (2025), "twenty one", "twenty twenty five" (2025).

Shared by the plan questions (knowledge.qa.numbers) and the report parser (reports.parse).
"""

from __future__ import annotations

from collections.abc import Sequence

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


def vi_number(words: list[str]) -> tuple[int, int] | None:
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


def en_number(words: list[str]) -> tuple[int, int] | None:
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


def en_year(words: list[str]) -> tuple[int, int] | None:
    """"twenty thirty", "twenty twenty five", "two thousand thirty" (2000-2099)."""
    read = en_number(words)
    if read is None or not 2000 <= read[0] <= 2099 or read[1] < 2:
        return None
    return read



def read_number(words: Sequence[str]) -> tuple[int, int] | None:
    """(value, words used) of a number in words at the start of ``words``, either language."""
    listed = list(words)
    return vi_number(listed) or en_number(listed)
